/** QMP error classes (qapi/error.json: QapiErrorClass). */
export type QmpErrorClass =
  | 'GenericError'
  | 'CommandNotFound'
  | 'DeviceNotActive'
  | 'DeviceNotFound'
  | 'KVMMissingCap';

/** An error that becomes `{"error": {"class": ..., "desc": ...}}` on the wire. */
export class QmpError extends Error {
  constructor(
    readonly errorClass: QmpErrorClass,
    message: string,
  ) {
    super(message);
    this.name = 'QmpError';
  }
}

/** Shorthand for the common case. */
export function genericError(message: string): QmpError {
  return new QmpError('GenericError', message);
}
