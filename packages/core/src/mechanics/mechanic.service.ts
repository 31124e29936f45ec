import { tokenVersionChange } from '../auth/accounts.ts';
import type { Principal, StaffPrincipal } from '../auth/tokens.ts';
import type { Prisma, Transaction } from '../db/client.ts';
import { inTransaction } from '../db/transactions.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { countRows } from '../db/dialect.ts';
import { AppError } from '../errors.ts';
import { diffFields, emitEvent, recordAudit, type EventActor } from '../events/outbox.ts';
import { formatCents } from '../shared/money.ts';
import { pageWindow, toPage, type Page, type PaginationInput } from '../shared/schemas.ts';
import type { AppServices } from '../app-services.ts';
import type { Mechanic, MechanicChanges, NewMechanic, RoleChange, StaffRole, TopMechanics } from './mechanic.schemas.ts';

type Deps = Pick<AppServices, 'db' | 'passwords' | 'tokens'>;

const staffFields = {
  id: true,
  name: true,
  role: true,
  email: true,
  phone: true,
  address: true,
  salaryCents: true,
} satisfies Prisma.MechanicSelect;
const publicFields = { id: true, name: true, role: true } satisfies Prisma.MechanicSelect;

/**
 * A mechanic as `viewer` may see it: staff see their colleagues' contact
 * details; the salary is the account's own business and its owners' (who set
 * it); everyone else sees id, name and role.
 */
function toView(
  viewer: Principal | null,
  { salaryCents, ...mechanic }: { id: number; name: string; role: StaffRole; salaryCents?: number },
): Mechanic {
  const seesSalary = viewer?.role === 'mechanic' && (viewer.id === mechanic.id || viewer.staffRole === 'owner');
  return seesSalary && salaryCents !== undefined ? { ...mechanic, salary: formatCents(salaryCents) } : mechanic;
}

/** The view of a row as its own account sees it: what a write answers its owner with. */
const asOwnAccount = (row: { id: number; role: StaffRole }): StaffPrincipal => ({ role: 'mechanic', id: row.id, staffRole: row.role });

type StaffRow = Prisma.MechanicGetPayload<{ select: typeof staffFields }>;

/** A row as the audit trail shows it (to owners only): every field, the salary as money. */
function auditView({ salaryCents, ...row }: StaffRow) {
  return { ...row, salary: formatCents(salaryCents) };
}

const auditedFields = ['name', 'role', 'email', 'phone', 'address', 'salary'] as const;

/**
 * Records a change to a staff account in its transaction: the audit entry (a
 * password change noted, never its hash) and, when the role changed,
 * `staff.role_changed` with only id, name and role (no salary, no contacts).
 */
async function auditStaffChange(
  tx: Transaction,
  actor: EventActor,
  action: string,
  before: StaffRow | null,
  after: StaffRow | null,
  passwordChanged = false,
): Promise<void> {
  const id = (after ?? before)!.id;
  const subject = { type: 'mechanic', id };
  const changes = diffFields(before && auditView(before), after && auditView(after), auditedFields);
  if (passwordChanged) changes.password = { before: '[redacted]', after: '[redacted]' };
  await recordAudit(tx, { actor, subject, action, changes });
  if (before && after && before.role !== after.role) {
    await emitEvent(tx, { type: 'staff.role_changed', actor, subject, data: { id, name: after.name, role: after.role } });
  }
}

function fieldsFor(viewer: Principal | null) {
  return viewer?.role === 'mechanic' ? staffFields : publicFields;
}

/** The row of a new mechanic: the salary in cents, the password hashed. */
async function mechanicRow(passwords: Deps['passwords'], { password, salary, ...profile }: NewMechanic) {
  return { ...profile, salaryCents: salary, passwordHash: await passwords.hash(password) };
}

const OWNERS_ONLY = "Only the shop's owners add staff";

