import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AnyRouter } from '@trpc/server';
import { createOpenApiNodeHttpHandler } from 'trpc-to-openapi';
import {
  describeFieldErrors,
  type AppServices,
  type RequestContext,
  type ErrorData,
  type FieldError,
  type ProblemCode,
} from '@mechanic-shop/core';
import { readJsonBody } from '../http/body.ts';
import { problem, problemType, sendProblem, type ProblemBody } from '../http/problem.ts';
import { findCachedAnswer } from './cached-answers.ts';
import { etagOf } from './etag.ts';
import type { RestRoute, RouteTable } from './routes.ts';

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

export interface RestHandlerOptions {
  router: AnyRouter;
  routes: RouteTable;
  services: AppServices;
  maxBodyBytes: number;
  createContext(req: IncomingMessage): RequestContext;
  onError(error: unknown, req: IncomingMessage): void;
}

/** What the server already knows of a request when it hands it over. */
export interface RestRequest {
  requestId: string;
  url: URL;
  /** The route its method and path match, if any. */
  route: RestRoute | undefined;
}

export type RestHandler = (req: IncomingMessage, res: ServerResponse, request: RestRequest) => Promise<void>;

export function createRestHandler(options: RestHandlerOptions): RestHandler {
  const handle = createOpenApiNodeHttpHandler({
    router: options.router,
    createContext: ({ req }) => options.createContext(req as IncomingMessage),
    responseMeta({ ctx, paths, errors }) {
      const headers = (ctx as RequestContext | undefined)?.responseHeaders ?? {};
      if (errors.length > 0) return { headers };
      const successStatus = paths?.[0] ? options.routes.byProcedure.get(paths[0])?.meta.successStatus : undefined;
      return { headers, status: successStatus ?? 200 };
    },
    onError: ({ error, req }) => options.onError(error, req as IncomingMessage),
  });

  return async (req, res, { requestId, url, route }) => {
    const takesBody = req.method === 'POST' || req.method === 'PUT' || req.method === 'PATCH';
    let requestBody: unknown;
    if (takesBody) {
      const parsed = await readJsonBody(req, options.maxBodyBytes);
      if (!parsed.ok) {
        sendProblem(res, { ...parsed.problem, request_id: requestId }, parsed.problem.status === 413 ? { Connection: 'close' } : {});
        return;
      }
      requestBody = parsed.body;
      (req as IncomingMessage & { body?: unknown }).body = requestBody;
    }
    const unexpected = route ? unexpectedInput(route, url, takesBody, requestBody) : [];
    if (unexpected.length > 0) {
      sendProblem(res, problem('validation_failed', describeFieldErrors(unexpected), { errors: unexpected, request_id: requestId }));
      return;
    }

    if (req.method === 'GET' && route) {
      const cached = await findCachedAnswer(options.services, req, route, url);
      if (cached.found) {
        sendSuccess(req, res, route, 200, cached.body, {}, cached.etag);
        return;
      }
    }

    if (!takesBody) (req as IncomingMessage & { query?: unknown }).query = queryOf(url);
    const captured = new CapturedResponse();
    const forwardClose = () => captured.emit('close');
    res.once('close', forwardClose);
    let unmatched = false;
    await handle(req, captured as unknown as ServerResponse, () => {
      unmatched = true;
    });
    res.off('close', forwardClose);

    if (unmatched) {
      const pathname = url.pathname;
      const allowed = options.routes.methodsFor(pathname);
      if (allowed.length > 0) {
        sendProblem(
          res,
          problem('method_not_allowed', `${req.method} is not allowed on ${pathname}; use ${allowed.join(', ')}`, {
            request_id: requestId,
          }),
          {
            Allow: allowed.join(', '),
          },
        );
      } else {
        sendProblem(res, problem('route_not_found', `No route ${req.method} ${pathname}; see /docs`, { request_id: requestId }));
      }
      return;
    }

    const { 'content-type': _type, ...headers } = captured.headers;
    if (captured.statusCode >= 400) {
      sendProblem(res, toProblem(captured.statusCode, captured.body, requestId), headers);
      return;
    }
    if (captured.statusCode === 204 || captured.body === undefined) {
      res.writeHead(captured.statusCode === 200 ? 204 : captured.statusCode, headers);
      res.end();
      return;
    }
    sendSuccess(req, res, route, captured.statusCode, captured.body, headers);
  };
}

