import { servicesOf } from './context.ts';
import { t } from './init.ts';
import type { StaffRole } from '../auth/tokens.ts';
import { honourIdempotencyKeys } from '../idempotency/idempotency.middleware.ts';
import { challengeUnauthenticated, requireAccess } from './middleware/access.ts';
import { cacheAnswers } from './middleware/cache.ts';
import { translateDatabaseErrors } from './middleware/database-errors.ts';
import { limitRate } from './middleware/rate-limit.ts';

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Gives procedures the typed services the root context keeps opaque (see `RequestContext`). */
const withServices = t.middleware(({ ctx, next }) => next({ ctx: { services: servicesOf(ctx) } }));

/**
 * Every procedure: typed services, database errors translated, 401s with their
 * challenge, rate limit spent. The access check comes next and the cache after
 * it, so that no cached answer skips the access check; then idempotency keys
 * (POSTs), after the cache's input depth check and before the handler.
 */
const baseProcedure = t.procedure.use(withServices).use(translateDatabaseErrors).use(challengeUnauthenticated).use(limitRate);

/** Anyone may call it; `ctx.authenticate()` tells who, where the answer depends on it. */
export const publicProcedure = baseProcedure.meta({ access: 'public' }).use(cacheAnswers).use(honourIdempotencyKeys);
/** Any logged-in customer or mechanic (`ctx.caller`). */
export const authenticatedProcedure = baseProcedure
  .meta({ access: 'authenticated' })
  .use(requireAccess('authenticated'))
  .use(cacheAnswers)
  .use(honourIdempotencyKeys);
/** Customers only; `ctx.caller` is the customer. */
export const customerProcedure = baseProcedure
  .meta({ access: 'customer' })
  .use(requireAccess('customer'))
  .use(cacheAnswers)
  .use(honourIdempotencyKeys);
/** Mechanics (the shop's staff, any staff role) only; `ctx.caller` is the mechanic. */
export const mechanicProcedure = baseProcedure
  .meta({ access: 'mechanic' })
  .use(requireAccess('mechanic'))
  .use(cacheAnswers)
  .use(honourIdempotencyKeys);
/** Staff with one of these roles only (403 for the others); `ctx.caller` is the mechanic. */
export function staffProcedure(...roles: [StaffRole, ...StaffRole[]]) {
  return baseProcedure
    .meta({ access: 'mechanic', staffRoles: roles })
    .use(requireAccess('mechanic', roles))
    .use(cacheAnswers)
    .use(honourIdempotencyKeys);
}
