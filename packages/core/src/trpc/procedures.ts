import { t } from './init.ts';
import type { StaffRole } from '../auth/tokens.ts';
import { honourIdempotencyKeys } from '../idempotency/idempotency.middleware.ts';
import { challengeUnauthenticated, requireAccess, type CallerOf } from './middleware/access.ts';
import { cacheAnswers } from './middleware/cache.ts';
import { translateDatabaseErrors } from './middleware/database-errors.ts';
import { limitRate } from './middleware/rate-limit.ts';
import { stackOf } from './stack.ts';

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * Every procedure: database errors translated, 401s with their challenge, rate
 * limit spent. The access check comes next and the cache after it, so that no
 * cached answer skips the access check; then idempotency keys (POSTs), after
 * the cache's input depth check and before the handler.
 */
const first = [translateDatabaseErrors, challengeUnauthenticated, limitRate];
const last = [cacheAnswers, honourIdempotencyKeys];

/** Anyone may call it; `ctx.authenticate()` tells who, where the answer depends on it. */
export const publicProcedure = t.procedure.meta({ access: 'public' }).use(stackOf<undefined>(...first, ...last));
/** Any logged-in customer or mechanic (`ctx.caller`). */
export const authenticatedProcedure = t.procedure
  .meta({ access: 'authenticated' })
  .use(stackOf<CallerOf<'authenticated'>>(...first, requireAccess('authenticated'), ...last));
/** Customers only; `ctx.caller` is the customer. */
export const customerProcedure = t.procedure
  .meta({ access: 'customer' })
  .use(stackOf<CallerOf<'customer'>>(...first, requireAccess('customer'), ...last));
/** Mechanics (the shop's staff, any staff role) only; `ctx.caller` is the mechanic. */
export const mechanicProcedure = t.procedure
  .meta({ access: 'mechanic' })
  .use(stackOf<CallerOf<'mechanic'>>(...first, requireAccess('mechanic'), ...last));
/** Staff with one of these roles only (403 for the others); `ctx.caller` is the mechanic. */
export function staffProcedure(...roles: [StaffRole, ...StaffRole[]]) {
  return t.procedure
    .meta({ access: 'mechanic', staffRoles: roles })
    .use(stackOf<CallerOf<'mechanic'>>(...first, requireAccess('mechanic', roles), ...last));
}