/** A JSON success; for GETs with their caching headers and ETag, and a 304 when the client's copy is current. */
function sendSuccess(
  req: IncomingMessage,
  res: ServerResponse,
  route: RestRoute | undefined,
  status: number,
  body: string | Buffer,
  headers: Record<string, string>,
  knownEtag?: string,
): void {
  if (req.method === 'GET') {
    const etag = knownEtag ?? etagOf(body);
    Object.assign(headers, cachingHeaders(route), { etag });
    if (ifNoneMatch(req.headers['if-none-match'], etag)) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
  }
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
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

/**
 * Input that trpc-to-openapi would drop without a word, though inputs are
 * strict: it spreads the body into the input (so an array or a string became
 * numbered fields, and null, a number or `[]` no fields at all), lets path
 * parameters overwrite body or query fields of the same name, ignores the
 * query string of a request with a body, and cannot hold a `__proto__` key.
 */
function unexpectedInput(route: RestRoute, url: URL, takesBody: boolean, body: unknown): FieldError[] {
  const pathParameters = route.parameterNames;
  const unknown = (field: string): FieldError => ({ field, message: 'Unknown field' });
  const fields = [...new Set(url.searchParams.keys())]
    .filter((key) => takesBody || key === '__proto__' || pathParameters.includes(key))
    .map(unknown);
  if (body === undefined) return fields;
  const isObject = typeof body === 'object' && body !== null && !Array.isArray(body);
  if (!isObject) return [...fields, { field: '(body)', message: 'Expected a JSON object' }];
  return [...fields, ...pathParameters.filter((name) => Object.hasOwn(body, name)).map(unknown)];
}

/**
 * HTTP caching of GET answers. Clients and proxies always revalidate
 * (`no-cache`, with the ETag making that cheap), so that nobody reads an old
 * answer after a write. Answers that depend on the token are `private` and vary
 * with `Authorization`.
 */
function cachingHeaders(route: RestRoute | undefined): Record<string, string> {
  const cache = route?.meta.cache;
  if (cache && cache !== 'no-store' && cache.scope === 'public') return { 'cache-control': 'public, no-cache' };
  return { 'cache-control': 'private, no-cache', vary: 'Authorization' };
}

function ifNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.trim() === '*' || header.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === etag);
}

interface HandlerErrorBody {
  message?: string;
  code?: string;
  data?: Partial<ErrorData>;
}

/**
 * Turns the handler's error body into problem details. Our error formatter put
 * the problem code and the bad fields in `data`; errors raised before a context
 * existed still carry tRPC's code.
 */
function toProblem(status: number, raw: string | undefined, requestId: string): ProblemBody {
  let parsed: HandlerErrorBody = {};
  try {
    parsed = raw ? (JSON.parse(raw) as HandlerErrorBody) : {};
  } catch {
    // Not JSON: fall through to a generic problem for the status.
  }
  const code: ProblemCode =
    parsed.data?.reason ?? (status === 400 && parsed.code === 'PARSE_ERROR' ? 'malformed_json' : fallbackCode(status));
  // trpc-to-openapi words every validation error "Input validation failed": name the fields instead.
  const fields = parsed.data?.fields;
  const detail = fields ? describeFieldErrors(fields) : status >= 500 && !parsed.data?.reason ? undefined : parsed.message;
  const body = problem(code, detail, {
    ...(parsed.data?.fields ? { errors: parsed.data.fields } : {}),
    request_id: parsed.data?.requestId ?? requestId,
  });
  return { ...body, status, type: problemType(code) };
}

function fallbackCode(status: number): ProblemCode {
  const byStatus: Record<number, ProblemCode> = {
    400: 'validation_failed',
    401: 'unauthenticated',
    403: 'forbidden',
    404: 'not_found',
    405: 'method_not_allowed',
    409: 'conflict',
    413: 'payload_too_large',
    415: 'unsupported_media_type',
    429: 'rate_limited',
    503: 'service_unavailable',
  };
  return byStatus[status] ?? 'internal_error';
}
