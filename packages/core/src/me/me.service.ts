import type { Principal } from '../auth/tokens.ts';
import { AppError } from '../errors.ts';
import type { AppServices } from '../app-services.ts';
import type { Me } from './me.schemas.ts';

/** The account behind the caller's token: a customer, or a staff account with its current role. */
export async function whoAmI({ db }: Pick<AppServices, 'db'>, caller: Principal): Promise<Me> {
  const fields = { id: true, name: true, email: true };
  const account =
    caller.role === 'customer'
      ? await db.customer.findUnique({ where: { id: caller.id }, select: fields })
      : await db.mechanic.findUnique({ where: { id: caller.id }, select: { ...fields, role: true } });
  // Deleted since its token was checked, a moment ago.
  if (!account) throw new AppError('unauthenticated', 'The account of this bearer token no longer exists');
  return { kind: caller.role === 'customer' ? 'customer' : 'staff', ...account };
}
