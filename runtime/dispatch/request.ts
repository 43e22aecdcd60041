import type { JsonValue } from '../json/value';

/**
 * Per-request controls a handler can reach through its context: the
 * dispatcher creates one for every request and the session reads it when it
 * writes the response.
 */
export class RequestControl {
  private delimit = false;

  /** @param id the request's `id` member, when it has one */
  constructor(readonly id?: JsonValue) {}

  /**
   * Precede this request's successful response with the 0xFF sentinel
   * (what guest-sync-delimited does, so the host can resynchronise).
   */
  delimitResponse(): void {
    this.delimit = true;
  }

  get delimited(): boolean {
    return this.delimit;
  }
}
