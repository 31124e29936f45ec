import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { AnyRouter } from '@trpc/server';
import { createOpenApiNodeHttpHandler } from 'trpc-to-openapi';
import { describeFieldErrors, type AppServices, type FieldError, type RequestContext } from '@mechanic-shop/core';
import { answerNotFound, type ErrorAnswersOptions } from '../http/errors.ts';
import { leaveBodiesUnread, parseJsonBodies } from '../http/json-body.ts';
import { problem, sendProblem } from '../http/problem.ts';
import { answerFromCache, isServedFromCache } from './cached-answers.ts';
import { toProblem } from './handler-errors.ts';
import type { RestRoute, RouteTable } from './routes.ts';
import { sendSuccess } from './success.ts';

export interface RestDoorOptions extends ErrorAnswersOptions {
  router: AnyRouter;
  routes: RouteTable;
  services: AppServices;
  createContext(request: FastifyRequest): RequestContext;
  onError(error: unknown, request: FastifyRequest): void;
  /** Runs first on every call (the startup gate). */
  onRequest(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The REST route a Fastify route serves. */
    restRoute?: RestRoute;
  }
}

/**
 * The REST door: one Fastify route per REST route of the router (so Fastify
 * answers unknown paths, wrong methods and HEAD), each handed to trpc-to-openapi.
 * Bodies are JSON (http/json-body.ts); input trpc-to-openapi would drop is
 * refused first; cached public reads are answered by a route hook
 * (cached-answers.ts) before the call machinery runs.
 */
export async function restDoor(app: FastifyInstance, options: RestDoorOptions): Promise<void> {
  app.addHook('onRequest', (request, reply, done) => {
    request.door.route = request.routeOptions.config.restRoute!.path;
    options.onRequest(request, reply, done);
  });
  const serve = restHandler(options);
  const fromCache = answerFromCache(options.services);
  // A GET has no body to wait for: its checks, and its cached answer, come as soon as it is routed.
  const register = (scope: FastifyInstance, route: RestRoute) =>
    scope.route({
      method: route.method,
      url: route.path.replace(/\{(.+?)\}/g, ':$1'),
      config: { restRoute: route },
      ...(route.method === 'GET'
        ? { onRequest: isServedFromCache(route) ? [refuseDroppedInput, fromCache] : refuseDroppedInput }
        : { preHandler: refuseDroppedInput }),
      handler: serve,
    });
  const routes = [...options.routes.byProcedure.values()];
  await app.register(async (withBodies) => {
    parseJsonBodies(withBodies);
    for (const route of routes.filter(({ method }) => method !== 'DELETE')) register(withBodies, route);
  });
  // A DELETE takes no body, as a GET does not: whatever comes with one is left unread.
  await app.register(async (withoutBodies) => {
    leaveBodiesUnread(withoutBodies);
    for (const route of routes.filter(({ method }) => method === 'DELETE')) register(withoutBodies, route);
  });
}

