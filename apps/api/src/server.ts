import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, BlockList } from 'node:net';
import type { Duplex } from 'node:stream';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type RawServerDefault,
  type FastifyReply,
  type FastifyRequest,
  type HookHandlerDoneFunction,
} from 'fastify';
import { appRouter, createContext, type AppServices, type RequestContext } from '@mechanic-shop/core';
import { DOCUMENT_ROUTES, documentRoutes } from './documents-routes.ts';
import { fixedRoutes } from './fixed-routes.ts';
import { trustedProxyTest } from './http/client-ip.ts';
import { guardTheDoor, originFormOf } from './http/door.ts';
import { answerErrorsAsProblems, answerStarting, answerUnroutable, clientErrorAnswer } from './http/errors.ts';
import { requestIdOf } from './http/request-id.ts';
import { RequestLines, type Logger } from './logger.ts';
import { restDoor } from './rest/rest-door.ts';
import { routeTable } from './rest/routes.ts';
import type { StartupGate } from './startup.ts';
import { trpcDoor } from './trpc-door.ts';
import { webApp } from './web-app.ts';

/** As long as the records that keep a client's `User-Agent` (e.g. an approval's evidence) store it. */
const USER_AGENT_MAX = 255;

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
  /** The front desk app's build, served at /app (WEB_APP_DIR; apps/web/dist if not given). */
  webAppDir?: string;
}

export interface ApiServer {
  app: FastifyInstance;
  listen(port: number, host: string): Promise<AddressInfo>;
  /** Stops taking connections, lets requests in flight finish (up to `timeoutMs`), then closes the rest. */
  close(timeoutMs: number): Promise<void>;
}

/**
 * One Fastify server for every door: the door's own hooks (http/door.ts), the
 * fixed routes (health, readiness, the OpenAPI document, docs), the tRPC door
 * under /trpc and the REST door at the root, with every error answered as
 * problem details (http/errors.ts).
 */
export async function createApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const { services, log, gate, maxBodyBytes } = options;
  const routes = routeTable(appRouter, DOCUMENT_ROUTES);
  const responses = new WeakMap<Duplex, ServerResponse>();
  // Typed with Fastify's logger interface (which pino's satisfies), as its plugins expect.
  const app = Fastify<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger>({
    loggerInstance: log,
    // One line per request, with our fields, on the request logger; no child logger per request (the lines name the request).
    logController: new RequestLines(log, options.requestLog ?? log),
    childLoggerFactory: (logger) => logger,
    // Node's default: an idle keep-alive connection closes after 5 s, one left open when a stop began too.
    keepAliveTimeout: 5_000,
    genReqId: requestIdOf,
    trustProxy: options.trustedProxies ? trustedProxyTest(options.trustedProxies) : false,
    bodyLimit: maxBodyBytes,
    rewriteUrl: (req) => originFormOf(req.url ?? '/'),
    // As trpc-to-openapi reads paths: in any case, with or without a trailing slash, parameters of any length.
    routerOptions: { caseSensitive: false, ignoreTrailingSlash: true, maxParamLength: 64 * 1024 },
    clientErrorHandler: clientErrorAnswer(responses),
    frameworkErrors: answerUnroutable,
  });

  guardTheDoor(app, { services, ipv6Prefix: options.ipv6Prefix, responses });
  answerErrorsAsProblems(app, { log, routes, gate, maxBodyBytes });
  await app.register(fixedRoutes, { services, ping: () => options.ping(), gate, version: options.version });

  const contextFor = (request: FastifyRequest): RequestContext => {
    const { client, globalBudget } = request.door;
    const context = createContext(services, {
      clientIp: client,
      authorization: request.headers.authorization,
      requestId: request.id,
      userAgent: (request.headers['user-agent'] ?? '').slice(0, USER_AGENT_MAX),
      // Node joins a repeated header into one value (an array only for Set-Cookie).
      idempotencyKey: request.headers['idempotency-key'] as string | undefined,
      globalBudget,
    });
    Object.assign(context.responseHeaders, globalBudget.headers);
    return context;
  };
  const onError = (error: unknown, request: FastifyRequest) => {
    if ((error as { code?: string }).code !== 'INTERNAL_SERVER_ERROR') return;
    log.error({ request_id: request.id, err: (error as { cause?: unknown }).cause ?? error }, 'unexpected error');
  };
  const holdUntilReady = (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    if (gate?.waitingFor) answerStarting(reply, request.id, gate.waitingFor);
    else done();
  };
  const doors = { router: appRouter, maxBodyBytes, createContext: contextFor, onError, onRequest: holdUntilReady };
  await app.register(trpcDoor, doors);
  await app.register(restDoor, { ...doors, routes, services, log, gate });
  await app.register(documentRoutes, doors);
  await app.register(webApp, { dir: options.webAppDir });
  const server = lifecycleOf(app, log);
  await app.ready();
  return server;
}

function lifecycleOf(app: FastifyInstance, log: Logger): ApiServer {
  return {
    app,
    async listen(port, host) {
      await app.listen({ port, host });
      return app.server.address() as AddressInfo;
    },
    async close(timeoutMs) {
      const timer = setTimeout(() => app.server.closeAllConnections(), timeoutMs);
      const closed = app.close();
      // Fastify closes the listening socket a few ticks into `close()`, after its preClose hooks:
      // the line below promises that new connections are refused, so it waits for that first.
      while (app.server.listening) await new Promise((resolve) => setImmediate(resolve));
      log.info({ timeout_ms: timeoutMs }, 'no longer accepting connections; finishing requests in flight');
      await closed;
      clearTimeout(timer);
    },
  };
}
