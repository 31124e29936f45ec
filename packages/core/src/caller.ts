import { randomUUID } from 'node:crypto';
import type { AppServices } from './app-services.ts';
import { createContext, type RequestContext } from './trpc/context.ts';
import { createCallerFactory } from './trpc/procedures.ts';
import { appRouter } from './router.ts';
import { documentCaller } from './documents/document.router.ts';

const callerFactory = createCallerFactory(appRouter);

/**
 * Calls the API in-process, as a given bearer token (or none): the same
 * middlewares, validation and output schemas as over HTTP, without the HTTP.
 * An `idempotencyKey` goes with every POST the caller makes, as the
 * `Idempotency-Key` header would.
 */
export function createCaller(services: AppServices, options: CallerOptions = {}) {
  return callerFactory(callerContext(services, options));
}

export interface CallerOptions {
  token?: string;
  clientIp?: string;
  idempotencyKey?: string;
}

/** The printable documents' procedures in-process (documents/document.router.ts), as `createCaller` calls the API's. */
export function createDocumentCaller(services: AppServices, options: CallerOptions = {}) {
  return documentCaller(callerContext(services, options));
}

function callerContext(services: AppServices, options: CallerOptions): RequestContext {
  return createContext(services, {
    clientIp: options.clientIp ?? '127.0.0.1',
    authorization: options.token ? `Bearer ${options.token}` : undefined,
    requestId: randomUUID(),
    userAgent: '',
    idempotencyKey: options.idempotencyKey,
  });
}

export type Caller = ReturnType<typeof createCaller>;
