import type { Principal } from '../auth/tokens.ts';
import { AppError } from '../errors.ts';
import type { AppServices } from '../app-services.ts';
import { readSettings } from '../shop/shop.service.ts';
import type { Me } from './me.schemas.ts';

/** The account behind the caller's token: a customer, or a staff account with its current role; and the shop's name and currency. */
export async function whoAmI({ db }: Pick<AppServices, 'db'>, caller: Principal): Promise<Me> {
  const fields = { id: true, name: true, email: true };
  const [account, settings] = await Promise.all([
    caller.role === 'customer'
      ? db.customer.findUnique({ where: { id: caller.id }, select: fields })
      : db.mechanic.findUnique({ where: { id: caller.id }, select: { ...fields, role: true } }),
    readSettings(db),
  ]);
  // Deleted since its token was checked, a moment ago.
  if (!account) throw new AppError('unauthenticated', 'The account of this bearer token no longer exists');
  return {
    kind: caller.role === 'customer' ? 'customer' : 'staff',
    ...account,
    shop: { name: settings.shopName, currency: settings.currency },
  };
}
