import { randomUUID } from 'node:crypto';
import type { AppServices } from './app-services.ts';
import { createContext } from './trpc/context.ts';
import { createCallerFactory } from './trpc/procedures.ts';
import { appRouter } from './router.ts';

const callerFactory = createCallerFactory(appRouter);

/**
 * Calls the API in-process, as a given bearer token (or none): the same
 * middlewares, validation and output schemas as over HTTP, without the HTTP.
 */
export function createCaller(services: AppServices, options: { token?: string; clientIp?: string } = {}) {
  return callerFactory(
    createContext(services, {
      clientIp: options.clientIp ?? '127.0.0.1',
      authorization: options.token ? `Bearer ${options.token}` : undefined,
      requestId: randomUUID(),
    }),
  );
}

export type Caller = ReturnType<typeof createCaller>;
