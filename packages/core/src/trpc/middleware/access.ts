import type { Principal } from '../../auth/tokens.ts';
import { AppError } from '../../errors.ts';
import type { AuthOutcome } from '../context.ts';
import type { Step } from '../stack.ts';
import type { StaffRole } from '../../auth/tokens.ts';
import type { Access } from '../meta.ts';

const UNAUTHENTICATED_MESSAGE: Record<Exclude<AuthOutcome['problem'], undefined>, string> = {
  missing: 'This route needs a bearer token: send `Authorization: Bearer <token>` from a login',
  invalid: 'The bearer token is not valid',
  expired: 'The bearer token has expired; log in again',
  revoked: 'The bearer token was revoked: its account was deleted, or its password or email changed since; log in again',
};

/**
 * RFC 6750 §3: every 401 for want of a valid token tells the client which
 * scheme to use and what was wrong with its token. On every procedure, since
 * not only the access check refuses anonymous callers: `POST /mechanics` does
 * once the shop has its first mechanic.
 */
export const challengeUnauthenticated: Step = async ({ ctx }, next) => {
  const result = await next();
  if (!result.ok && result.error instanceof AppError && result.error.problem === 'unauthenticated') {
    const { problem } = await ctx.authenticate();
    ctx.responseHeaders['WWW-Authenticate'] =
      problem === undefined || problem === 'missing' ? 'Bearer' : `Bearer error="invalid_token", error_description="${problem}"`;
  }
  return result;
};

const nameOf = (role: StaffRole) => role.replace('_', ' ');

/** "owners and service writers": who a staff route is for, in its 403s and its docs. */
export function describeStaffRoles(roles: readonly StaffRole[]): string {
  const names = roles.map((role) => `${nameOf(role)}s`);
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names.join('');
}

export type CallerOf<A extends Exclude<Access, 'public'>> = A extends 'authenticated' ? Principal : Extract<Principal, { role: A }>;

/**
 * Lets through callers of the given role (or any logged-in caller), and on a
 * staff route only staff of one of `staffRoles`, and makes them the caller
 * (`ctx.caller`, typed `CallerOf<A>` by the procedure builder): 401 without a
 * valid token, 403 with the wrong role or staff role.
 */
export function requireAccess(access: Exclude<Access, 'public'>, staffRoles?: readonly StaffRole[]): Step {
  return async (call, next) => {
    const { principal, problem } = await call.ctx.authenticate();
    if (!principal) throw new AppError('unauthenticated', UNAUTHENTICATED_MESSAGE[problem]);
    if (access !== 'authenticated' && principal.role !== access) throw new AppError('forbidden', `This route is for ${access}s`);
    if (staffRoles && principal.role === 'mechanic' && !staffRoles.includes(principal.staffRole)) {
      throw new AppError(
        'forbidden',
        `This route is for ${describeStaffRoles(staffRoles)}; this account is a ${nameOf(principal.staffRole)}`,
      );
    }
    call.caller = principal;
    return next();
  };
}
