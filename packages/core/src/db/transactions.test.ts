import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { createTestApp, type TestApp } from '../testing/index.ts';
import { isTransactionConflict, translateDatabaseError } from './errors.ts';
import { inTransaction, retryingConflicts, WRITE_ATTEMPTS } from './transactions.ts';

/** A transaction conflict as each provider's driver adapter reports it, inside Prisma's error. */
const adapterError = (cause: Record<string, unknown>, code = 'P2034') => ({
  name: 'PrismaClientKnownRequestError',
  code,
  meta: { driverAdapterError: { name: 'DriverAdapterError', message: String(cause.kind), cause } },
});
const CONFLICTS = {
  'PostgreSQL deadlock': adapterError({ originalCode: '40P01', kind: 'TransactionWriteConflict' }),
  'PostgreSQL serialization failure in a raw query': adapterError({ originalCode: '40001', kind: 'TransactionWriteConflict' }, 'P2010'),
  'MySQL deadlock': adapterError({ originalCode: '1213', kind: 'TransactionWriteConflict' }),
  'MySQL lock wait timeout': adapterError(
    { originalCode: '1205', kind: 'mysql', code: 1205, message: 'Lock wait timeout exceeded' },
    'P2010',
  ),
  'mariadb driver deadlock': { errno: 1213, sqlState: '40001', code: 'ER_LOCK_DEADLOCK' },
  'SQLite busy': adapterError({ originalCode: 'SQLITE_BUSY', kind: 'SocketTimeout' }, 'P1008'),
};

/** A function that fails with `error` the first `failures` times it runs. */
function failing(error: unknown, failures: number) {
  const attempt = async () => {
    attempt.calls += 1;
    if (attempt.calls <= failures) throw error;
    return 'done';
  };
  attempt.calls = 0;
  return attempt;
}

describe('a write that loses a deadlock or a serialization failure', () => {
  for (const [name, error] of Object.entries(CONFLICTS)) {
    it(`is run again (${name}), at most ${WRITE_ATTEMPTS} times, then reported as a 409 or 503, never a 500`, async () => {
      expect(isTransactionConflict(error)).toBe(true);
      const recovers = failing(error, WRITE_ATTEMPTS - 1);
      expect(await retryingConflicts(recovers)).toBe('done');
      expect(recovers.calls).toBe(WRITE_ATTEMPTS);

      const keepsLosing = failing(error, Infinity);
      const thrown = await retryingConflicts(keepsLosing).catch((caught: unknown) => caught);
      expect(keepsLosing.calls).toBe(WRITE_ATTEMPTS);
      const reported = translateDatabaseError(thrown);
      expect(reported).toBeInstanceOf(AppError);
      // SQLite stays busy only when the database is held elsewhere for longer than its busy timeout: unavailable.
      expect((reported as AppError).problem).toBe(name === 'SQLite busy' ? 'service_unavailable' : 'transaction_conflict');
    });
  }

  it('other errors are not retried', async () => {
    const duplicate = failing(adapterError({ kind: 'UniqueConstraintViolation' }, 'P2002'), Infinity);
    await expect(retryingConflicts(duplicate)).rejects.toMatchObject({ code: 'P2002' });
    expect(duplicate.calls).toBe(1);
  });
});

describe('on a real deadlock', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  // SQLite runs one write transaction at a time: it cannot deadlock.
  it('two transactions locking two rows in opposite orders both commit: the loser runs again', async ({ skip }) => {
    if (app.services.provider === 'sqlite') skip();
    const { db } = app.services;
    const [first, second] = await Promise.all(
      ['A', 'B'].map((name) => db.inventoryItem.create({ data: { partName: `Lock ${name}`, priceCents: 100 }, select: { id: true } })),
    );
    // Both transactions hold their first row before either asks for its second: a deadlock on the first try.
    let arrived = 0;
    let bothHoldOne!: () => void;
    const holding = new Promise<void>((resolve) => (bothHoldOne = resolve));
    const crossing = (one: number, other: number) => {
      let attempts = 0;
      const done = inTransaction(db, async (tx) => {
        attempts += 1;
        await tx.inventoryItem.update({ where: { id: one }, data: { quantity: { increment: 1 } }, select: { id: true } });
        if (attempts === 1 && ++arrived === 2) bothHoldOne();
        if (attempts === 1) await holding;
        await tx.inventoryItem.update({ where: { id: other }, data: { quantity: { increment: 1 } }, select: { id: true } });
      });
      return done.then(() => attempts);
    };
    const attempts = await Promise.all([crossing(first!.id, second!.id), crossing(second!.id, first!.id)]);
    expect(attempts.sort()).toEqual([1, 2]);
    const rows = await db.inventoryItem.findMany({ where: { id: { in: [first!.id, second!.id] } }, select: { quantity: true } });
    expect(rows.map((row) => row.quantity)).toEqual([2, 2]);
  });
});
