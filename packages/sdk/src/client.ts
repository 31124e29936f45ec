import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import type { AppRouter } from '@mechanic-shop/core';

export interface MechanicShopClientOptions {
  /** Where the API runs, e.g. `http://localhost:3000`. */
  url: string;
  /** A bearer token from a login, sent with every call. */
  token?: string;
  /** Called before each request for the current token (after a login, a refresh…); wins over `token`. */
  getToken?: () => string | undefined | null | Promise<string | undefined | null>;
  /** Extra headers for every request. */
  headers?: Record<string, string>;
  /** A fetch implementation; the global one by default. */
  fetch?: typeof fetch;
}

/**
 * A fully typed client of the Mechanic Shop API over tRPC: every procedure with
 * its input and output types, calls made in the same tick batched into one
 * HTTP request.
 *
 * ```ts
 * const shop = createMechanicShopClient({ url: 'http://localhost:3000' });
 * const { token } = await shop.mechanics.logIn.mutate({ email, password });
 * const staff = createMechanicShopClient({ url: 'http://localhost:3000', token });
 * const page = await staff.customers.list.query({ page: 1, per_page: 20 });
 * ```
 */
export function createMechanicShopClient(options: MechanicShopClientOptions) {
  const base = options.url.replace(/\/+$/, '');
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${base}/trpc`,
        // The server refuses batches of more than 50 calls; larger bursts go as several requests.
        maxItems: 50,
        fetch: options.fetch,
        async headers() {
          const token = options.getToken ? await options.getToken() : options.token;
          return { ...options.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) };
        },
      }),
    ],
  });
}

export type MechanicShopClient = ReturnType<typeof createMechanicShopClient>;

/** An error the API answered with (rather than, say, a network failure), with its typed `data.reason`. */
export type MechanicShopError = TRPCClientError<AppRouter>;

export function isMechanicShopError(error: unknown): error is MechanicShopError {
  return error instanceof TRPCClientError && typeof (error.data as { reason?: unknown } | undefined)?.reason === 'string';
}
