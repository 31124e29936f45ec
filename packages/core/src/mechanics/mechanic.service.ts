import type { Principal } from '../auth/tokens.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { countRows } from '../db/dialect.ts';
import { AppError } from '../errors.ts';
import { formatCents } from '../shared/money.ts';
import { pageWindow, toPage, type Page, type PaginationInput } from '../shared/schemas.ts';
import type { AppServices } from '../trpc/context.ts';
import type { MechanicChanges, NewMechanic } from './mechanic.schemas.ts';

type Deps = Pick<AppServices, 'db' | 'passwords' | 'tokens'>;

/** What a caller may see of a mechanic: mechanics see everything, others id and name. */
export type MechanicAudience = 'staff' | 'public';

export interface MechanicView {
  id: number;
  name: string;
  email?: string;
  phone?: string;
  address?: string;
  salary?: string;
}

const staffFields = { id: true, name: true, email: true, phone: true, address: true, salaryCents: true } as const;
const publicFields = { id: true, name: true } as const;

export function audienceOf(caller: Principal | null): MechanicAudience {
  return caller?.role === 'mechanic' ? 'staff' : 'public';
}

function toView({ salaryCents, ...mechanic }: { id: number; name: string; salaryCents?: number }): MechanicView {
  return salaryCents === undefined ? mechanic : { ...mechanic, salary: formatCents(salaryCents) };
}

function fieldsFor(audience: MechanicAudience) {
  return audience === 'staff' ? staffFields : publicFields;
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
  { password, salary, ...profile }: NewMechanic,
): Promise<MechanicView> {
  const data = { ...profile, salaryCents: salary, passwordHash: await passwords.hash(password) };
  try {
    if (registrar?.role === 'mechanic') return toView(await db.mechanic.create({ data, select: staffFields }));
    return toView(
      await db.$transaction(async (tx) => {
        await tx.shopSetup.create({ data: { id: 1 } }).catch((error: unknown) => {
          if (!isUniqueViolation(error)) throw error;
          throw registrar
            ? new AppError('forbidden', 'Only a mechanic may register mechanics')
            : new AppError('unauthenticated', 'The shop already has mechanics: registering another needs a mechanic token');
        });
        return tx.mechanic.create({ data, select: staffFields });
      }),
    );
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('email_taken', 'A mechanic with this email already exists');
    throw error;
  }
}

export async function listMechanics(
  { db }: Pick<Deps, 'db'>,
  audience: MechanicAudience,
  page: PaginationInput,
): Promise<Page<MechanicView>> {
  const [rows, total] = await Promise.all([
    db.mechanic.findMany({ select: fieldsFor(audience), orderBy: { id: 'asc' }, ...pageWindow(page) }),
    countRows(db, 'mechanics'),
  ]);
  return toPage(rows.map(toView), total, page);
}

/** Mechanics by the number of tickets they are assigned to, most first; ties by id. One query. */
export async function topMechanics({ db }: Pick<Deps, 'db'>, limit: number) {
  const rows = await db.mechanic.findMany({
    select: { id: true, name: true, _count: { select: { assignments: true } } },
    orderBy: [{ assignments: { _count: 'desc' } }, { id: 'asc' }],
    take: limit,
  });
  return { items: rows.map(({ id, name, _count }) => ({ id, name, ticket_count: _count.assignments })) };
}

export async function getMechanic({ db }: Pick<Deps, 'db'>, audience: MechanicAudience, id: number): Promise<MechanicView> {
  const mechanic = await db.mechanic.findUnique({ where: { id }, select: fieldsFor(audience) });
  if (!mechanic) throw new AppError('not_found', `No mechanic with id ${id}`);
  return toView(mechanic);
}

function assertSelf(caller: Principal, id: number, action: string): void {
  if (caller.id !== id) throw new AppError('forbidden', `Mechanics may only ${action} their own account`);
}

export async function updateMechanic(
  { db, passwords }: Pick<Deps, 'db' | 'passwords'>,
  caller: Principal,
  { id, password, salary, ...changes }: MechanicChanges,
): Promise<MechanicView> {
  assertSelf(caller, id, 'change');
  try {
    const updated = await db.mechanic.update({
      where: { id },
      data: {
        ...changes,
        ...(salary === undefined ? {} : { salaryCents: salary }),
        ...(password === undefined ? {} : { passwordHash: await passwords.hash(password) }),
      },
      select: staffFields,
    });
    return toView(updated);
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('email_taken', 'A mechanic with this email already exists');
    throw error;
  }
}

/** Deletes one's own account, unless it is the shop's last: nobody could add mechanics again. */
export async function deleteMechanic({ db }: Pick<Deps, 'db'>, caller: Principal, id: number): Promise<void> {
  assertSelf(caller, id, 'delete');
  await db.$transaction(async (tx) => {
    if ((await tx.mechanic.count()) <= 1) throw new AppError('last_mechanic');
    await tx.mechanic.delete({ where: { id }, select: { id: true } });
  });
}
