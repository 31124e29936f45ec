import type { Principal } from '../auth/tokens.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { countRows } from '../db/dialect.ts';
import { AppError } from '../errors.ts';
import { pageWindow, toPage, type Page, type PaginationInput } from '../shared/schemas.ts';
import type { AppServices } from '../trpc/context.ts';
import type { CustomerChanges, NewCustomer } from './customer.schemas.ts';

/** The columns a customer shows; the password hash is never selected. */
const customerFields = { id: true, name: true, email: true, phone: true, address: true } as const;

export type CustomerView = { id: number; name: string; email: string; phone: string; address: string };

type Deps = Pick<AppServices, 'db' | 'passwords' | 'tokens'>;

export async function registerCustomer({ db, passwords }: Pick<Deps, 'db' | 'passwords'>, input: NewCustomer): Promise<CustomerView> {
  const { password, ...profile } = input;
  try {
    return await db.customer.create({
      data: { ...profile, passwordHash: await passwords.hash(password) },
      select: customerFields,
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('email_taken', 'A customer with this email already exists');
    throw error;
  }
}

export async function listCustomers({ db }: Pick<Deps, 'db'>, page: PaginationInput): Promise<Page<CustomerView>> {
  const [items, total] = await Promise.all([
    db.customer.findMany({ select: customerFields, orderBy: { id: 'asc' }, ...pageWindow(page) }),
    countRows(db, 'customers'),
  ]);
  return toPage(items, total, page);
}

/** Customers see only their own account; mechanics see any. */
export function assertMayReadCustomer(caller: Principal, customerId: number): void {
  if (caller.role === 'customer' && caller.id !== customerId) {
    throw new AppError('forbidden', 'Customers may only see their own account');
  }
}

export async function getCustomer({ db }: Pick<Deps, 'db'>, id: number): Promise<CustomerView> {
  const customer = await db.customer.findUnique({ where: { id }, select: customerFields });
  if (!customer) throw new AppError('not_found', `No customer with id ${id}`);
  return customer;
}

function assertSelf(caller: Principal, customerId: number, action: string): void {
  if (caller.id !== customerId) throw new AppError('forbidden', `Customers may only ${action} their own account`);
}

export async function updateCustomer(
  { db, passwords }: Pick<Deps, 'db' | 'passwords'>,
  caller: Principal,
  { id, password, ...changes }: CustomerChanges,
): Promise<CustomerView> {
  assertSelf(caller, id, 'change');
  try {
    return await db.customer.update({
      where: { id },
      data: { ...changes, ...(password === undefined ? {} : { passwordHash: await passwords.hash(password) }) },
      select: customerFields,
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('email_taken', 'A customer with this email already exists');
    throw error;
  }
}

/** Deletes the account and, through the foreign keys, its tickets with their assignments and part lines. */
export async function deleteCustomer({ db }: Pick<Deps, 'db'>, caller: Principal, id: number): Promise<void> {
  assertSelf(caller, id, 'delete');
  await db.customer.delete({ where: { id }, select: { id: true } });
}
