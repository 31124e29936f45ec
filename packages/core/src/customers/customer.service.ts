import { tokenVersionChange } from '../auth/accounts.ts';
import type { Principal } from '../auth/tokens.ts';
import type { Prisma } from '../db/client.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { lockCustomerTickets } from '../db/dialect.ts';
import { inTransaction } from '../db/transactions.ts';
import { AppError } from '../errors.ts';
import { diffFields, emitEvent, recordAudit } from '../events/outbox.ts';
import { countTicketsDeleted } from '../mechanics/ticket-count.ts';
import { pageWindow, toPage, type Page, type PaginationInput } from '../shared/schemas.ts';
import type { AppServices } from '../app-services.ts';
import type { TicketStatus } from '../service-tickets/service-ticket.schemas.ts';
import type { Customer, CustomerChanges, NewCustomer } from './customer.schemas.ts';

/** The columns a customer shows; the password hash is never selected. */
const customerFields = { id: true, name: true, email: true, phone: true, address: true } satisfies Prisma.CustomerSelect;

/** The profile fields an audit entry compares; the password is only ever noted as changed, never shown. */
const profileFields = ['name', 'email', 'phone', 'address'] as const;

/** What an audit entry says of a password change: that it happened, not the hash. */
const PASSWORD_CHANGED = { password: { before: '[redacted]', after: '[redacted]' } };

type Deps = Pick<AppServices, 'db' | 'provider' | 'passwords' | 'tokens'>;

/** The accounts a customer can use: erased ones stay only as the anonymous owners of shop records. */
const usable = { erasedAt: null } as const;

