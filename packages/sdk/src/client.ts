import { createTRPCClient, httpBatchLink, TRPCClientError, type TRPCLink } from '@trpc/client';
import { observable } from '@trpc/server/observable';
import { HTTP_CODE_TO_JSONRPC2, TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/unstable-core-do-not-import';
import { MAX_BATCH_SIZE } from '@mechanic-shop/core/batch';
import type { AppRouter, ErrorData, ProblemCode } from '@mechanic-shop/core';

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
      tooLongAsTypedError,
      httpBatchLink({
        url: `${base}/trpc`,
        // The server refuses larger batches; larger bursts go as several requests.
        maxItems: MAX_BATCH_SIZE,
        maxURLLength: MAX_URL_LENGTH,
        fetch: problemsAsErrors(options.fetch),
        async headers() {
          const token = options.getToken ? await options.getToken() : options.token;
          return { ...options.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) };
        },
      }),
    ],
  });
}

/**
 * A batched GET carries every call's input in its URL, and the server refuses a
 * request line and headers over 16 KiB (Node's limit) with 431: batches are
 * split to stay under 8,000 characters, which leaves room for the headers and
 * fits proxies that allow 8 KiB request lines (nginx's default). A single call
 * longer than that is still sent, and its 431 is a typed error.
 */
const MAX_URL_LENGTH = 8_000;

/** tRPC's batch link refuses, before sending it, a call whose URL alone is over `maxURLLength`. */
const TOO_BIG_FOR_ONE_REQUEST = 'Input is too big for a single dispatch';

/** That refusal as the typed error the server would have answered (431 `headers_too_large`), not a bare `Error`. */
const tooLongAsTypedError: TRPCLink<AppRouter> =
  () =>
  ({ op, next }) =>
    observable((observer) =>
      next(op).subscribe({
        next: (value) => observer.next(value),
        complete: () => observer.complete(),
        error: (error) =>
          observer.error(
            !error.data && error.cause?.message === TOO_BIG_FOR_ONE_REQUEST
              ? problemError(431, { code: 'headers_too_large', title: `The input of ${op.path} is too long for a request URL` })
              : error,
          ),
      }),
    );

interface ProblemDetails {
  title?: string;
  detail?: string;
  code?: ProblemCode;
  request_id?: string;
}

/**
 * Answers the server gives before tRPC runs (a request line over its header
 * limit, a body over its size limit, a server still starting) are problem
 * details, not tRPC's envelope: tRPC's client would fail every call of the batch
 * with "Unable to transform response from server". They become the same typed
 * error as any other, with the problem code in `data.reason`.
 */
function problemsAsErrors(fetchImpl?: typeof fetch): typeof fetch {
  return async (input, init) => {
    const response = await (fetchImpl ?? globalThis.fetch)(input, init);
    if (!response.headers.get('content-type')?.startsWith('application/problem+json')) return response;
    throw problemError(response.status, (await response.json()) as ProblemDetails);
  };
}

function problemError(status: number, problem: ProblemDetails): MechanicShopError {
  const code = HTTP_CODE_TO_JSONRPC2[status] ?? 'BAD_REQUEST';
  const message = problem.detail ?? problem.title ?? `HTTP ${status}`;
  const data: ErrorData = {
    code,
    httpStatus: status,
    reason: problem.code ?? 'malformed_request',
    ...(problem.request_id ? { requestId: problem.request_id } : {}),
  };
  return new TRPCClientError<AppRouter>(message, { result: { error: { code: TRPC_ERROR_CODES_BY_KEY[code], message, data } } });
}

export type MechanicShopClient = ReturnType<typeof createMechanicShopClient>;

/** An error the API answered with (rather than, say, a network failure), with its typed `data.reason`. */
export type MechanicShopError = TRPCClientError<AppRouter>;

export function isMechanicShopError(error: unknown): error is MechanicShopError {
  return error instanceof TRPCClientError && typeof (error.data as { reason?: unknown } | undefined)?.reason === 'string';
}
