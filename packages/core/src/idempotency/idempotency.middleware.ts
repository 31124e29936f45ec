import { createHash } from 'node:crypto';
import type { AnyProcedure } from '@trpc/server';
import { getParseFn, isObject } from '@trpc/server/unstable-core-do-not-import';
import { AppError, type FieldError, type ProblemCode } from '../errors.ts';
import type { RequestContext } from '../trpc/context.ts';
import { answered, type Step } from '../trpc/stack.ts';
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENT_REPLAYED_HEADER, idempotencyKeyOf } from './idempotency-key.ts';
import { claimKey, recordAnswer, releaseKey, requestHashOf, type StoredAnswer } from './idempotency.service.ts';

/**
 * Idempotency keys on every POST (draft-ietf-httpapi-idempotency-key-header),
 * once for both doors and in-process callers: a POST with an `Idempotency-Key`
 * runs once per key, and its repeats get the first answer again (same status
 * and body, plus `Idempotent-Replayed: true`) instead of running twice. A route
 * with `idempotency: 'required'` refuses a POST without a key.
 *
 * It runs after the access check (a key never tells a caller anything about a
 * route it may not call) and the input's depth check, and claims the key before
 * the handler runs (idempotency.service.ts). What is kept of the outcome:
 * - a success: its status and body, replayed;
 * - a domain error (4xx, such as `overpayment`): the same problem, replayed;
 * - an error that a retry may not meet again (409 `transaction_conflict` or
 *   `conflict`, 5xx, anything unexpected): nothing; the key is let go, so that a
 *   retry runs the request again.
 *
 * An input the procedure would refuse (400) claims nothing, so the client may
 * fix it and send it with the same key. Logins are not recorded: a login writes
 * nothing, so a retried one just logs in again, and its answer, a live token,
 * is not kept in the database.
 */
export const honourIdempotencyKeys: Step = async ({ ctx, services, meta, type, path, getRawInput }, next) => {
  if (type !== 'mutation' || meta?.openapi?.method !== 'POST') return next();
  const header = ctx.request.idempotencyKey;
  if (header === undefined) {
    if (meta.idempotency !== 'required') return next();
    throw new AppError(
      'idempotency_key_required',
      `Send an ${IDEMPOTENCY_KEY_HEADER} header (a new UUID for each new request, the same one when retrying it): this request must not run twice`,
    );
  }
  const key = idempotencyKeyOf(header);
  if (meta.rateLimit === 'login') return next();
  const input = await parsedInput(path, await getRawInput());
  if (!input.valid) return next();

  const claim = await claimKey(services, { scope: await scopeOf(ctx, path), key, requestHash: requestHashOf(input.value) });
  if ('answer' in claim) {
    ctx.responseHeaders[IDEMPOTENT_REPLAYED_HEADER] = 'true';
    return answered(replayed(claim.answer));
  }
  const result = await next();
  const answer = result.ok ? { status: meta.successStatus ?? 200, body: JSON.stringify(result.data) ?? null } : storedProblem(result.error);
  try {
    await (answer ? recordAnswer(services, claim.id, answer) : releaseKey(services, claim.id));
  } catch (error) {
    // The request's own outcome stands: its key stays in flight until it expires (409 to its repeats), never runs twice.
    services.log.error({ request_id: ctx.request.requestId, err: error }, 'could not settle an idempotency key');
  }
  return result;
};

/** Whose key it is, and for which route: the caller's account, or (anonymous calls) a digest of the client's address. */
async function scopeOf(ctx: RequestContext, path: string): Promise<string> {
  const { principal } = await ctx.authenticate();
  if (principal) return `${principal.role === 'customer' ? 'customer' : 'staff'}:${principal.id}:${path}`;
  const client = createHash('sha256').update(ctx.request.clientIp).digest('hex').slice(0, 16);
  return `client:${client}:${path}`;
}

/** What a stored problem keeps, to be thrown again on a replay. */
interface StoredProblem {
  problem: ProblemCode;
  message: string;
  fields?: FieldError[];
}

/** Problems a retry could meet again, or not: their keys are let go rather than their answers kept. */
const RETRYABLE: ReadonlySet<ProblemCode> = new Set(['transaction_conflict', 'conflict', 'rate_limited']);

function storedProblem(error: unknown): StoredAnswer | undefined {
  if (!(error instanceof AppError) || error.status >= 500 || RETRYABLE.has(error.problem)) return undefined;
  const stored: StoredProblem = { problem: error.problem, message: error.message, ...(error.fields ? { fields: error.fields } : {}) };
  return { status: error.status, body: JSON.stringify(stored) };
}

/** A stored answer as its first request gave it: the output, or the same problem thrown again. */
function replayed(answer: StoredAnswer): unknown {
  const body: unknown = answer.body === null ? undefined : JSON.parse(answer.body);
  if (answer.status < 400) return body;
  const { problem, message, fields } = body as StoredProblem;
  throw new AppError(problem, message, { fields });
}

/**
 * The procedures of the API by path, for their input parsers. Read from the
 * router on first use: the router imports the procedure builders, which
 * include this middleware.
 */
let procedures: Promise<Map<string, AnyProcedure>> | undefined;

/**
 * The input as the procedure will parse it (its middlewares run before its own
 * input parser), or `valid: false` when the procedure will refuse it.
 */
async function parsedInput(path: string, raw: unknown): Promise<{ valid: true; value: unknown } | { valid: false }> {
  procedures ??= import('../router.ts').then(
    ({ listProcedures }) => new Map(listProcedures().map((entry) => [entry.path, entry.procedure])),
  );
  const procedure = (await procedures).get(path);
  if (!procedure) throw new Error(`${path} is not a procedure of the API's router`);
  let value: unknown = undefined;
  for (const parser of procedure._def.inputs) {
    try {
      const parsed = await getParseFn(parser)(raw);
      // Several `.input()` merge as tRPC merges them.
      value = isObject(value) && isObject(parsed) ? { ...value, ...parsed } : parsed;
    } catch {
      return { valid: false };
    }
  }
  return { valid: true, value };
}
