import type { Prisma } from '../db/client.ts';
import { containsLiterally, countRows } from '../db/dialect.ts';
import { isForeignKeyViolation, isRecordNotFound } from '../db/errors.ts';
import { AppError } from '../errors.ts';
import { formatCents } from '../shared/money.ts';
import { pageWindow, toPage, type Page, type PaginationInput } from '../shared/schemas.ts';
import type { AppServices } from '../app-services.ts';
import type { InventoryChanges, InventoryItem, InventoryQuery, NewInventoryItem } from './inventory.schemas.ts';

type Deps = Pick<AppServices, 'db' | 'provider'>;

const itemFields = { id: true, partName: true, description: true, priceCents: true, quantity: true } satisfies Prisma.InventoryItemSelect;

function toView(row: Prisma.InventoryItemGetPayload<{ select: typeof itemFields }>): InventoryItem {
  return { id: row.id, part_name: row.partName, description: row.description, price: formatCents(row.priceCents), quantity: row.quantity };
}

function notFound(id: number): AppError {
  return new AppError('not_found', `No inventory item with id ${id}`);
}

export async function addInventoryItem({ db }: Deps, input: NewInventoryItem): Promise<InventoryItem> {
  const row = await db.inventoryItem.create({
    data: { partName: input.part_name, description: input.description, priceCents: input.price, quantity: input.quantity },
    select: itemFields,
  });
  return toView(row);
}

export async function listInventory({ db, provider }: Deps, { q, ...page }: InventoryQuery): Promise<Page<InventoryItem>> {
  if (q) return searchInventory({ db, provider }, q, page);
  const [rows, total] = await Promise.all([
    db.inventoryItem.findMany({ select: itemFields, orderBy: { id: 'asc' }, ...pageWindow(page) }),
    countRows(db, 'inventory'),
  ]);
  return toPage(rows.map(toView), total, page);
}

/**
 * Parts whose name contains the text literally (any case). In SQL rather than
 * Prisma's `contains`, which would read `%` and `_` in the text as wildcards.
 */
async function searchInventory({ db, provider }: Deps, text: string, page: PaginationInput): Promise<Page<InventoryItem>> {
  const matches = containsLiterally(provider, 'part_name', text);
  const { skip, take } = pageWindow(page);
  type Row = Record<'id' | 'price_cents' | 'quantity', number | bigint> & { part_name: string; description: string };
  const [rows, [count]] = await Promise.all([
    db.$queryRaw<
      Row[]
    >`SELECT id, part_name, description, price_cents, quantity FROM inventory WHERE ${matches} ORDER BY id LIMIT ${take} OFFSET ${skip}`,
    db.$queryRaw<Array<{ total: number | bigint | string }>>`SELECT COUNT(*) AS total FROM inventory WHERE ${matches}`,
  ]);
  // Integers come back as bigint from some drivers (SQLite, MySQL counts).
  const items = rows.map((row) =>
    toView({
      id: Number(row.id),
      partName: row.part_name,
      description: row.description,
      priceCents: Number(row.price_cents),
      quantity: Number(row.quantity),
    }),
  );
  return toPage(items, Number(count?.total ?? 0), page);
}

export async function getInventoryItem({ db }: Deps, id: number): Promise<InventoryItem> {
  const row = await db.inventoryItem.findUnique({ where: { id }, select: itemFields });
  if (!row) throw notFound(id);
  return toView(row);
}

export async function updateInventoryItem({ db }: Deps, { id, part_name, price, ...rest }: InventoryChanges): Promise<InventoryItem> {
  try {
    const row = await db.inventoryItem.update({
      where: { id },
      data: { ...rest, ...(part_name === undefined ? {} : { partName: part_name }), ...(price === undefined ? {} : { priceCents: price }) },
      select: itemFields,
    });
    return toView(row);
  } catch (error) {
    if (isRecordNotFound(error)) throw notFound(id);
    throw error;
  }
}

/** Parts on tickets cannot be deleted: remove them from the tickets first. */
export async function deleteInventoryItem({ db }: Deps, id: number): Promise<void> {
  const uses = await db.line.count({ where: { inventoryId: id } });
  if (uses > 0) throw inUse(id, uses);
  try {
    const { count } = await db.inventoryItem.deleteMany({ where: { id } });
    if (count === 0) throw notFound(id);
  } catch (error) {
    // Added to a ticket between the check and the delete: the foreign key says no.
    if (isForeignKeyViolation(error)) throw inUse(id);
    throw error;
  }
}

function inUse(id: number, tickets?: number): AppError {
  const where = tickets === undefined ? 'service tickets' : `${tickets} service ticket${tickets === 1 ? '' : 's'}`;
  return new AppError('inventory_in_use', `Inventory item ${id} is on ${where}; remove it from them first`);
}
