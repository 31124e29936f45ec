import { AppError } from '../../errors.ts';
import type { AuthOutcome } from '../context.ts';
import { t } from '../init.ts';
import type { Access } from '../meta.ts';

const UNAUTHENTICATED_MESSAGE: Record<Exclude<AuthOutcome['problem'], undefined>, string> = {
  missing: 'This route needs a bearer token: send `Authorization: Bearer <token>` from a login',
  invalid: 'The bearer token is not valid',
  expired: 'The bearer token has expired; log in again',
  revoked: 'The account of this bearer token no longer exists',
};

/**
 * RFC 6750 §3: every 401 for want of a valid token tells the client which
 * scheme to use and what was wrong with its token. On every procedure, since
 * not only the access check refuses anonymous callers: `POST /mechanics` does
 * once the shop has its first mechanic.
 */
export const challengeUnauthenticated = t.middleware(async ({ ctx, next }) => {
  const result = await next();
  if (!result.ok && result.error instanceof AppError && result.error.problem === 'unauthenticated') {
    const { problem } = await ctx.authenticate();
    ctx.responseHeaders['WWW-Authenticate'] =
      problem === undefined || problem === 'missing' ? 'Bearer' : `Bearer error="invalid_token", error_description="${problem}"`;
  }
  return result;
});

/**
 * Lets through callers of the given role (or any logged-in caller) and puts
 * them in `ctx.caller`: 401 without a valid token, 403 with the wrong role.
 */
export function requireAccess(access: Exclude<Access, 'public'>) {
  return t.middleware(async ({ ctx, next }) => {
    const outcome = await ctx.authenticate();
    if (!outcome.principal) throw new AppError('unauthenticated', UNAUTHENTICATED_MESSAGE[outcome.problem]);
    if (access !== 'authenticated' && outcome.principal.role !== access) {
      throw new AppError('forbidden', `This route is for ${access}s`);
    }
    return next({ ctx: { caller: outcome.principal } });
  });
}
