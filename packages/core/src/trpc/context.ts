import type { AppServices } from '../app-services.ts';
import type { AuthOutcome } from '../auth/tokens.ts';

/** What the transport knows about a request; the same fields from both doors. */
export interface RequestInfo {
  /** The client's address: the socket peer, or the forwarded one behind a trusted proxy. */
  clientIp: string;
  /** The raw `Authorization` header, if any. */
  authorization: string | undefined;
  /** Echoed in the `X-Request-Id` response header and in logs and 500 bodies. */
  requestId: string;
  /**
   * The `User-Agent` header, cut to 255 characters (the length records keep);
   * '' when absent and for in-process callers. Recorded as evidence (approvals).
   */
  userAgent: string;
  /**
   * The `Idempotency-Key` header as sent, if any (checked and used by
   * idempotency/idempotency.middleware.ts on POSTs). On /trpc, only a request of
   * one call may carry one: the door refuses a batch of several with one key.
   */
  idempotencyKey?: string;
  /**
   * The global per-client rate-limit budget as the door spent it, once for the
   * whole request (one point per call of a tRPC batch) before reading it. In-process
   * callers have none: each of their calls spends it in the rate-limit middleware.
   */
  globalBudget?: { allowed: boolean; headers: Record<string, string> };
}

/** Response headers a procedure adds (rate-limit fields, `WWW-Authenticate`…); each door sends them. */
export type ResponseHeaders = Record<string, string>;

/**
 * The context each door creates per request, and the root context type of the
 * router. That type is part of `AppRouter`, which the SDK's users import, so it
 * names no server-only type: `services` is opaque here and the procedure
 * stack (trpc/stack.ts) hands procedures the typed `AppServices`.
 */
export interface RequestContext {
  services: object;
  request: RequestInfo;
  responseHeaders: ResponseHeaders;
  /** Resolved from the bearer token on first use; a reason instead of a principal without a valid one. */
  authenticate(): Promise<AuthOutcome>;
}

export type { AuthOutcome } from '../auth/tokens.ts';

/** The typed services of a context (the root context type keeps them opaque, see `RequestContext`). */
export function servicesOf(ctx: Pick<RequestContext, 'services'>): AppServices {
  return ctx.services as AppServices;
}

export function createContext(services: AppServices, request: RequestInfo): RequestContext {
  let outcome: Promise<AuthOutcome> | undefined;
  return {
    services,
    request,
    responseHeaders: {},
    authenticate: () => (outcome ??= services.authenticator.authenticate(request.authorization)),
  };
}
