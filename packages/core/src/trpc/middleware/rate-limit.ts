import { AppError } from '../../errors.ts';
import { rateLimitedDetail } from '../../rate-limit/limiter.ts';
import { servicesOf } from '../context.ts';
import { t } from '../init.ts';

/**
 * Spends the caller's rate-limit budget before anything else runs (so that
 * guessing tokens or passwords is limited too). Every call spends the global
 * per-client budget; the route's `rateLimit` policy adds its own bucket, and a
 * login also spends from its account's bucket (given back if the login works).
 * Both doors build the same client address, so they share one budget.
 */
export const limitRate = t.middleware(async ({ ctx, meta, getRawInput, next }) => {
  const limiter = servicesOf(ctx).rateLimiter;
  if (!limiter.enabled) return next();
  const policy = meta?.rateLimit ?? 'read';
  const account = policy === 'login' ? loginEmailOf(await getRawInput()) : undefined;
  const verdict = await limiter.consume(policy, ctx.request.clientIp, account);
  Object.assign(ctx.responseHeaders, verdict.headers);
  if (!verdict.allowed) {
    throw new AppError('rate_limited', rateLimitedDetail(verdict));
  }
  const result = await next();
  if (account !== undefined && result.ok) await limiter.forgiveLogin(account);
  return result;
});

/** The login email as the per-account bucket knows it: normalised like the account's stored email. */
function loginEmailOf(input: unknown): string | undefined {
  const email = (input as { email?: unknown } | null)?.email;
  return typeof email === 'string' ? email.trim().toLowerCase() : undefined;
}
