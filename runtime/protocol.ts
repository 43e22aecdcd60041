/** Wire protocol: JSON codec, framing, dispatch, sessions (owned by the agent runtime). */
export { JsonStreamer } from './json/streamer';
export type { JsonMessage, MessageHandler, StreamerOptions } from './json/streamer';
export { parseTokens, JsonSyntaxError } from './json/parser';
export { encodeJson, encodeLine, encodeString, encodeDouble } from './json/encode';
export { qdictBucket, qdictOrder } from './json/qdict-order';
export { parseJson, parseJsonMessages } from './json/parse';
export {
  MAX_NESTING,
  MAX_TOKEN_COUNT,
  MAX_TOKEN_SIZE,
  NESTING_ERROR,
  TOKEN_COUNT_ERROR,
  TOKEN_SIZE_ERROR,
} from './json/limits';
export { Dispatcher, checkRequestMembers, DISABLED_REASON } from './dispatch/dispatcher';
export type { DispatcherOptions, DispatchResult } from './dispatch/dispatcher';
export { RequestControl } from './dispatch/request';
export { errorResponse, returnResponse, toQmpError } from './dispatch/response';
export { ProtocolSession, streamSink } from './session';
export type { SessionOptions, WriteSink } from './session';
