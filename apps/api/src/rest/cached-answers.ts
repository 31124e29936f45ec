import type { IncomingMessage } from 'node:http';
import { answerKey, type AppServices } from '@mechanic-shop/core';
import { etagOf } from './etag.ts';
import type { RestRoute } from './routes.ts';

export type CachedAnswer = { found: false } | { found: true; body: Buffer; etag: string };

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

/**
 * A public read's cached answer, found before the request enters
 * trpc-to-openapi and tRPC, whose per-call machinery costs more than the answer.
 *
 * Only where it changes nothing: the route is public (no access rule to check)
 * and the answer is the same for this caller as for every anonymous one (the
 * route's cache scope is `public`, or the request carries no token); the key is
 * the one the cache middleware stores under, from the same raw input
 * trpc-to-openapi would build; and a read spends no budget but the global one,
 * which the server spent when the request arrived.
 * The answer was validated when it was stored. Anything else, a miss included,
 * takes the normal way.
 */
export async function findCachedAnswer(services: AppServices, req: IncomingMessage, route: RestRoute, url: URL): Promise<CachedAnswer> {
  const policy = route.meta.cache;
  if (!services.cache.enabled || route.meta.access !== 'public' || !policy || policy === 'no-store') return { found: false };
  if (policy.scope !== 'public' && req.headers.authorization !== undefined) return { found: false };
  if (!(await services.cache.refresh(policy.dependsOn))) return { found: false };
  const data = services.cache.get(answerKey(route.procedurePath, policy, null, rawInputOf(route, url)));
  if (data === undefined) return { found: false };
  return { found: true, ...serialize(data) };
}

/** The input as trpc-to-openapi builds it for a GET: query values (one, or all of a repeated key), then path parameters. */
function rawInputOf(route: RestRoute, url: URL): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    input[key] = values.length === 1 ? values[0] : values;
  }
  return { ...input, ...route.parametersOf(url.pathname) };
}
