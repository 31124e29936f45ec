import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { AnyRouter } from '@trpc/server';
import { resolveResponse } from '@trpc/server/http';
import { createURL, incomingMessageToRequest, internal_exceptionHandler } from '@trpc/server/adapters/node-http';
import { AppError, IDEMPOTENCY_KEY_HEADER, MAX_BATCH_SIZE, type RequestContext } from '@mechanic-shop/core';
import { leaveBodiesUnread } from './http/json-body.ts';

export const TRPC_PREFIX = '/trpc/';

export interface TrpcDoorOptions {
  router: AnyRouter;
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
 * A thin route over tRPC's fetch core (`resolveResponse`) rather than tRPC's
 * Fastify adapter: that one pipes every answer through a web `WritableStream` and
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
  app.all(`${TRPC_PREFIX}*`, async (request, reply) => {
    const path = request.door.url.pathname.slice(TRPC_PREFIX.length);
    request.door.route = `trpc:${path}`;
    try {
      const response = await resolveResponse({
        router: options.router,
        req: toFetchRequest(request.raw, reply, options.maxBodyBytes),
        path,
        maxBatchSize: MAX_BATCH_SIZE,
        error: request.headers['idempotency-key'] !== undefined && path.includes(',') ? keyedBatch() : null,
        createContext: async () => options.createContext(request),
        responseMeta: ({ ctx }) => ({ headers: (ctx as RequestContext | undefined)?.responseHeaders ?? {} }),
        onError: ({ error }) => options.onError(error, request),
      });
      return sendWhole(request, reply, response);
    } catch (error) {
      // What tRPC's own adapter answers when handling throws (an invalid URL): its error shape, its status.
      reply.hijack();
      const onError = ({ error: cause }: { error: unknown }) => options.onError(cause, request);
      internal_exceptionHandler({ req: request.raw, res: reply.raw, path, router: options.router, onError })(error);
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
  if (request.door.method === 'GET' || request.door.method === 'HEAD') {
    // Answers may depend on the token and carry no validator: never stored by a browser or proxy.
    const vary = response.headers.get('vary');
    reply.headers({ 'cache-control': 'private, no-store', vary: vary ? `${vary}, Authorization` : 'Authorization' });
  }
  return reply.code(response.status).send(body);
}

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
