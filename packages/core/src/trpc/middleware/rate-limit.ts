import { AppError } from '../../errors.ts';
import { addRateLimitFields, rateLimitedDetail, type RateLimitVerdict } from '../../rate-limit/limiter.ts';
import { Email } from '../../shared/schemas.ts';
import type { Step } from '../stack.ts';

/**
 * Spends the caller's rate-limit budget before anything else runs (so that
 * guessing tokens or passwords is limited too). The global per-client budget
 * was spent by the door for the whole request (in-process callers spend it
 * here); the route's `rateLimit` policy adds its own bucket. A login is then
 * checked against its account's budgets, which only a wrong password spends:
 * a request refused for its input or its client's limits leaves no state
 * about the account it named.
 */
export const limitRate: Step = async ({ ctx, services, meta, path, getRawInput }, next) => {
  const limiter = services.rateLimiter;
  if (!limiter.enabled) return next();
  const door = ctx.request.globalBudget;
  if (door && !door.allowed) refuse(door);
  const policy = meta?.rateLimit ?? 'read';
  const verdict = await limiter.consume(policy, ctx.request.clientIp, { global: door ? 0 : 1 });
  addRateLimitFields(ctx.responseHeaders, verdict);
  if (!verdict.allowed) refuse(verdict);
  if (policy !== 'login') return next();

  const email = loginEmailOf(await getRawInput());
  if (email === undefined) return next();
  // The path names the login route, so customers' and mechanics' accounts have budgets apart.
  const attempt = await limiter.checkLogin(path, email, ctx.request.clientIp);
  addRateLimitFields(ctx.responseHeaders, attempt.verdict);
  if (!attempt.verdict.allowed) refuse(attempt.verdict);
  const result = await next();
  if (result.ok) await attempt.settle('succeeded');
  else if (result.error instanceof AppError && result.error.problem === 'invalid_credentials') await attempt.settle('failed');
  return result;
};

function refuse(verdict: RateLimitVerdict): never {
  throw new AppError('rate_limited', rateLimitedDetail(verdict));
}

/** The login email as accounts store it, if it is a valid one (anything else is refused by the input schema). */
function loginEmailOf(input: unknown): string | undefined {
  const parsed = Email.safeParse((input as { email?: unknown } | null)?.email);
  return parsed.success ? parsed.data : undefined;
}
