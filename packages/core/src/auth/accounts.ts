import type { Database, Prisma } from '../db/client.ts';
import { AppError } from '../errors.ts';
import type { PasswordHasher } from './passwords.ts';
import type { IssuedToken, Principal, Role, TokenClaims, TokenService } from './tokens.ts';

/**
 * The login-relevant columns of an account of either role that may log in, by
 * email or id. An erased customer (see deleteCustomer) is nobody's account any more.
 */
async function findAccount(db: Database, role: Role, where: { email: string } | { id: number }) {
  const select = { id: true, passwordHash: true, tokenVersion: true } satisfies Prisma.CustomerSelect & Prisma.MechanicSelect;
  return role === 'customer'
    ? db.customer.findUnique({ where: { ...where, erasedAt: null }, select })
    : db.mechanic.findUnique({ where, select: { ...select, role: true } });
}

/**
 * Who the account behind a token's claims is now, with the token version it
 * has, or `null` when the account is gone: a token works only while its account
 * exists and its version is current. A staff account's role comes from here,
 * not from the token, so that a role change applies to the next request.
 */
export async function currentAccount(db: Database, claims: TokenClaims): Promise<{ principal: Principal; tokenVersion: number } | null> {
  const account = await findAccount(db, claims.role, { id: claims.id });
  if (!account) return null;
  const principal: Principal =
    'role' in account ? { role: 'mechanic', id: account.id, staffRole: account.role } : { role: 'customer', id: account.id };
  return { principal, tokenVersion: account.tokenVersion };
}

/**
 * The change to an account's token version that `changes` call for: a new
 * password or a new email revokes every token issued before (someone who learned
 * the old password may hold one), anything else keeps them.
 */
export function tokenVersionChange(
  current: { email: string },
  changes: { email?: string; password?: string },
): { tokenVersion?: { increment: 1 } } {
  const revokes = changes.password !== undefined || (changes.email !== undefined && changes.email !== current.email);
  return revokes ? { tokenVersion: { increment: 1 } } : {};
}

/**
 * Logs in as a customer or a mechanic. An unknown email and a wrong password get
 * the same answer, after the same bcrypt work, so neither the message nor the
 * timing tells which emails are registered. It takes the services by their own
 * types, not `AppServices`: that one names the authenticator, which imports this module.
 */
export async function logIn(
  { db, passwords, tokens }: { db: Database; passwords: PasswordHasher; tokens: TokenService },
  role: Role,
  credentials: { email: string; password: string },
): Promise<IssuedToken> {
  const account = await findAccount(db, role, { email: credentials.email });
  const valid = await passwords.verify(credentials.password, account?.passwordHash);
  if (!account || !valid) throw new AppError('invalid_credentials');
  return tokens.issue({ role, id: account.id, tokenVersion: account.tokenVersion });
}