/**
 * Registers a staff account. Only an owner may add one, with any role, except
 * for the shop's very first account, which opens the shop as its owner. That one
 * claims the single `shop_setup` row in the same transaction, so of two
 * concurrent first registrations exactly one succeeds.
 */
export async function registerMechanic(
  { db, passwords }: Pick<Deps, 'db' | 'passwords'>,
  registrar: Principal | null,
  input: NewMechanic,
): Promise<Mechanic> {
  if (registrar?.role === 'mechanic' && registrar.staffRole !== 'owner') throw new AppError('forbidden', OWNERS_ONLY);
  const data = await mechanicRow(passwords, input);
  try {
    const created = await inTransaction(db, async (tx) => {
      const row =
        registrar?.role === 'mechanic'
          ? await tx.mechanic.create({ data, select: staffFields })
          : await tx.shopSetup
              .create({ data: { id: 1 } })
              .catch((error: unknown) => {
                if (!isUniqueViolation(error)) throw error;
                throw registrar
                  ? new AppError('forbidden', OWNERS_ONLY)
                  : new AppError('unauthenticated', "The shop is open: adding an account needs an owner's token");
              })
              .then(() => tx.mechanic.create({ data: { ...data, role: 'owner' }, select: staffFields }));
      // The shop's first account opens it on its own authority.
      await auditStaffChange(tx, registrar ?? asOwnAccount(row), 'mechanic.created', null, row);
      return row;
    });
    // Shown as to the new account itself: the answer echoes the salary the caller just set.
    return toView(asOwnAccount(created), created);
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

/**
 * Mechanics by the number of tickets they are assigned to, most first; ties by
 * id. One query, on the index of the count kept with the assignments (see
 * ticket-count.ts): it reads `limit` rows, however many tickets the shop has.
 */
export async function topMechanics({ db }: Pick<Deps, 'db'>, limit: number): Promise<TopMechanics> {
  const rows = await db.mechanic.findMany({
    select: { id: true, name: true, ticketCount: true },
    orderBy: [{ ticketCount: 'desc' }, { id: 'asc' }],
    take: limit,
  });
  return { items: rows.map(({ id, name, ticketCount }) => ({ id, name, ticket_count: ticketCount })) };
}

export async function getMechanic({ db }: Pick<Deps, 'db'>, viewer: Principal | null, id: number): Promise<Mechanic> {
  const mechanic = await db.mechanic.findUnique({ where: { id }, select: fieldsFor(viewer) });
  if (!mechanic) throw new AppError('not_found', `No mechanic with id ${id}`);
  return toView(viewer, mechanic);
}

/** Staff manage their own account; owners manage everyone's. */
function assertOwnAccountOrOwner(caller: StaffPrincipal, id: number, action: string): void {
  if (caller.id !== id && caller.staffRole !== 'owner') {
    throw new AppError('forbidden', `Only the shop's owners may ${action} another staff account`);
  }
}

function notFound(id: number): AppError {
  return new AppError('not_found', `No mechanic with id ${id}`);
}

/** Changes a staff account: one's own contact details and password, or, for an owner, any account and any salary. */
export async function updateMechanic(
  { db, passwords }: Pick<Deps, 'db' | 'passwords'>,
  caller: StaffPrincipal,
  { id, password, salary, role, ...changes }: MechanicChanges,
): Promise<Mechanic> {
  assertOwnAccountOrOwner(caller, id, 'change');
  if (salary !== undefined && caller.staffRole !== 'owner') throw new AppError('forbidden', "Only the shop's owners change salaries");
  if (role !== undefined && caller.staffRole !== 'owner') throw new AppError('forbidden', "Only the shop's owners change roles");
  const passwordHash = password === undefined ? undefined : await passwords.hash(password);
  try {
    const updated = await inTransaction(db, async (tx) => {
      // A role change takes the shop lock first, as `changeMechanicRole` does: the shop keeps an owner.
      if (role !== undefined) await lockShop(tx);
      const current = await tx.mechanic.findUnique({ where: { id }, select: staffFields });
      if (!current) throw notFound(id);
      if (role !== undefined && role !== 'owner') await assertAnotherOwner(tx, current);
      const row = await tx.mechanic.update({
        where: { id },
        data: {
          ...changes,
          ...(role === undefined ? {} : { role }),
          ...(salary === undefined ? {} : { salaryCents: salary }),
          ...(passwordHash === undefined ? {} : { passwordHash }),
          ...tokenVersionChange(current, { ...changes, password }),
        },
        select: staffFields,
      });
      await auditStaffChange(tx, caller, 'mechanic.updated', current, row, password !== undefined);
      return row;
    });
    return toView(caller, updated);
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('email_taken', 'A mechanic with this email already exists');
    throw error;
  }
}

/**
 * Serialises the writes that must see the shop's staff as a whole (deleting a
 * mechanic, changing a role, opening the shop) by writing the one `shop_setup` row: PostgreSQL and
 * MySQL hold its row lock until the transaction ends, and SQLite has one writer
 * at a time. Plain SQL, the same on every provider. The row exists whenever a
 * mechanic does: the first one is created in the same transaction as the row.
 */
async function lockShop(tx: Transaction): Promise<void> {
  await tx.$executeRaw`UPDATE shop_setup SET completed_at = completed_at WHERE id = 1`;
}

/**
 * Refuses a write that would leave the shop without an owner: nobody could
 * manage its staff again. Called under the shop lock, after reading the
 * account's current role, so that two owners demoting or deleting each other at
 * the same moment cannot both see the other one left.
 */
async function assertAnotherOwner(tx: Transaction, current: { role: StaffRole }): Promise<void> {
  if (current.role === 'owner' && (await tx.mechanic.count({ where: { role: 'owner' } })) <= 1) throw new AppError('last_owner');
}

/** Gives a staff account another role (owners only, by the route), never leaving the shop without an owner. */
export async function changeMechanicRole({ db }: Pick<Deps, 'db'>, caller: StaffPrincipal, { id, role }: RoleChange): Promise<Mechanic> {
  const updated = await inTransaction(db, async (tx) => {
    await lockShop(tx);
    const current = await tx.mechanic.findUnique({ where: { id }, select: staffFields });
    if (!current) throw notFound(id);
    if (role !== 'owner') await assertAnotherOwner(tx, current);
    const row = await tx.mechanic.update({ where: { id }, data: { role }, select: staffFields });
    await auditStaffChange(tx, caller, 'mechanic.role_changed', current, row);
    return row;
  });
  return toView(caller, updated);
}

/**
 * Deletes one's own account, or for an owner anyone's, unless it is the shop's
 * last account (nobody could add staff again) or its last owner. Under the shop
 * lock, so that two deletions at the same moment cannot both see a colleague left.
 */
export async function deleteMechanic({ db }: Pick<Deps, 'db'>, caller: StaffPrincipal, id: number): Promise<void> {
  assertOwnAccountOrOwner(caller, id, 'delete');
  await inTransaction(db, async (tx) => {
    await lockShop(tx);
    const current = await tx.mechanic.findUnique({ where: { id }, select: staffFields });
    if (!current) throw notFound(id);
    if ((await tx.mechanic.count()) <= 1) throw new AppError('last_mechanic');
    await assertAnotherOwner(tx, current);
    await tx.mechanic.delete({ where: { id }, select: { id: true } });
    await auditStaffChange(tx, caller, 'mechanic.deleted', current, null);
  });
}

/**
 * Creates the shop's owner on the operator's authority (start-up variables or the CLI,
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
      const row = await tx.mechanic.create({ data: { ...data, role: 'owner' }, select: staffFields });
      // The operator opened it: no API caller, so the system is the actor.
      await auditStaffChange(tx, null, 'mechanic.created', null, row);
      return row;
    });
    return created && toView(asOwnAccount(created), created);
  } catch (error) {
    // A concurrent first registration claimed the shop (or the email) first.
    if (isUniqueViolation(error)) return null;
    throw error;
  }
}
