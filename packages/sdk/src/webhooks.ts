/**
 * Checks the signature of a webhook delivery of the Mechanic Shop API, as the
 * Standard Webhooks specification defines it, with Web Crypto only (Node,
 * Deno, Bun, browsers, edge runtimes): the SDK keeps no dependencies.
 */

/** The body of every delivery. `data` is the subject's public read model after the change (see the OpenAPI `webhooks`). */
export interface WebhookEvent {
  id: string;
  type: string;
  occurred_at: string;
  actor: { kind: 'customer' | 'staff'; id: number } | null;
  subject: { type: string; id: string };
  data: unknown;
}

/** A delivery whose headers, timestamp or signature do not check out: answer it with a 4xx and do not act on it. */
export class WebhookVerificationError extends Error {
  override name = 'WebhookVerificationError';
}

/** How far a delivery's timestamp may be from now: older messages are refused as possible replays. */
const TOLERANCE_SECONDS = 5 * 60;

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(headers: HeaderSource, name: string): string {
  let value: string | string[] | null | undefined;
  if (headers instanceof Headers) value = headers.get(name);
  else value = Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
  const text: string | null | undefined = Array.isArray(value) ? value[0] : value;
  if (!text) throw new WebhookVerificationError(`Missing ${name} header`);
  return text;
}

function base64Bytes(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

/**
 * Verifies a delivery and resolves to its event; rejects with
 * WebhookVerificationError when the signature (with `secret`, the `whsec_…`
 * shown when the webhook was created or its secret rotated) does not match,
 * or the timestamp is more than five minutes away from now. `body` is the raw
 * request body, exactly as received: parsing and re-serialising it changes
 * the bytes that were signed.
 */
export async function verifyWebhook(secret: string, headers: HeaderSource, body: string): Promise<WebhookEvent> {
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  const seconds = Number(timestamp);
  if (!/^\d+$/.test(timestamp) || Math.abs(Date.now() / 1000 - seconds) > TOLERANCE_SECONDS) {
    throw new WebhookVerificationError('The webhook-timestamp is missing, malformed or too far from now');
  }
  let key: CryptoKey;
  try {
    key = await crypto.subtle.importKey('raw', base64Bytes(secret.replace(/^whsec_/, '')), { name: 'HMAC', hash: 'SHA-256' }, false, [
      'verify',
    ]);
  } catch {
    throw new WebhookVerificationError('The secret is not a whsec_ secret');
  }
  const signed = new TextEncoder().encode(`${id}.${timestamp}.${body}`);
  for (const candidate of signatures.split(' ')) {
    const [version, signature] = candidate.split(',');
    if (version !== 'v1' || !signature) continue;
    let bytes: Uint8Array<ArrayBuffer>;
    try {
      bytes = base64Bytes(signature);
    } catch {
      continue;
    }
    // subtle.verify compares in constant time.
    if (await crypto.subtle.verify('HMAC', key, bytes, signed)) return JSON.parse(body) as WebhookEvent;
  }
  throw new WebhookVerificationError('No matching signature');
}
