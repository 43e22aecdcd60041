/** QEMU's JSON streamer limits (qobject/json-streamer.c). */

/** Bytes of tokens in one message (whitespace excluded); a message reaching this is refused. */
export const MAX_TOKEN_SIZE = 64 * 1024 * 1024;
/** Tokens in one message. */
export const MAX_TOKEN_COUNT = 2 * 1024 * 1024;
/** Open brackets and braces at once. */
export const MAX_NESTING = 1024;

export const TOKEN_SIZE_ERROR = 'JSON token size limit exceeded';
export const TOKEN_COUNT_ERROR = 'JSON token count limit exceeded';
export const NESTING_ERROR = 'JSON nesting depth limit exceeded';
