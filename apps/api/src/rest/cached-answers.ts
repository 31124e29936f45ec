import type { FastifyReply, FastifyRequest } from 'fastify';
import { answerKey, type AppServices, type CachePolicy, type Principal } from '@mechanic-shop/core';
import { etagOf } from './etag.ts';
import { sendSuccess } from './success.ts';
import { queryOf, type RestRoute } from './routes.ts';

/**
 * The JSON and ETag of each cached answer, made on its first hit: the cache hands
 * out the same object until the entry goes, and the entry takes these with it.
 */
const serialized = new WeakMap<object, { body: Buffer; etag: string }>();

function serialize(data: unknown): { body: Buffer; etag: string } {
  const known = typeof data === 'object' && data !== null ? serialized.get(data) : undefined;
  if (known) return known;
  const body = Buffer.from(JSON.stringify(data));
  const made = { body, etag: etagOf(body) };
  if (typeof data === 'object' && data !== null) serialized.set(data, made);
  return made;
}

/** Whether a route's cached answers are served by `answerFromCache`: public reads with a cache policy. */
export function isServedFromCache(route: RestRoute): boolean {
  const policy = route.meta.cache;
  return route.method === 'GET' && route.meta.access === 'public' && policy !== undefined && policy !== 'no-store';
}

/**
 * A route hook answering a public read from the cache, before the request enters
 * trpc-to-openapi and tRPC, whose per-call machinery costs more than the answer.
 *
 * Only where it changes nothing: the route is public (no access rule to check)
 * and the answer is the same for this caller as for every anonymous one (the
 * route's cache scope is `public`, or the request carries no token); the key is
 * the one the cache middleware stores under (`restAnswerKey`); and a read spends
 * no budget but the global one, which the door spent when the request arrived.
 * The answer was validated when it was stored. Anything else, a miss included,
 * goes on to the route's handler.
 */
export function answerFromCache(services: AppServices) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    const route = request.routeOptions.config.restRoute!;
    const policy = route.meta.cache as CachePolicy;
    if (!services.cache.enabled) return;
    if (policy.scope !== 'public' && request.headers.authorization !== undefined) return;
    if (!(await services.cache.refresh(policy.dependsOn))) return;
    const data = services.cache.get(restAnswerKey(route, request.door.url, null));
    if (data === undefined) return;
    const { body, etag } = serialize(data);
    return sendSuccess(request, reply, 200, body, {}, etag);
  };
}

/**
 * The cache key of a REST read by `caller`: core's `answerKey`, as the cache
 * middleware computes it behind the REST door, over the input as the door
 * builds it for a GET (query values, one or all of a repeated key, then path
 * parameters). cache-keys.http.test.ts checks, over every
 * cached route, that both make the same key.
 */
export function restAnswerKey(route: RestRoute, url: URL, caller: Principal | null): string {
  return answerKey(route.procedurePath, route.meta.cache as CachePolicy, caller, { ...queryOf(url), ...route.parametersOf(url.pathname) });
}
