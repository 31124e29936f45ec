import type { FastifyInstance, FastifyRequest } from 'fastify';
import { MAX_INPUT_DEPTH, nestedDeeperThan } from '@mechanic-shop/core';
import { ProblemError } from './errors.ts';
import { problem } from './problem.ts';

/**
 * Bodies are JSON only. Fastify reads them (a body over `bodyLimit` is a 413,
 * without reading it all when its Content-Length says so; any other media type
 * a 415), and this parser turns them into the input: an empty body is no input,
 * bad JSON a 400 `malformed_json`, and a body nested deeper than any input may
 * a 400 before anything walks it by recursion (the input's validation does).
 * Unlike Fastify's own JSON parser it
 * keeps `__proto__` keys as own fields, for the strict input check to name.
 */
export function parseJsonBodies(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, async (_request: FastifyRequest, text: string) => {
    if (text.trim() === '') return undefined;
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      throw new ProblemError(problem('malformed_json', `The body is not valid JSON: ${(error as Error).message}`));
    }
    if (nestedDeeperThan(body, MAX_INPUT_DEPTH)) {
      throw new ProblemError(problem('validation_failed', `The body may nest at most ${MAX_INPUT_DEPTH} levels deep`));
    }
    return body;
  });
}

/** Leaves the body unread: for DELETE (which, like GET, takes no body) and the tRPC door, which reads its own. */
export function leaveBodiesUnread(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
}
