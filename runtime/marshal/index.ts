/**
 * Helpers the generated marshallers, dispatch tables and client stubs call
 * (owned by the backends), as one namespace: `import { marshal } from 'qapi-ts/runtime'`.
 */
export * as marshal from './api';