function restHandler(options: RestDoorOptions) {
  const handle = createOpenApiNodeHttpHandler({
    router: options.router,
    createContext: ({ req }) => options.createContext((req as IncomingMessage & { fastify: FastifyRequest }).fastify),
    responseMeta({ ctx, paths, errors }) {
      const headers = (ctx as RequestContext | undefined)?.responseHeaders ?? {};
      if (errors.length > 0) return { headers };
      const successStatus = paths?.[0] ? options.routes.byProcedure.get(paths[0])?.meta.successStatus : undefined;
      return { headers, status: successStatus ?? 200 };
    },
    onError: ({ error, req }) => options.onError(error, (req as IncomingMessage & { fastify: FastifyRequest }).fastify),
  });

  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const raw = request.raw as IncomingMessage & { fastify?: FastifyRequest; body?: unknown; query?: unknown };
    raw.fastify = request;
    // HEAD is GET without the body (RFC 9110): trpc-to-openapi serves it as a GET, and Fastify drops the body.
    const method = raw.method;
    if (method === 'HEAD') raw.method = 'GET';
    if (takesBody(raw.method)) {
      raw.body = request.body;
      // A POST with nothing to send (`POST /service_tickets/{id}/invoice`) needs no body and no Content-Type;
      // trpc-to-openapi would answer such a request 415. Fastify has refused a body of any other type by now.
      raw.headers['content-type'] ??= 'application/json';
    } else raw.query = queryOf(request.door.url);
    const captured = new CapturedResponse();
    const forwardClose = () => captured.emit('close');
    reply.raw.once('close', forwardClose);
    let unmatched = false;
    await handle(raw, captured as unknown as ServerResponse, () => {
      unmatched = true;
    });
    reply.raw.off('close', forwardClose);
    raw.method = method;
    // Fastify and trpc-to-openapi read paths alike; should they ever differ, the answer is the one for a path nobody serves.
    if (unmatched) return answerNotFound(request, reply, options);

    const { 'content-type': _type, ...headers } = captured.headers;
    if (captured.statusCode >= 400) return sendProblem(reply, toProblem(captured.statusCode, captured.body, request.id), headers);
    if (captured.statusCode === 204 || captured.body === undefined) {
      return reply
        .code(captured.statusCode === 200 ? 204 : captured.statusCode)
        .headers(headers)
        .send();
    }
    return sendSuccess(request, reply, captured.statusCode, captured.body, headers);
  };
}

/**
 * The trpc-to-openapi handler writes into this stand-in instead of the socket,
 * so that we own what goes on the wire: RFC 9457 bodies for its errors (its own
 * carry tRPC's shape), the success status of each route, and ETags.
 */
class CapturedResponse extends EventEmitter {
  statusCode = 200;
  readonly headers: Record<string, string> = {};
  body: string | undefined;
  writableEnded = false;

  setHeader(name: string, value: string | number): this {
    this.headers[name.toLowerCase()] = String(value);
    return this;
  }

  end(body?: string): this {
    this.body = body;
    this.writableEnded = true;
    return this;
  }
}

const takesBody = (method: string | undefined) => method === 'POST' || method === 'PUT' || method === 'PATCH';

/**
 * Input that trpc-to-openapi would drop without a word, though inputs are
 * strict: it spreads the body into the input (so an array or a string became
 * numbered fields, and null, a number or `[]` no fields at all), lets path
 * parameters overwrite body or query fields of the same name, ignores the
 * query string of a request with a body, and cannot hold a `__proto__` key.
 */
function refuseDroppedInput(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
  const route = request.routeOptions.config.restRoute!;
  const withBody = takesBody(request.method);
  const { url } = request.door;
  const unknown = (field: string): FieldError => ({ field, message: 'Unknown field' });
  const fields = [...new Set(url.searchParams.keys())]
    .filter((key) => withBody || key === '__proto__' || route.parameterNames.includes(key))
    .map(unknown);
  const body = withBody ? request.body : undefined;
  if (body !== undefined) {
    const isObject = typeof body === 'object' && body !== null && !Array.isArray(body);
    if (!isObject) fields.push({ field: '(body)', message: 'Expected a JSON object' });
    else fields.push(...route.parameterNames.filter((name) => Object.hasOwn(body, name)).map(unknown));
  }
  if (fields.length === 0) return done();
  sendProblem(reply, problem('validation_failed', describeFieldErrors(fields), { errors: fields, request_id: request.id }));
}

/**
 * The query string as trpc-to-openapi reads it (each key's values), in an
 * object without a prototype: it gathered the values in a plain object, where
 * a key such as `constructor` or `toString` found the prototype's member and
 * the request failed with a 500.
 */
function queryOf(url: URL): Record<string, string[]> {
  const query = Object.create(null) as Record<string, string[]>;
  for (const [key, value] of url.searchParams) (query[key] ??= []).push(value);
  return query;
}
