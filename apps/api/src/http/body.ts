import type { IncomingMessage } from 'node:http';
import { MAX_INPUT_DEPTH, nestedDeeperThan } from '@mechanic-shop/core';
import { problem, type ProblemBody } from './problem.ts';

export type BodyResult = { ok: true; body: unknown } | { ok: false; problem: ProblemBody };

/** application/json, with parameters, in any case (media types are case-insensitive). */
const JSON_MEDIA_TYPE = /^application\/json\s*(?:;|$)/i;

/**
 * Reads and parses a JSON request body before the REST handler sees it, so that
 * every body problem is answered the same way: a non-JSON content type is 415, a
 * body over the limit is 413 (without reading it all), bad JSON is 400.
 */
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  const contentType = req.headers['content-type'];
  const declaredLength = Number(req.headers['content-length'] ?? 0);
  const hasBody = declaredLength > 0 || req.headers['transfer-encoding'] !== undefined;
  if (!hasBody) return { ok: true, body: undefined };
  if (!contentType || !JSON_MEDIA_TYPE.test(contentType)) {
    return {
      ok: false,
      problem: problem(
        'unsupported_media_type',
        `Send the body as application/json (got ${contentType ? `"${contentType}"` : 'no Content-Type'})`,
      ),
    };
  }
  // trpc-to-openapi compares the type case-sensitively: hand it the canonical spelling.
  req.headers['content-type'] = contentType.toLowerCase();
  const tooLarge = problem('payload_too_large', `The body may be at most ${maxBytes} bytes`);
  if (declaredLength > maxBytes) return { ok: false, problem: tooLarge };
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) return { ok: false, problem: tooLarge };
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return { ok: true, body: undefined };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    return { ok: false, problem: problem('malformed_json', `The body is not valid JSON: ${(error as Error).message}`) };
  }
  // Checked here because trpc-to-openapi walks every body by recursion (a JSON.stringify) before any middleware runs.
  if (nestedDeeperThan(body, MAX_INPUT_DEPTH)) {
    return { ok: false, problem: problem('validation_failed', `The body may nest at most ${MAX_INPUT_DEPTH} levels deep`) };
  }
  return { ok: true, body };
}
