import { AppError } from '../errors.ts';
import type { AppServices } from '../trpc/context.ts';
import type { IssuedToken, Role } from './tokens.ts';

/** The login-relevant columns of an account of either role, by email or id. */
async function findAccount(db: AppServices['db'], role: Role, where: { email: string } | { id: number }) {
  const select = { id: true, passwordHash: true } as const;
  return role === 'customer' ? db.customer.findUnique({ where, select }) : db.mechanic.findUnique({ where, select });
}

/** Whether the account behind a token still exists (a deleted account's tokens stop working). */
export async function accountExists(db: AppServices['db'], role: Role, id: number): Promise<boolean> {
  const where = { id };
  const select = { id: true } as const;
  return (role === 'customer' ? await db.customer.findUnique({ where, select }) : await db.mechanic.findUnique({ where, select })) !== null;
}

/**
 * Logs in as a customer or a mechanic. An unknown email and a wrong password get
 * the same answer, after the same bcrypt work, so neither the message nor the
 * timing tells which emails are registered.
 */
export async function logIn(
  { db, passwords, tokens }: Pick<AppServices, 'db' | 'passwords' | 'tokens'>,
  role: Role,
  credentials: { email: string; password: string },
): Promise<IssuedToken> {
  const account = await findAccount(db, role, { email: credentials.email });
  const valid = await passwords.verify(credentials.password, account?.passwordHash);
  if (!account || !valid) throw new AppError('invalid_credentials');
  return tokens.issue({ role, id: account.id });
}
