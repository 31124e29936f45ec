import {
  createTRPCClient,
  httpBatchLink,
  httpLink,
  retryLink,
  splitLink,
  TRPCClientError,
  type Operation,
  type TRPCLink,
} from '@trpc/client';
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
  /**
   * How many times a call with an idempotency key is sent again after a network
   * failure, or while its first attempt still runs on the server (default 3).
   */
  retries?: number;
  /** The pause before the first of those retries (default 200 ms), doubled before each next one. */
  retryDelayMs?: number;
}

/**
 * The mutations whose repetition costs money: the server requires an
 * `Idempotency-Key` on them (`idempotency: 'required'` in their route, which
 * test/client.test.ts checks against this list), and the client makes one for
 * each call that was not given one.
 */
export const KEYED_PROCEDURES: readonly string[] = ['payments.create', 'payments.refund'];

/**
 * The options of a call sent with an `Idempotency-Key`: the server runs it once
 * for that key, and answers its repeats (with the same input) with the first
 * answer. Give it to any POST mutation, e.g. with a key your own records keep
 * for the operation: `client.inventory.create.mutate(part, withIdempotencyKey(key))`.
 */
export function withIdempotencyKey(key: string): { context: { idempotencyKey: string } } {
  return { context: { idempotencyKey: key } };
}

/**
 * A fully typed client of the Mechanic Shop API over tRPC: every procedure with
 * its input and output types, calls made in the same tick batched into one
 * HTTP request. A call with an idempotency key (payments and refunds always,
 * any other POST mutation given one with `withIdempotencyKey`) travels alone,
 * with its `Idempotency-Key` header, and is sent again with the same key after
 * a network failure: the server never runs it twice.
 *
 * ```ts
 * const shop = createMechanicShopClient({ url: 'http://localhost:3000' });
 * const { token } = await shop.mechanics.logIn.mutate({ email, password });
 * const staff = createMechanicShopClient({ url: 'http://localhost:3000', token });
 * const page = await staff.customers.list.query({ page: 1, per_page: 20 });
 * ```
 */
export function createMechanicShopClient(options: MechanicShopClientOptions) {
  const url = `${options.url.replace(/\/+$/, '')}/trpc`;
  const fetch = problemsAsErrors(options.fetch);
  const headers = async () => {
    const token = options.getToken ? await options.getToken() : options.token;
    return { ...options.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) };
  };
  const { retries = 3, retryDelayMs = 200 } = options;
  return createTRPCClient<AppRouter>({
    links: [
      tooLongAsTypedError,
      keyMoneyCalls,
      retryLink({
        retry: ({ op, error, attempts }) => attempts <= retries && keyOf(op) !== undefined && !op.signal?.aborted && mayRetry(error),
        // "Full jitter": a random pause up to the doubled delay, so that clients cut off together do not come back together.
        retryDelayMs: (attempt) => Math.random() * retryDelayMs * 2 ** (attempt - 1),
      }),
      splitLink({
        condition: (op) => keyOf(op) !== undefined,
        // The server refuses a batch of several calls carrying a key: which call would it name?
        true: httpLink({ url, fetch, headers: async ({ op }) => ({ ...(await headers()), 'idempotency-key': keyOf(op)! }) }),
        false: httpBatchLink({
          url,
          // The server refuses larger batches; larger bursts go as several requests.
          maxItems: MAX_BATCH_SIZE,
          maxURLLength: MAX_URL_LENGTH,
          fetch,
          headers,
        }),
      }),
    ],
  });
}

const keyOf = (op: Operation): string | undefined =>
  typeof op.context.idempotencyKey === 'string' ? op.context.idempotencyKey : undefined;

/** A new key for each payment or refund call the caller gave none: one logical call, one key, whatever its retries. */
const keyMoneyCalls: TRPCLink<AppRouter> =
  () =>
  ({ op, next }) =>
    op.type === 'mutation' && KEYED_PROCEDURES.includes(op.path) && keyOf(op) === undefined
      ? next({ ...op, context: { ...op.context, idempotencyKey: globalThis.crypto.randomUUID() } })
      : next(op);

/**
 * Answers after which a keyed call is sent again: none at all (the connection
 * failed, perhaps after the server ran the call: the key makes the retry
 * replay it), its first attempt still running (409), and the server's
 * refusals that ran nothing (a conflict to retry, the database or the server
 * not available yet).
 */
function mayRetry(error: TRPCClientError<AppRouter>): boolean {
  if (!isMechanicShopError(error)) return true;
  const reason = error.data?.reason;
  return reason === 'idempotency_key_in_flight' || reason === 'transaction_conflict' || reason === 'service_unavailable';
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

export interface ProblemDetails {
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

export function problemError(status: number, problem: ProblemDetails): MechanicShopError {
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
