import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, BlockList } from 'node:net';
import type { Duplex } from 'node:stream';
import {
  appRouter,
  createContext,
  PROBLEMS,
  rateLimitedDetail,
  type RequestContext,
  type AppServices,
  type ProblemCode,
  type RateLimitVerdict,
} from '@mechanic-shop/core';
import { DOCS_CONTENT_SECURITY_POLICY, DOCS_SCRIPT_PATH, docsPageHtml, docsScript } from './docs/docs-page.ts';
import { clientAddressOf } from './http/client-ip.ts';
import { problem, problemResponseText, sendProblem } from './http/problem.ts';
import { requestIdOf } from './http/request-id.ts';
import type { Logger } from './logger.ts';
import { buildOpenApiDocument } from './rest/openapi.ts';
import { createRestHandler } from './rest/rest-handler.ts';
import { routeTable } from './rest/routes.ts';
import type { StartupGate } from './startup.ts';
import { createTrpcHandler, TRPC_PREFIX } from './trpc-handler.ts';

export interface ApiServerOptions {
  services: AppServices;
  log: Logger;
  /** For the line per request (`createRequestLogger`); `log` if not given. */
  requestLog?: Logger;
  /** Resolves when the database answers; readiness depends on it. */
  ping(): Promise<void>;
  maxBodyBytes: number;
  /** Proxies whose X-Forwarded-For names the client (TRUST_PROXY). */
  trustedProxies?: BlockList;
  /** IPv6 clients share a rate-limit budget per network of this many bits (RATE_LIMIT_IPV6_PREFIX; 64 if not given). */
  ipv6Prefix?: number;
  /** Until it opens, API calls get 503 (the database is being migrated or is unreachable). */
  gate?: StartupGate;
  version: string;
}

export interface ApiServer {
  server: Server;
  listen(port: number, host: string): Promise<AddressInfo>;
  /** Stops taking connections, lets requests in flight finish (up to `timeoutMs`), then closes the rest. */
  close(timeoutMs: number): Promise<void>;
}

interface RequestState {
  requestId: string;
  /** As received: a HEAD is served as a GET. */
  method: string | undefined;
  startedAt: bigint;
  /** The client for rate limits, and its global budget as spent when the request arrived. */
  client: string;
  globalBudget: RateLimitVerdict;
  /** The route for the log line: a REST path template or `trpc:<procedures>`. */
  route: string;
}

/**
 * One Node HTTP server for every door: tRPC under /trpc, REST (trpc-to-openapi)
 * at the root, the OpenAPI document, the docs page, health and readiness.
 */
