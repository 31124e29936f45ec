import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { callTRPCProcedure, getTRPCErrorFromUnknown, getTRPCErrorShape, transformTRPCResponse, type AnyProcedure } from '@trpc/server';
import { resolveResponse } from '@trpc/server/http';
import { getHTTPStatusCode, type TRPCError, type TRPCResponse } from '@trpc/server/unstable-core-do-not-import';
import { createURL, incomingMessageToRequest, internal_exceptionHandler } from '@trpc/server/adapters/node-http';
import { AppError, IDEMPOTENCY_KEY_HEADER, MAX_BATCH_SIZE, type AppRouter, type RequestContext } from '@mechanic-shop/core';
import { leaveBodiesUnread } from './http/json-body.ts';

export const TRPC_PREFIX = '/trpc/';

export interface TrpcDoorOptions {
  router: AppRouter;
  maxBodyBytes: number;
  createContext(request: FastifyRequest): RequestContext;
  onError(error: unknown, request: FastifyRequest): void;
  /** Runs first on every call (the startup gate). */
  onRequest(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void;
}

/**
 * Serves the router over tRPC's HTTP protocol under /trpc (batching on, at most
 * MAX_BATCH_SIZE calls a request).
 *
 * A single query by GET is answered by calling its procedure (`directQuery`);
 * everything else goes through tRPC's fetch core (`resolveResponse`) rather
 * than tRPC's Fastify adapter: that one pipes every answer through a web `WritableStream` and
 * sends it chunked, which cost about 0.25 ms of CPU per call in `pnpm bench`.
 * None of our procedures streams, so the answer is read whole and sent once,
 * with a Content-Length. tRPC reads and limits the body itself, and answers
 * every refusal in its own error shape.
 *
 * An `Idempotency-Key` names one request: a batch of several calls carrying
 * one is refused, every call with 400 `validation_failed` (which call would
 * the key be for?). A keyed mutation travels alone (the SDK sends it so).
 */
export async function trpcDoor(app: FastifyInstance, options: TrpcDoorOptions): Promise<void> {
  leaveBodiesUnread(app);
  app.addHook('onRequest', (request, reply, done) => options.onRequest(request, reply, done));
  const direct = { router: options.router, queries: queriesOf(options.router) };
  app.all(`${TRPC_PREFIX}*`, async (request, reply) => {
    const path = request.door.url.pathname.slice(TRPC_PREFIX.length);
    request.door.route = `trpc:${path}`;
    const query = directQuery(direct, request, path);
    if (query) return answerQuery(options, request, reply, path, query.input);
    try {
      const response = await resolveResponse({
        router: options.router,
        req: toFetchRequest(request.raw, reply, options.maxBodyBytes),
        path,
        maxBatchSize: MAX_BATCH_SIZE,
        error: request.headers['idempotency-key'] !== undefined && path.includes(',') ? keyedBatch() : null,
        createContext: async () => options.createContext(request),
        responseMeta: ({ ctx }) => ({ headers: ctx?.responseHeaders ?? {} }),
        onError: ({ error }) => options.onError(error, request),
      });
      return sendWhole(request, reply, response);
    } catch (error) {
      // What tRPC's own adapter answers when handling throws (an invalid URL): its error shape, its status.
      reply.hijack();
      const onError = ({ error: cause }: { error: unknown }) => options.onError(cause, request);
      const createContext = () => options.createContext(request);
      internal_exceptionHandler({ req: request.raw, res: reply.raw, path, router: options.router, createContext, onError })(error);
      return reply;
    }
  });
}

const keyedBatch = () =>
  new AppError('validation_failed', `Send a call with an ${IDEMPOTENCY_KEY_HEADER} header alone, not in a batch of several`, {
    fields: [{ field: IDEMPOTENCY_KEY_HEADER, message: 'One key names one request: send this call alone' }],
  });

async function sendWhole(request: FastifyRequest, reply: FastifyReply, response: Response): Promise<FastifyReply> {
  const body = Buffer.from(await response.arrayBuffer());
  // The body goes out whole with its Content-Length: tRPC's own framing of a
  // streamed answer (`trpc-accept: application/jsonl`) would be a second one,
  // which RFC 9112 forbids (a proxy may read either and desynchronise).
  for (const [name, value] of response.headers) if (name !== 'transfer-encoding') reply.header(name, value);
  if (request.door.method === 'GET' || request.door.method === 'HEAD') neverStored(reply, response.headers.get('vary'));
  return reply.code(response.status).send(body);
}

/** Answers may depend on the token and carry no validator: never stored by a browser or proxy. */
function neverStored(reply: FastifyReply, vary: string | null): void {
  reply.headers({ 'cache-control': 'private, no-store', vary: vary ? `${vary}, Authorization` : 'Authorization' });
}

/**
 * A request of one query by GET, as the SDK and tRPC's links send a read
 * (`/trpc/<procedure>?input=<JSON>`), which the door answers by calling the
 * procedure itself (`answerQuery`); anything else goes through tRPC's
 * `resolveResponse`. The conditions are those under which resolveResponse
 * takes the same path: a GET (or HEAD) without tRPC's streaming or batching,
 * with no content type to pick another input reader, naming a query by its
 * exact path, with an input that is absent or valid JSON (a refusal of either
 * is resolveResponse's own to word).
 */
function directQuery(
  { router, queries }: { router: AppRouter; queries: ReadonlySet<string> },
  request: FastifyRequest,
  path: string,
): { input: unknown } | undefined {
  const { method, url } = request.door;
  // A HEAD is answered as a GET (`toFetchRequest`), without its body.
  if (
    (method !== 'GET' && method !== 'HEAD') ||
    request.headers['trpc-accept'] !== undefined ||
    request.headers['content-type'] !== undefined
  ) {
    return undefined;
  }
  if (!queries.has(path)) return undefined;
  let text: string | null = null;
  for (const [name, value] of url.searchParams) {
    if (name !== 'input' || text !== null) return undefined;
    text = value;
  }
  if (!text) return { input: undefined };
  try {
    return { input: router._def._config.transformer.input.deserialize(JSON.parse(text)) };
  } catch {
    return undefined;
  }
}

/** The paths of a router's queries. */
const queriesOf = (router: AppRouter): ReadonlySet<string> =>
  new Set(
    Object.entries(router._def.procedures as unknown as Record<string, AnyProcedure>)
      .filter(([, procedure]) => procedure._def.type === 'query')
      .map(([path]) => path),
  );

/**
 * One query, answered as tRPC's `resolveResponse` answers it (@trpc/server
 * 11.25: the same envelope, status, error shape and headers; the HTTP tests
 * compare both doors' answers), calling the procedure as the REST door does.
 * resolveResponse turns each call into a Fetch `Request` and `Response`, with
 * two abort signals combined by `AbortSignal.any` per call, which none of our
 * procedures watches, and the door read the answer back from its stream: a
 * sixth of a read by id's CPU time in a `pnpm bench` profile.
 */
async function answerQuery(options: TrpcDoorOptions, request: FastifyRequest, reply: FastifyReply, path: string, input: unknown) {
  const { router } = options;
  const ctx = options.createContext(request);
  let answer: TRPCResponse;
  let errors: TRPCError[] = [];
  try {
    const data: unknown = await callTRPCProcedure({
      router,
      path,
      getRawInput: async () => input,
      ctx,
      type: 'query',
      signal: undefined,
      batchIndex: 0,
    });
    answer = { result: { data } };
  } catch (cause) {
    const error = getTRPCErrorFromUnknown(cause);
    options.onError(error, request);
    errors = [error];
    answer = { error: getTRPCErrorShape({ config: router._def._config, error, type: 'query', path, input, ctx }) };
  }
  reply.header('content-type', 'application/json').headers(ctx.responseHeaders);
  neverStored(reply, RESOLVE_RESPONSE_VARY);
  const body = JSON.stringify(transformTRPCResponse(router._def._config, answer));
  return reply.code(getHTTPStatusCode(answer, errors)).send(Buffer.from(body));
}

/** The `Vary` of every resolveResponse answer. */
const RESOLVE_RESPONSE_VARY = 'trpc-accept, accept';

/**
 * Queries have no body to stream or limit, and none of our procedures watches
 * for the client going away, so they skip the abort wiring of tRPC's own
 * conversion (an AbortController, two listeners and `AbortSignal.any` per call,
 * a measurable share of a query's CPU time). Node joins repeated request
 * headers into one string, so its header object is a valid `HeadersInit`.
 * A HEAD is served as a GET.
 */
function toFetchRequest(req: IncomingMessage, reply: FastifyReply, maxBodyBytes: number): Request {
  if (req.method === 'GET' || req.method === 'HEAD') {
    return new Request(createURL(req), { method: 'GET', headers: req.headers as Record<string, string> });
  }
  return incomingMessageToRequest(req, reply.raw, { maxBodySize: maxBodyBytes });
}
