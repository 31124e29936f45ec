import { AppError } from '../errors.ts';

/** The request header naming a POST's key (draft-ietf-httpapi-idempotency-key-header). */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
/** The response header of an answer replayed from a key's first request. */
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';
/** The longest key taken, as the issue sets it: long enough for any UUID, ULID or client-made name. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/** A structured-field string (RFC 8941 §3.3.3): quoted, with `\"` and `\\` as its only escapes. */
const SF_STRING = /^"((?:[^"\\]|\\["\\])*)"$/;
const PRINTABLE = /^[\x20-\x7e]+$/;

/**
 * The key a request's `Idempotency-Key` header names. The draft writes it as a
 * structured-field string (`"8e03978e-…"`); most clients send it bare
 * (`8e03978e-…`), as other APIs take it: both name the same key. It must be 1 to
 * 255 printable ASCII characters, else 400 `validation_failed` naming the header.
 */
export function idempotencyKeyOf(header: string): string {
  const quoted = SF_STRING.exec(header);
  const key = quoted ? quoted[1]!.replace(/\\(["\\])/g, '$1') : header;
  if (key.length > MAX_IDEMPOTENCY_KEY_LENGTH || !PRINTABLE.test(key)) {
    const message = `must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} printable ASCII characters (a UUID, say)`;
    throw new AppError('validation_failed', `Invalid ${IDEMPOTENCY_KEY_HEADER} header: ${message}`, {
      fields: [{ field: IDEMPOTENCY_KEY_HEADER, message }],
    });
  }
  return key;
}
