import type { Resource } from '../cache/response-cache.ts';
import type { ProblemCode } from '../errors.ts';
import type { StaffRole } from '../auth/tokens.ts';
import type { RateLimitPolicy } from '../rate-limit/limiter.ts';

/** Who may call a route; set by the procedure builder (trpc/procedures.ts), never by hand. */
export type Access = 'public' | 'authenticated' | 'customer' | 'mechanic';

/**
 * How a read's answer is cached. `scope` says whose answers may be shared:
 * `public` (the answer is the same for everyone), `role` (the same for every
 * caller of one role: anonymous, customer or mechanic) or `caller` (each
 * account its own, for answers that depend on who asks). `dependsOn` lists the
 * resources the answer shows: a write to any of them makes it stale.
 */
export interface CachePolicy {
  scope: 'public' | 'role' | 'caller';
  dependsOn: Resource[];
}

interface RouteBasics {
  path: `/${string}`;
  tags: [string, ...string[]];
  summary: string;
  description?: string;
  /** The REST status of a success; tRPC always answers 200. */
  successStatus?: 200 | 201 | 204;
  /** Said in the docs next to the access rule, e.g. "own account only". */
  ownership?: string;
  /** On a public route: what a bearer token changes (the docs then show the token as optional). */
  tokenEffect?: string;
  /**
   * Errors particular to this route (e.g. `email_taken`). The common ones are
   * derived: 400 for inputs, 401/403 from the access rule, 404 for `{id}` paths,
   * 413/415 for bodies, 429, 500 and 503 everywhere.
   */
  errors?: ProblemCode[];
}

/**
 * A read: every call spends the global rate-limit budget (an approval link's
 * read its own strict one too); its answer is cached or not, deliberately.
 */
export interface ReadRoute extends RouteBasics {
  method: 'GET';
  rateLimit: 'read' | 'approvalLink';
  cache: CachePolicy | 'no-store';
}

/** A write: a stricter rate-limit policy, and the resources whose cached answers it makes stale. */
export interface WriteRoute extends RouteBasics {
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  rateLimit: Exclude<RateLimitPolicy, 'read'>;
  invalidates: Resource[];
  /**
   * Every POST takes an optional `Idempotency-Key` header (src/idempotency/):
   * a retry with the same key replays the first answer instead of running twice.
   * `'required'` refuses a call without one (400 `idempotency_key_required`), for
   * writes whose repetition costs money (payments, refunds). POST routes only.
   */
  idempotency?: 'required';
}

export type RouteDefinition = ReadRoute | WriteRoute;

/**
 * The meta of every procedure. `openapi` is the part trpc-to-openapi reads.
 * Declared here rather than as trpc-to-openapi's `OpenApiMeta` because the meta
 * type is part of `AppRouter`, which must stay free of server-only packages.
 */
export type ProcedureMeta = {
  openapi?: Pick<RouteBasics, 'path' | 'tags' | 'summary' | 'description'> & { method: RouteDefinition['method']; enabled?: boolean };
  access?: Access;
  /** On a staff route: the staff roles it is for (set by `staffProcedure`, never by hand); absent means every staff role. */
  staffRoles?: StaffRole[];
  rateLimit?: RateLimitPolicy;
  cache?: CachePolicy | 'no-store';
  invalidates?: Resource[];
  /** See `WriteRoute.idempotency`. */
  idempotency?: 'required';
} & Pick<RouteBasics, 'successStatus' | 'ownership' | 'tokenEffect' | 'errors'>;

/** The meta of a route: its REST operation and the rules the docs and middlewares read. */
export function route(definition: RouteDefinition): ProcedureMeta {
  const { method, path, tags, summary, description, ...rules } = definition;
  return { openapi: { method, path, tags, summary, description }, ...rules };
}
