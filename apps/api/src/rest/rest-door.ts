import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { callTRPCProcedure, getTRPCErrorFromUnknown, getTRPCErrorShape } from '@trpc/server';
import {
  coerceSchema,
  getInputOutputParsers,
  instanceofZodTypeLikeVoid,
  instanceofZodTypeObject,
  instanceofZodTypeOptional,
  TRPC_ERROR_CODE_HTTP_STATUS,
  unwrapZodType,
  zodSupportsCoerce,
} from 'trpc-to-openapi';
import { ZodArray } from 'zod';
import { describeFieldErrors, type AppRouter, type AppServices, type FieldError, type RequestContext } from '@mechanic-shop/core';
import type { ErrorAnswersOptions } from '../http/errors.ts';
import { leaveBodiesUnread, parseJsonBodies } from '../http/json-body.ts';
import { problem, sendProblem, type ProblemBody } from '../http/problem.ts';
import { answerFromCache, isServedFromCache } from './cached-answers.ts';
import { toProblem } from './handler-errors.ts';
import { queryOf, type RestRoute, type RouteTable } from './routes.ts';
import { sendSuccess } from './success.ts';

export interface RestDoorOptions extends ErrorAnswersOptions {
  router: AppRouter;
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
 * answers unknown paths, wrong methods and HEAD), each calling its procedure
 * as trpc-to-openapi would (`restHandler`). Bodies are JSON (http/json-body.ts);
 * input trpc-to-openapi would drop is refused first; cached public reads are
 * answered by a route hook (cached-answers.ts) before the call machinery runs.
 */
export async function restDoor(app: FastifyInstance, options: RestDoorOptions): Promise<void> {
  app.addHook('onRequest', (request, reply, done) => {
    request.door.route = request.routeOptions.config.restRoute!.path;
    options.onRequest(request, reply, done);
  });
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
      handler: restHandler(options, route),
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

/**
 * Calls the route's procedure as trpc-to-openapi's handler would, with the
 * same input, status and error shape, but without its per-request work that
 * Fastify has done already or that we never use: matching the path against
 * every route's pattern, converting the request into a Fetch `Request` for an
 * abort signal none of our procedures watches, building a caller proxy,
 * marking the input schema coercible again, and writing its answer as JSON
 * text for us to parse back. The input of each route is worked out once.
 */
function restHandler(options: RestDoorOptions, route: RestRoute) {
  const call = procedureCall(options, route);
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const answer = await call(request);
    if ('problem' in answer) return sendProblem(reply, answer.problem, answer.headers);
    if (answer.status === 204 || answer.body === undefined) {
      return reply
        .code(answer.status === 200 ? 204 : answer.status)
        .headers(answer.headers)
        .send();
    }
    return sendSuccess(request, reply, answer.status, answer.body, answer.headers);
  };
}

type CallAnswer =
  { status: number; body: string | undefined; headers: Record<string, string> } | { problem: ProblemBody; headers: Record<string, string> };

function procedureCall(options: RestDoorOptions, route: RestRoute): (request: FastifyRequest) => Promise<CallAnswer> {
  const readInput = inputReader(route);
  const { type } = route.procedure._def;
  return async (request) => {
    let input: unknown;
    let ctx: RequestContext | undefined;
    try {
      input = readInput(request);
      ctx = options.createContext(request);
      const data: unknown = await callTRPCProcedure({
        router: options.router,
        path: route.procedurePath,
        getRawInput: async () => input,
        ctx,
        type,
        signal: undefined,
        batchIndex: 0,
      });
      return { status: route.meta.successStatus ?? 200, body: JSON.stringify(data), headers: ctx.responseHeaders };
    } catch (cause) {
      const error = getTRPCErrorFromUnknown(cause);
      options.onError(error, request);
      const shape = getTRPCErrorShape({ config: options.router._def._config, error, type, path: route.procedurePath, input, ctx });
      // trpc-to-openapi's wording and status of an error.
      const invalidInput = error.code === 'BAD_REQUEST' && error.cause instanceof Error && error.cause.name === 'ZodError';
      const body = { ...shape, message: invalidInput ? 'Input validation failed' : shape.message, code: error.code };
      const status = TRPC_ERROR_CODE_HTTP_STATUS[error.code] ?? 500;
      return { problem: toProblem(status, body, request.id), headers: ctx?.responseHeaders ?? {} };
    }
  };
}

/**
 * A route's input as trpc-to-openapi builds it: the body's fields or the query
 * string's (a key's one value, or all of a repeated one, or an array for an
 * array field), then the path parameters; nothing for a procedure that takes
 * none. It marks the number, boolean, bigint and date fields of the input
 * coercible (query strings are text), as it did on every call of the route.
 */
function inputReader(route: RestRoute): (request: FastifyRequest) => unknown {
  const schema = unwrapZodType(getInputOutputParsers(route.procedure).inputParser, true);
  if (instanceofZodTypeLikeVoid(schema)) return () => undefined;
  const isObject = instanceofZodTypeObject(schema);
  if (zodSupportsCoerce && isObject) coerceSchema(schema);
  const arrayFields = isObject
    ? Object.entries(schema.shape)
        .filter(([, field]) => field instanceof ZodArray || (instanceofZodTypeOptional(field) && field.unwrap() instanceof ZodArray))
        .map(([name]) => name)
    : [];
  return (request) => {
    const { url } = request.door;
    const parameters = route.parametersOf(url.pathname);
    if (takesBody(request.method)) return { ...(request.body as object | undefined), ...parameters };
    const input: Record<string, unknown> = { ...queryOf(url), ...parameters };
    for (const name of arrayFields) if (input[name] !== undefined && !Array.isArray(input[name])) input[name] = [input[name]];
    return input;
  };
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