export function createApiServer(options: ApiServerOptions): ApiServer {
  const { services, log } = options;
  const requestLog = options.requestLog ?? log;
  const routes = routeTable(appRouter);
  const openApiJson = JSON.stringify(buildOpenApiDocument(appRouter, { version: options.version }));
  const docsHtml = docsPageHtml();
  const state = new WeakMap<IncomingMessage, RequestState>();

  const contextFor = (req: IncomingMessage): RequestContext => {
    const entry = state.get(req)!;
    const context = createContext(services, {
      clientIp: entry.client,
      authorization: req.headers.authorization,
      requestId: entry.requestId,
      globalBudget: entry.globalBudget,
    });
    Object.assign(context.responseHeaders, entry.globalBudget.headers);
    return context;
  };

  const onError = (error: unknown, req: IncomingMessage) => {
    const status = (error as { code?: string }).code === 'INTERNAL_SERVER_ERROR' ? 500 : undefined;
    if (status === 500) {
      const cause = (error as { cause?: unknown }).cause ?? error;
      log.error({ request_id: state.get(req)?.requestId, err: cause }, 'unexpected error');
    }
  };

  const rest = createRestHandler({
    router: appRouter,
    routes,
    services,
    maxBodyBytes: options.maxBodyBytes,
    createContext: contextFor,
    onError,
  });
  const trpc = createTrpcHandler({ router: appRouter, maxBodyBytes: options.maxBodyBytes, createContext: contextFor, onError });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = requestIdOf(req);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const pathname = url.pathname;
    // Every request spends its client's global budget before anything is read or served, refused
    // ones and probes too: one point, or one per call of a tRPC batch. tRPC refuses its calls in
    // the rate-limit middleware, in its own error shape; the other requests are refused here.
    const client = clientAddressOf(req, options);
    const calls = pathname.startsWith(TRPC_PREFIX) ? pathname.split(',').length : 1;
    const globalBudget = await services.rateLimiter.consume('read', client, { global: calls });
    const entry: RequestState = {
      requestId,
      method: req.method,
      startedAt: process.hrtime.bigint(),
      route: pathname,
      client,
      globalBudget,
    };
    state.set(req, entry);
    res.setHeader('X-Request-Id', requestId);
    // Browsers must read every answer as the type it declares (a JSON answer echoing input never renders as HTML).
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.once('finish', () => logRequest(req, res, entry));
    log.debug({ request_id: requestId, method: req.method, path: pathname }, 'request started');
    for (const [name, value] of Object.entries(globalBudget.headers)) res.setHeader(name, value);
    if (!globalBudget.allowed && !pathname.startsWith(TRPC_PREFIX)) {
      sendProblem(res, problem('rate_limited', rateLimitedDetail(globalBudget), { request_id: requestId }), globalBudget.headers);
      return;
    }

    // The URL parser resolves `.` and `..` segments, percent-encoded ones too,
    // and reads `\` as `/`: routed by the rewritten path, a request reached
    // another route than the one it named (`DELETE /service_tickets/7/parts/%2e%2e`
    // deleted ticket 7). Only paths the parser leaves as they are are served.
    if (pathOf(req.url ?? '/') !== pathname) {
      const detail = 'Send the path without `.` or `..` segments and backslashes, with other characters percent-encoded';
      sendProblem(res, problem('route_not_found', detail, { request_id: requestId }));
      return;
    }
    // The handlers read origin-form targets (`/path?query`), not absolute-form ones (`http://host/path`).
    req.url = `${pathname}${url.search}`;

    if (req.method === 'GET' || req.method === 'HEAD') {
      const served = await serveFixed(pathname, req, res);
      if (served) return;
    }
    // HEAD is GET without the body (RFC 9110): both doors serve it as a GET, and
    // Node's response, made for a HEAD, sends the same headers and drops the body.
    if (req.method === 'HEAD') req.method = 'GET';
    const waitingFor = options.gate?.waitingFor;
    if (waitingFor) {
      sendProblem(res, problem('service_unavailable', `The API is starting: waiting for ${waitingFor}`, { request_id: requestId }), {
        'Retry-After': '2',
      });
      return;
    }
    if (pathname.startsWith(TRPC_PREFIX)) {
      entry.route = `trpc:${pathname.slice(TRPC_PREFIX.length)}`;
      await trpc(req, res, pathname);
      return;
    }
    const route = routes.match(req.method ?? '', pathname);
    entry.route = route?.path ?? pathname;
    await rest(req, res, { requestId, url, route });
  }

  async function serveFixed(pathname: string, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    switch (pathname) {
      case '/healthz':
        return sendJson(res, 200, { status: 'ok' });
      case '/readyz':
        if (options.gate?.waitingFor) {
          sendProblem(res, problem('service_unavailable', `Starting: waiting for ${options.gate.waitingFor}`), { 'Retry-After': '2' });
          return true;
        }
        try {
          await options.ping();
          return sendJson(res, 200, { status: 'ready', database: services.provider });
        } catch {
          sendProblem(res, problem('service_unavailable', 'The database is not reachable'), { 'Retry-After': '5' });
          return true;
        }
      case '/favicon.ico':
        // Browsers ask for it on every docs visit; no content beats a logged 404.
        res.writeHead(204, { 'Cache-Control': 'public, max-age=86400' });
        res.end();
        return true;
      case '/openapi.json':
        res.writeHead(200, {
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(openApiJson),
          'Cache-Control': 'no-cache',
        });
        res.end(openApiJson);
        return true;
      case '/docs':
      case '/docs/':
        res.writeHead(200, {
          'Content-Type': 'text/html; charset=utf-8',
          'Content-Length': Buffer.byteLength(docsHtml),
          'Cache-Control': 'no-cache',
          'Content-Security-Policy': DOCS_CONTENT_SECURITY_POLICY,
        });
        res.end(docsHtml);
        return true;
      case DOCS_SCRIPT_PATH: {
        const { raw, gzip } = await docsScript();
        const gzipOk = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
        const body = gzipOk ? gzip : raw;
        res.writeHead(200, {
          'Content-Type': 'text/javascript; charset=utf-8',
          'Cache-Control': 'public, max-age=86400',
          Vary: 'Accept-Encoding',
          ...(gzipOk ? { 'Content-Encoding': 'gzip' } : {}),
          'Content-Length': body.length,
        });
        res.end(body);
        return true;
      }
    }
    const problemCode = /^\/problems\/([a-z_]+)$/.exec(pathname)?.[1];
    // Own keys only: `constructor` or `__proto__` are in every object, not problem codes.
    if (problemCode && Object.hasOwn(PROBLEMS, problemCode)) {
      const { status, title } = PROBLEMS[problemCode as ProblemCode];
      return sendJson(res, 200, { code: problemCode, status, title });
    }
    return false;
  }

  function logRequest(req: IncomingMessage, res: ServerResponse, entry: RequestState): void {
    const durationMs = Number(process.hrtime.bigint() - entry.startedAt) / 1e6;
    requestLog.info(
      {
        request_id: entry.requestId,
        method: entry.method,
        route: entry.route,
        status: res.statusCode,
        duration_ms: Math.round(durationMs * 100) / 100,
      },
      'request',
    );
  }

  /** The response each connection is on, so that a parse error never cuts into one already under way. */
  const responses = new WeakMap<Duplex, ServerResponse>();
  const server = createServer((req, res) => {
    responses.set(req.socket, res);
    handle(req, res).catch((error: unknown) => {
      log.error({ request_id: state.get(req)?.requestId, err: error }, 'request handler failed');
      if (!res.headersSent) sendProblem(res, problem('internal_error', undefined, { request_id: state.get(req)?.requestId }));
      else res.destroy();
    });
  });
  // Requests Node's HTTP parser refuses never reach `handle`, and Node's own
  // answer to them has no body: a request line or headers over its size limit
  // (a long path parameter or query string), malformed HTTP, a request that
  // took too long to arrive. Answer them with problem details instead, as Node
  // would: only when nothing of a response was written on the connection yet.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    const current = responses.get(socket);
    if (socket.writable && !(current?.headersSent && !current.writableFinished)) {
      socket.end(problemResponseText(problem(CLIENT_ERROR_PROBLEMS[error.code ?? ''] ?? 'malformed_request')));
      // Not destroyed at once, which could reset the connection before the client read the answer (the
      // rest of its request is unread); but a client that never closes its side does not keep it open.
      setTimeout(() => socket.destroy(), CLIENT_ERROR_LINGER_MS).unref();
    } else {
      socket.destroy();
    }
  });

  return {
    server,
    async listen(port, host) {
      server.listen(port, host);
      await once(server, 'listening');
      return server.address() as AddressInfo;
    },
    async close(timeoutMs) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      log.info({ timeout_ms: timeoutMs }, 'no longer accepting connections; finishing requests in flight');
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), timeoutMs);
      await closed;
      clearTimeout(timer);
    },
  };
}

/** The path of a request target as sent: origin-form (`/path?query`) or absolute-form (`http://host/path?query`). */
function pathOf(target: string): string {
  return target.replace(/^[a-z][a-z\d+.-]*:\/\/[^/?#]*/i, '').split('?')[0] || '/';
}

const CLIENT_ERROR_LINGER_MS = 5_000;

/** Node's HTTP parser errors by code (the rest are malformed requests), as Node's default answers classify them. */
const CLIENT_ERROR_PROBLEMS: Record<string, ProblemCode> = {
  HPE_HEADER_OVERFLOW: 'headers_too_large',
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 'payload_too_large',
  ERR_HTTP_REQUEST_TIMEOUT: 'request_timeout',
};

function sendJson(res: ServerResponse, status: number, body: unknown): true {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload), 'Cache-Control': 'no-store' });
  res.end(payload);
  return true;
}
