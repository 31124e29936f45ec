import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AnyRouter } from '@trpc/server';
import { resolveResponse } from '@trpc/server/http';
import { createURL, incomingMessageToRequest, internal_exceptionHandler } from '@trpc/server/adapters/node-http';
import type { RequestContext } from '@mechanic-shop/core';

export interface TrpcHandlerOptions {
  router: AnyRouter;
  maxBodyBytes: number;
  createContext(req: IncomingMessage): RequestContext;
  onError(error: unknown, req: IncomingMessage): void;
}

export const TRPC_PREFIX = '/trpc/';

/**
 * The most calls one batched request may carry (larger ones get a 400). Each
 * call spends its own rate-limit point; this bounds the work one request can
 * queue. The SDK's client splits larger bursts at the same size.
 */
export const MAX_BATCH_SIZE = 50;

/**
 * Serves the router over tRPC's HTTP protocol under /trpc (batching on).
 *
 * tRPC's fetch core (`resolveResponse`) mounted in our own server rather than
 * its `nodeHTTPRequestHandler`: that one pipes every answer through a web
 * `WritableStream` and sends it chunked, which cost about 0.25 ms of CPU per
 * call in `pnpm bench`. None of our procedures streams, so the answer is read
 * whole and written once, with a Content-Length.
 */
export function createTrpcHandler(options: TrpcHandlerOptions) {
  return async (req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> => {
    const path = pathname.slice(TRPC_PREFIX.length);
    try {
      const request = toFetchRequest(req, res, options.maxBodyBytes);
      const response = await resolveResponse({
        router: options.router,
        req: request,
        path,
        maxBatchSize: MAX_BATCH_SIZE,
        error: null,
        createContext: async () => options.createContext(req),
        responseMeta: ({ ctx }) => ({ headers: (ctx as RequestContext | undefined)?.responseHeaders ?? {} }),
        onError: ({ error }) => options.onError(error, req),
      });
      const body = Buffer.from(await response.arrayBuffer());
      const headers: Record<string, string> = {};
      // The body goes out whole with its Content-Length: tRPC's own framing of a
      // streamed answer (`trpc-accept: application/jsonl`) would be a second one,
      // which RFC 9112 forbids (a proxy may read either and desynchronise).
      for (const [name, value] of response.headers) if (name !== 'transfer-encoding') headers[name] = value;
      headers['content-length'] = String(body.length);
      if (req.method === 'GET') {
        // Answers may depend on the token and carry no validator: never stored by a browser or proxy.
        headers['cache-control'] = 'private, no-store';
        headers.vary = headers.vary ? `${headers.vary}, Authorization` : 'Authorization';
      }
      res.writeHead(response.status, headers);
      res.end(body);
    } catch (error) {
      // What tRPC's own adapter answers when handling throws (an invalid URL): its error shape, its status.
      internal_exceptionHandler({ req, res, path, router: options.router, onError: ({ error: cause }) => options.onError(cause, req) })(
        error,
      );
    }
  };
}

/**
 * Queries have no body to stream or limit, and none of our procedures watches
 * for the client going away, so they skip the abort wiring of tRPC's own
 * conversion (an AbortController, two listeners and `AbortSignal.any` per call,
 * a measurable share of a query's CPU time). Node joins repeated request
 * headers into one string, so its header object is a valid `HeadersInit`.
 */
function toFetchRequest(req: IncomingMessage, res: ServerResponse, maxBodyBytes: number): Request {
  if (req.method === 'GET' || req.method === 'HEAD') {
    return new Request(createURL(req), { method: req.method, headers: req.headers as Record<string, string> });
  }
  return incomingMessageToRequest(req, res, { maxBodySize: maxBodyBytes });
}
