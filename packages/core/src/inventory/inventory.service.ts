import type { Principal } from '../auth/tokens.ts';
import type { Prisma, Transaction } from '../db/client.ts';
import { containsLiterally, countRows } from '../db/dialect.ts';
import { isForeignKeyViolation } from '../db/errors.ts';
import { inTransaction } from '../db/transactions.ts';
import { AppError } from '../errors.ts';
import { diffFields, emitEvent, recordAudit, type EventActor } from '../events/outbox.ts';
import { formatCents } from '../shared/money.ts';
import { pageWindow, toPage, type Page, type PaginationInput } from '../shared/schemas.ts';
import type { AppServices } from '../app-services.ts';
import type { InventoryChanges, InventoryItem, InventoryQuery, NewInventoryItem } from './inventory.schemas.ts';

type Deps = Pick<AppServices, 'db' | 'provider'>;

const itemFields = {
  id: true,
  partName: true,
  description: true,
  priceCents: true,
  quantity: true,
  reorderPoint: true,
} satisfies Prisma.InventoryItemSelect;

type ItemRow = Prisma.InventoryItemGetPayload<{ select: typeof itemFields }>;

function toView(row: ItemRow): InventoryItem {
  return {
    id: row.id,
    part_name: row.partName,
    description: row.description,
    price: formatCents(row.priceCents),
    quantity: row.quantity,
    reorder_point: row.reorderPoint,
  };
}

/** Low: at or below a reorder point that is set (0 turns the alert off). */
function isLow({ quantity, reorderPoint }: { quantity: number; reorderPoint: number }): boolean {
  return reorderPoint > 0 && quantity <= reorderPoint;
}

/**
 * Emits `inventory.low_stock` when an item went from above its reorder point to
 * at or below it: once per crossing, not again on each change while it stays
 * low. A stock edit and a raised reorder point are crossings too.
 */
async function alertIfCrossedLow(tx: Transaction, actor: EventActor, before: ItemRow, after: ItemRow): Promise<void> {
  if (isLow(before) || !isLow(after)) return;
  await emitEvent(tx, { type: 'inventory.low_stock', actor, subject: { type: 'inventory_item', id: after.id }, data: toView(after) });
}

/**
 * Called right after `quantity` units were taken from an item (by a part line or
 * an approval) in the same transaction: the taking update holds the row's lock,
 * so the stock read here is this taker's own result, and concurrent takers each
 * see their own crossing, at most one of them the crossing. The system is the
 * actor: stock taking is a consequence of a ticket change, which has its own event.
 * Resolves to the item as the take left it, so that the taker need not read it again.
 */
export async function alertIfStockTakenLow(tx: Transaction, inventoryId: number, quantity: number): Promise<ItemRow> {
  const after = await tx.inventoryItem.findUniqueOrThrow({ where: { id: inventoryId }, select: itemFields });
  await alertIfCrossedLow(tx, null, { ...after, quantity: after.quantity + quantity }, after);
  return after;
}

const auditedFields = ['part_name', 'description', 'price', 'quantity', 'reorder_point'] as const;

async function auditItem(tx: Transaction, actor: EventActor, action: string, before: ItemRow | null, after: ItemRow | null) {
  const id = (after ?? before)!.id;
  const changes = diffFields(before && toView(before), after && toView(after), auditedFields);
  await recordAudit(tx, { actor, subject: { type: 'inventory_item', id }, action, changes });
}

function notFound(id: number): AppError {
  return new AppError('not_found', `No inventory item with id ${id}`);
}

export async function addInventoryItem({ db }: Deps, caller: Principal, input: NewInventoryItem): Promise<InventoryItem> {
  const row = await inTransaction(db, async (tx) => {
    const created = await tx.inventoryItem.create({
      data: {
        partName: input.part_name,
        description: input.description,
        priceCents: input.price,
        quantity: input.quantity,
        reorderPoint: input.reorder_point,
      },
      select: itemFields,
    });
    // A new item already low fell nowhere: no alert (it fires when stock falls to the point).
    await auditItem(tx, caller, 'inventory.created', null, created);
    return created;
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
  type Row = Record<'id' | 'price_cents' | 'quantity' | 'reorder_point', number | bigint> & { part_name: string; description: string };
  const [rows, [count]] = await Promise.all([
    db.$queryRaw<
      Row[]
    >`SELECT id, part_name, description, price_cents, quantity, reorder_point FROM inventory WHERE ${matches} ORDER BY id LIMIT ${take} OFFSET ${skip}`,
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
      reorderPoint: Number(row.reorder_point),
    }),
  );
  return toPage(items, Number(count?.total ?? 0), page);
}

export async function getInventoryItem({ db }: Deps, id: number): Promise<InventoryItem> {
  const row = await db.inventoryItem.findUnique({ where: { id }, select: itemFields });
  if (!row) throw notFound(id);
  return toView(row);
}

export async function updateInventoryItem(
  { db }: Deps,
  caller: Principal,
  { id, part_name, price, reorder_point, ...rest }: InventoryChanges,
): Promise<InventoryItem> {
  const row = await inTransaction(db, async (tx) => {
    // Written first so that the row is locked before it is read: a concurrent
    // stock take lands wholly before or after, and the crossing is judged on it.
    const touched = await tx.inventoryItem.updateMany({ where: { id }, data: { updatedAt: new Date() } });
    if (touched.count === 0) throw notFound(id);
    const before = await tx.inventoryItem.findUniqueOrThrow({ where: { id }, select: itemFields });
    const after = await tx.inventoryItem.update({
      where: { id },
      data: {
        ...rest,
        ...(part_name === undefined ? {} : { partName: part_name }),
        ...(price === undefined ? {} : { priceCents: price }),
        ...(reorder_point === undefined ? {} : { reorderPoint: reorder_point }),
      },
      select: itemFields,
    });
    await auditItem(tx, caller, 'inventory.updated', before, after);
    await alertIfCrossedLow(tx, caller, before, after);
    return after;
  });
  return toView(row);
}

/** Parts on tickets cannot be deleted: remove them from the tickets first. */
export async function deleteInventoryItem({ db }: Deps, caller: Principal, id: number): Promise<void> {
  const uses = await db.line.count({ where: { inventoryId: id } });
  if (uses > 0) throw inUse(id, uses);
  try {
    await inTransaction(db, async (tx) => {
      const current = await tx.inventoryItem.findUnique({ where: { id }, select: itemFields });
      const { count } = await tx.inventoryItem.deleteMany({ where: { id } });
      if (!current || count === 0) throw notFound(id);
      await auditItem(tx, caller, 'inventory.deleted', current, null);
    });
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
