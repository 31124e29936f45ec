import { tokenVersionChange } from '../auth/accounts.ts';
import type { Principal } from '../auth/tokens.ts';
import type { Prisma, Transaction } from '../db/client.ts';
import { inTransaction } from '../db/transactions.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { countRows } from '../db/dialect.ts';
import { AppError } from '../errors.ts';
import { formatCents } from '../shared/money.ts';
import { pageWindow, toPage, type Page, type PaginationInput } from '../shared/schemas.ts';
import type { AppServices } from '../app-services.ts';
import type { Mechanic, MechanicChanges, NewMechanic, TopMechanics } from './mechanic.schemas.ts';

type Deps = Pick<AppServices, 'db' | 'passwords' | 'tokens'>;

const staffFields = { id: true, name: true, email: true, phone: true, address: true, salaryCents: true } satisfies Prisma.MechanicSelect;
const publicFields = { id: true, name: true } satisfies Prisma.MechanicSelect;

/**
 * A mechanic as `viewer` may see it: mechanics see their colleagues' contact
 * details, and only their own salary (there is no owner role yet to see the
 * others'); everyone else sees id and name.
 */
function toView(viewer: Principal | null, { salaryCents, ...mechanic }: { id: number; name: string; salaryCents?: number }): Mechanic {
  const ownAccount = viewer?.role === 'mechanic' && viewer.id === mechanic.id;
  return ownAccount && salaryCents !== undefined ? { ...mechanic, salary: formatCents(salaryCents) } : mechanic;
}

function fieldsFor(viewer: Principal | null) {
  return viewer?.role === 'mechanic' ? staffFields : publicFields;
}

/** The row of a new mechanic: the salary in cents, the password hashed. */
async function mechanicRow(passwords: Deps['passwords'], { password, salary, ...profile }: NewMechanic) {
  return { ...profile, salaryCents: salary, passwordHash: await passwords.hash(password) };
}

/**
 * Registers a mechanic. Mechanics are the shop's staff: only a mechanic may add
 * one, except for the shop's very first account. That one claims the single
 * `shop_setup` row in the same transaction, so of two concurrent first
 * registrations exactly one succeeds.
 */
export async function registerMechanic(
  { db, passwords }: Pick<Deps, 'db' | 'passwords'>,
  registrar: Principal | null,
  input: NewMechanic,
): Promise<Mechanic> {
  const data = await mechanicRow(passwords, input);
  try {
    const created =
      registrar?.role === 'mechanic'
        ? await db.mechanic.create({ data, select: staffFields })
        : await inTransaction(db, async (tx) => {
            await tx.shopSetup.create({ data: { id: 1 } }).catch((error: unknown) => {
              if (!isUniqueViolation(error)) throw error;
              throw registrar
                ? new AppError('forbidden', 'Only a mechanic may register mechanics')
                : new AppError('unauthenticated', 'The shop already has mechanics: registering another needs a mechanic token');
            });
            return tx.mechanic.create({ data, select: staffFields });
          });
    // Shown as to the new account itself: the answer echoes the salary the caller just set.
    return toView({ role: 'mechanic', id: created.id }, created);
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('email_taken', 'A mechanic with this email already exists');
    throw error;
  }
}

export async function listMechanics({ db }: Pick<Deps, 'db'>, viewer: Principal | null, page: PaginationInput): Promise<Page<Mechanic>> {
  const [rows, total] = await Promise.all([
    db.mechanic.findMany({ select: fieldsFor(viewer), orderBy: { id: 'asc' }, ...pageWindow(page) }),
    countRows(db, 'mechanics'),
  ]);
  return toPage(
    rows.map((row) => toView(viewer, row)),
    total,
    page,
  );
}

/** Mechanics by the number of tickets they are assigned to, most first; ties by id. One query. */
export async function topMechanics({ db }: Pick<Deps, 'db'>, limit: number): Promise<TopMechanics> {
  const rows = await db.mechanic.findMany({
    select: { id: true, name: true, _count: { select: { assignments: true } } },
    orderBy: [{ assignments: { _count: 'desc' } }, { id: 'asc' }],
    take: limit,
  });
  return { items: rows.map(({ id, name, _count }) => ({ id, name, ticket_count: _count.assignments })) };
}

