/** qapi-ts runtime: what generated code, the agent and the client share. */
export type { JsonValue, JsonArray, JsonObject } from './json/value';
export { QmpError, genericError } from './errors';
export type { QmpErrorClass } from './errors';
export type { CommandDescriptor, CommandTable } from './dispatch/command';
export * from './marshal';
export * from './protocol';
