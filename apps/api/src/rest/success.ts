import type { FastifyReply, FastifyRequest } from 'fastify';
import { etagOf } from './etag.ts';
import type { RestRoute } from './routes.ts';

/** A JSON success; for GETs with their caching headers and ETag, and a 304 when the client's copy is current. */
export function sendSuccess(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  body: string | Buffer,
  headers: Record<string, string>,
  knownEtag?: string,
): FastifyReply {
  if (request.door.method === 'GET' || request.door.method === 'HEAD') {
    const etag = knownEtag ?? etagOf(body);
    reply.headers({ ...headers, ...cachingHeaders(request.routeOptions.config.restRoute), etag });
    if (ifNoneMatch(request.headers['if-none-match'], etag)) return reply.code(304).send();
  } else {
    reply.headers(headers);
  }
  return reply
    .code(status)
    .header('content-type', 'application/json')
    .send(typeof body === 'string' ? Buffer.from(body) : body);
}

/**
 * HTTP caching of GET answers. Clients and proxies always revalidate
 * (`no-cache`, with the ETag making that cheap), so that nobody reads an old
 * answer after a write. Answers that depend on the token are `private` and vary
 * with `Authorization`.
 */
function cachingHeaders(route: RestRoute | undefined): Record<string, string> {
  const cache = route?.meta.cache;
  // Answers a route never caches itself (an approval link's estimate, found by its secret token) are never stored by anyone.
  if (cache === 'no-store') return { 'cache-control': 'private, no-store', vary: 'Authorization' };
  if (cache && cache.scope === 'public') return { 'cache-control': 'public, no-cache' };
  return { 'cache-control': 'private, no-cache', vary: 'Authorization' };
}

function ifNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.trim() === '*' || header.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === etag);
}