export async function getMechanic({ db }: Pick<Deps, 'db'>, viewer: Principal | null, id: number): Promise<Mechanic> {
  const mechanic = await db.mechanic.findUnique({ where: { id }, select: fieldsFor(viewer) });
  if (!mechanic) throw new AppError('not_found', `No mechanic with id ${id}`);
  return toView(viewer, mechanic);
}

function assertSelf(caller: Principal, id: number, action: string): void {
  if (caller.id !== id) throw new AppError('forbidden', `Mechanics may only ${action} their own account`);
}

export async function updateMechanic(
  { db, passwords }: Pick<Deps, 'db' | 'passwords'>,
  caller: Principal,
  { id, password, salary, ...changes }: MechanicChanges,
): Promise<Mechanic> {
  assertSelf(caller, id, 'change');
  const passwordHash = password === undefined ? undefined : await passwords.hash(password);
  try {
    const updated = await inTransaction(db, async (tx) => {
      const current = await tx.mechanic.findUniqueOrThrow({ where: { id }, select: { email: true } });
      return tx.mechanic.update({
        where: { id },
        data: {
          ...changes,
          ...(salary === undefined ? {} : { salaryCents: salary }),
          ...(passwordHash === undefined ? {} : { passwordHash }),
          ...tokenVersionChange(current, { ...changes, password }),
        },
        select: staffFields,
      });
    });
    return toView(caller, updated);
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('email_taken', 'A mechanic with this email already exists');
    throw error;
  }
}

/**
 * Serialises the writes that must see the shop's staff as a whole (deleting a
 * mechanic, opening the shop) by writing the one `shop_setup` row: PostgreSQL and
 * MySQL hold its row lock until the transaction ends, and SQLite has one writer
 * at a time. Plain SQL, the same on every provider. The row exists whenever a
 * mechanic does: the first one is created in the same transaction as the row.
 */
async function lockShop(tx: Transaction): Promise<void> {
  await tx.$executeRaw`UPDATE shop_setup SET completed_at = completed_at WHERE id = 1`;
}

/**
 * Deletes one's own account, unless it is the shop's last: nobody could add
 * mechanics again. Under the shop lock, so that two mechanics deleting themselves
 * at the same moment cannot both see a colleague left.
 */
export async function deleteMechanic({ db }: Pick<Deps, 'db'>, caller: Principal, id: number): Promise<void> {
  assertSelf(caller, id, 'delete');
  await inTransaction(db, async (tx) => {
    await lockShop(tx);
    if ((await tx.mechanic.count()) <= 1) throw new AppError('last_mechanic');
    await tx.mechanic.delete({ where: { id }, select: { id: true } });
  });
}

/**
 * Creates a mechanic on the operator's authority (start-up variables or the CLI,
 * never an API call) when the shop has none: a new shop, or one left without
 * staff, which `POST /mechanics` will not reopen to anonymous callers. Resolves
 * to `null`, creating nothing, when the shop has a mechanic, including one
 * created by a concurrent call.
 */
export async function openShop({ db, passwords }: Pick<Deps, 'db' | 'passwords'>, input: NewMechanic): Promise<Mechanic | null> {
  if ((await db.mechanic.count()) > 0) return null;
  const data = await mechanicRow(passwords, input);
  try {
    const created = await inTransaction(db, async (tx) => {
      await lockShop(tx);
      // Read before counting: a row that exists without the lock was committed by a
      // concurrent opener after the lock was asked for, with its mechanic, whom the count then sees.
      const opened = await tx.shopSetup.findUnique({ where: { id: 1 }, select: { id: true } });
      if ((await tx.mechanic.count()) > 0) return null;
      // A new shop has no row to lock: claiming it decides between two openers (the second fails on the primary key).
      if (!opened) await tx.shopSetup.create({ data: { id: 1 }, select: { id: true } });
      return tx.mechanic.create({ data, select: staffFields });
    });
    return created && toView({ role: 'mechanic', id: created.id }, created);
  } catch (error) {
    // A concurrent first registration claimed the shop (or the email) first.
    if (isUniqueViolation(error)) return null;
    throw error;
  }
}
