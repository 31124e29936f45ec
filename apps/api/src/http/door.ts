import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { rateLimitedDetail, type AppServices, type RateLimitVerdict } from '@mechanic-shop/core';
import { TRPC_PREFIX } from '../trpc-door.ts';
import { clientAddressOf } from './client-ip.ts';
import { problem, sendProblem } from './problem.ts';

/** What the door learned of a request on its way in, for the doors behind it and the log line. */
export interface DoorState {
  /** The method as received: a HEAD is served as a GET. */
  method: string;
  url: URL;
  /** The client for rate limits, and its global budget as spent when the request arrived. */
  client: string;
  globalBudget: RateLimitVerdict;
  /** The route for the log line: a REST path template, `trpc:<procedures>`, or the path. */
  route: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    door: DoorState;
  }
}

export interface DoorOptions {
  services: AppServices;
  ipv6Prefix: number | undefined;
  /** The response each connection is on, for the client-error handler (see http/errors.ts). */
  responses: WeakMap<Duplex, ServerResponse>;
}

/**
 * The hooks every request passes, whatever it asks for: it spends its global
 * budget, is refused if it names a path other than the one it would be served
 * by (its log line is written by `RequestLines`, logger.ts).
 */
export function guardTheDoor(app: FastifyInstance, options: DoorOptions): void {
  app.decorateRequest('door', null as unknown as DoorState);
  // One hook rather than two: each hook costs every request, the cached reads' fast path included.
  const spend = spendGlobalBudget(options);
  app.addHook('onRequest', async (request, reply) => (await spend(request, reply)) ?? refuseRewrittenPath(request, reply));
}

/**
 * The URL parser resolves `.` and `..` segments, percent-encoded ones too, and
 * reads `\` as `/`: routed by the rewritten path, a request reached another
 * route than the one it named (`DELETE /service_tickets/7/parts/%2e%2e` deleted
 * ticket 7). Only paths the parser leaves as they are are served.
 */
function refuseRewrittenPath(request: FastifyRequest, reply: FastifyReply): FastifyReply | undefined {
  if (pathOf(request.raw.url ?? '/') === request.door.url.pathname) return undefined;
  const detail = 'Send the path without `.` or `..` segments and backslashes, with other characters percent-encoded';
  return sendProblem(reply, problem('route_not_found', detail, { request_id: request.id }));
}

/**
 * Every request spends its client's global budget before anything is read or
 * served, refused ones and probes too: one point, or one per call of a tRPC
 * batch. tRPC refuses its calls in the rate-limit middleware, in its own error
 * shape; the other requests are refused here.
 */
function spendGlobalBudget({ services, ipv6Prefix, responses }: DoorOptions) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const { raw } = request;
    responses.set(raw.socket, reply.raw);
    const url = new URL(raw.url ?? '/', 'http://localhost');
    const pathname = url.pathname;
    const client = clientAddressOf(request.ip, raw.socket.remoteAddress, ipv6Prefix);
    const isTrpc = pathname.startsWith(TRPC_PREFIX);
    const globalBudget = await services.rateLimiter.consume('read', client, { global: isTrpc ? pathname.split(',').length : 1 });
    request.door = { method: request.method, url, client, globalBudget, route: pathname };
    // Browsers must read every answer as the type it declares (a JSON answer echoing input never renders as HTML).
    // Set here rather than by @fastify/helmet, which builds its middleware per request: globally, it cost a
    // quarter of a cached read's CPU time. The docs page, the only HTML, gets helmet's headers (fixed-routes.ts).
    reply.header('x-request-id', request.id).header('x-content-type-options', 'nosniff').headers(globalBudget.headers);
    if (!globalBudget.allowed && !isTrpc) {
      return sendProblem(reply, problem('rate_limited', rateLimitedDetail(globalBudget), { request_id: request.id }));
    }
    return undefined;
  };
}

/** The path of a request target as sent: origin-form (`/path?query`) or absolute-form (`http://host/path?query`). */
export function pathOf(target: string): string {
  return target.replace(/^[a-z][a-z\d+.-]*:\/\/[^/?#]*/i, '').split('?')[0] || '/';
}

/** Fastify's `rewriteUrl`: routes read origin-form targets (`/path?query`), so an absolute-form one (`http://host/path`) is served by its path. */
export function originFormOf(target: string): string {
  if (target.startsWith('/')) return target;
  const query = target.indexOf('?');
  return `${pathOf(target)}${query === -1 ? '' : target.slice(query)}`;
}