export async function registerCustomer({ db, passwords }: Pick<Deps, 'db' | 'passwords'>, input: NewCustomer): Promise<Customer> {
  const { password, ...profile } = input;
  const passwordHash = await passwords.hash(password);
  try {
    return await inTransaction(db, async (tx) => {
      const customer = await tx.customer.create({ data: { ...profile, passwordHash }, select: customerFields });
      // Registration is self-service: the new customer is the actor.
      const actor = { kind: 'customer', id: customer.id } as const;
      const subject = { type: 'customer', id: customer.id };
      await emitEvent(tx, { type: 'customer.created', actor, subject, data: customer });
      await recordAudit(tx, { actor, subject, action: 'customer.created', changes: diffFields(null, customer, profileFields) });
      return customer;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('email_taken', 'A customer with this email already exists');
    throw error;
  }
}

export async function listCustomers({ db }: Pick<Deps, 'db'>, page: PaginationInput): Promise<Page<Customer>> {
  const [items, total] = await Promise.all([
    db.customer.findMany({ where: usable, select: customerFields, orderBy: { id: 'asc' }, ...pageWindow(page) }),
    db.customer.count({ where: usable }),
  ]);
  return toPage(items, total, page);
}

/** Customers see only their own account; mechanics see any. */
export function assertMayReadCustomer(caller: Principal, customerId: number): void {
  if (caller.role === 'customer' && caller.id !== customerId) {
    throw new AppError('forbidden', 'Customers may only see their own account');
  }
}

export async function getCustomer({ db }: Pick<Deps, 'db'>, id: number): Promise<Customer> {
  const customer = await db.customer.findUnique({ where: { id, ...usable }, select: customerFields });
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
): Promise<Customer> {
  assertSelf(caller, id, 'change');
  const passwordHash = password === undefined ? undefined : await passwords.hash(password);
  try {
    return await inTransaction(db, async (tx) => {
      const current = await tx.customer.findUniqueOrThrow({ where: { id }, select: customerFields });
      const updated = await tx.customer.update({
        where: { id },
        data: {
          ...changes,
          ...(passwordHash === undefined ? {} : { passwordHash }),
          ...tokenVersionChange(current, { ...changes, password }),
        },
        select: customerFields,
      });
      await recordAudit(tx, {
        actor: caller,
        subject: { type: 'customer', id },
        action: 'customer.updated',
        changes: { ...diffFields(current, updated, profileFields), ...(password === undefined ? {} : PASSWORD_CHANGED) },
      });
      return updated;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('email_taken', 'A customer with this email already exists');
    throw error;
  }
}

/** Tickets in these statuses are shop records: work was done on them. */
const WORKED_ON: TicketStatus[] = ['IN_PROGRESS', 'COMPLETED'];

/**
 * Deletes one's own account. The person goes; the shop's records of work done stay:
 *
 * - tickets with no work done (PENDING, CANCELLED) are deleted with their
 *   assignments and part lines, and their parts go back to stock;
 * - the account's vehicles are deleted with their odometer readings, except
 *   those that remaining tickets (its own or a former owner's) are on;
 * - if tickets with work done or such vehicles remain, the account is
 *   erased rather than deleted: every personal field is overwritten, it can no
 *   longer log in, its tokens stop working, and it is left out of the customer
 *   lists, while its tickets keep their lines, assignments and totals;
 * - otherwise the row itself is deleted.
 *
 * The customer's tickets are locked first, so a mechanic's concurrent status
 * change or part line lands either before (and is seen here) or after (and
 * finds the ticket gone or kept).
 */
export async function deleteCustomer({ db, provider }: Pick<Deps, 'db' | 'provider'>, caller: Principal, id: number): Promise<void> {
  assertSelf(caller, id, 'delete');
  await inTransaction(db, async (tx) => {
    const ticketIds = await lockCustomerTickets(tx, provider, id);
    const tickets = await tx.serviceTicket.findMany({
      where: { id: { in: ticketIds } },
      select: {
        id: true,
        status: true,
        // A declined job's part lines gave their parts back when it was declined.
        jobs: {
          where: { authorization: { not: 'declined' } },
          select: { lines: { where: { type: 'part' }, select: { inventoryId: true, quantity: true } } },
        },
      },
    });
    const unworked = tickets.filter((ticket) => !WORKED_ON.includes(ticket.status));
    const restock = new Map<number, number>();
    for (const line of unworked.flatMap((ticket) => ticket.jobs.flatMap((job) => job.lines))) {
      restock.set(line.inventoryId!, (restock.get(line.inventoryId!) ?? 0) + line.quantity!);
    }
    for (const [inventoryId, quantity] of restock) {
      await tx.inventoryItem.update({ where: { id: inventoryId }, data: { quantity: { increment: quantity } }, select: { id: true } });
    }
    const deleted = unworked.map((ticket) => ticket.id);
    await countTicketsDeleted(tx, deleted);
    await tx.serviceTicket.deleteMany({ where: { id: { in: deleted } } });
    // Vehicles go with the person, except those that kept tickets (theirs, or a
    // former owner's) still reference: those stay as part of the shop's records.
    await tx.vehicle.deleteMany({ where: { customerId: id, tickets: { none: {} } } });
    const keptVehicles = await tx.vehicle.count({ where: { customerId: id } });
    // The entry names no personal data: the trail must not keep what erasure removes.
    const audit = (action: string) => recordAudit(tx, { actor: caller, subject: { type: 'customer', id }, action, changes: {} });
    if (unworked.length === tickets.length && keptVehicles === 0) {
      await tx.customer.delete({ where: { id }, select: { id: true } });
      await audit('customer.deleted');
      return;
    }
    await tx.customer.update({ where: { id }, data: erasedAccount(id), select: { id: true } });
    await audit('customer.erased');
  });
}

/**
 * What stays of an erased account: no personal data, a placeholder email that no
 * registration can take (it is not an email address), no password that any
 * login could match, and a new token version.
 */
function erasedAccount(id: number) {
  return {
    name: '',
    email: `erased-customer-${id}`,
    phone: '',
    address: '',
    passwordHash: '',
    tokenVersion: { increment: 1 },
    erasedAt: new Date(),
  } as const;
}
