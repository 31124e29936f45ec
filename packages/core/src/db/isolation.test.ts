import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from './client.ts';
import { createTestApp, type TestApp } from '../testing/index.ts';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

/**
 * Runs `during` while another request's transaction holds an uncommitted change
 * (quantity 999 on `held`), then rolls that transaction back.
 */
async function whileATransactionIsOpen(db: Database, held: number, during: () => Promise<unknown>): Promise<unknown> {
  let written!: () => void;
  let finish!: () => void;
  const hasWritten = new Promise<void>((resolve) => (written = resolve));
  const mayFinish = new Promise<void>((resolve) => (finish = resolve));
  const transaction = db.$transaction(async (tx) => {
    await tx.inventoryItem.update({ where: { id: held }, data: { quantity: 999 } });
    written();
    await mayFinish;
    throw new Error('rolled back on purpose');
  });
  await hasWritten;
  const outcome = during();
  // Time for it to run, if it can run while the transaction is open (on
  // PostgreSQL and MySQL it does, at its own isolation; on SQLite it must wait).
  await sleep(200);
  finish();
  await expect(transaction).rejects.toThrow('rolled back on purpose');
  return outcome;
}

const quantityOf = async (db: Database, id: number) =>
  (await db.inventoryItem.findUniqueOrThrow({ where: { id }, select: { quantity: true } })).quantity;

/**
 * What other requests do while one request's transaction is open. SQLite has a
 * single connection in the API: without care, their statements would run inside
 * that transaction, read its uncommitted changes, and be rolled back with it.
 */
describe('while a transaction is open, another request', () => {
  it('does not read its uncommitted changes', async () => {
    const { db } = app.services;
    const held = await db.inventoryItem.create({ data: { partName: 'held', priceCents: 100, quantity: 1 } });
    const read = (await whileATransactionIsOpen(db, held.id, () => quantityOf(db, held.id))) as number;
    expect(read).toBe(1);
  });

  it('keeps its own write when that transaction rolls back', async () => {
    const { db } = app.services;
    const held = await db.inventoryItem.create({ data: { partName: 'held', priceCents: 100, quantity: 1 } });
    const other = await db.inventoryItem.create({ data: { partName: 'other', priceCents: 100, quantity: 1 } });
    await whileATransactionIsOpen(db, held.id, () => db.inventoryItem.update({ where: { id: other.id }, data: { quantity: 42 } }));
    expect(await quantityOf(db, other.id)).toBe(42);
    expect(await quantityOf(db, held.id)).toBe(1);
  });
});
