import { hash } from 'node:crypto';

/** A strong validator of a JSON body, for `ETag` and `If-None-Match`. */
export function etagOf(body: string | Buffer): string {
  return `"${hash('sha1', body, 'base64url')}"`;
}
