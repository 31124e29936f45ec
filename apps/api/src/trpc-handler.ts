import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AnyRouter } from '@trpc/server';
import { nodeHTTPRequestHandler } from '@trpc/server/adapters/node-http';
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

/** Serves the router over tRPC's HTTP protocol under /trpc (batching on). */
export function createTrpcHandler(options: TrpcHandlerOptions) {
  return (req: IncomingMessage, res: ServerResponse, pathname: string) =>
    nodeHTTPRequestHandler({
      router: options.router,
      req,
      res,
      path: pathname.slice(TRPC_PREFIX.length),
      maxBodySize: options.maxBodyBytes,
      maxBatchSize: MAX_BATCH_SIZE,
      createContext: ({ req: request }) => options.createContext(request),
      responseMeta: ({ ctx }) => ({ headers: (ctx as RequestContext | undefined)?.responseHeaders ?? {} }),
      onError: ({ error, req: request }) => options.onError(error, request),
    });
}
