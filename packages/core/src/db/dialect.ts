import { empty, join, raw, sqltag as sql, type Sql } from '@prisma/client/runtime/client';
import type { Database, Transaction } from './client.ts';
import type { Provider } from './provider.ts';

/**
 * The few places where the databases differ, handled here and nowhere else.
 * Everything else goes through Prisma's API, the same on every provider.
 */

/**
 * Locks a service ticket's row until the transaction ends, so that concurrent
 * writes to the same ticket (assignments, part lines, status) run one after the
 * other. PostgreSQL and MySQL take a row lock (`FOR UPDATE`); SQLite has one
 * writer at a time and the driver adapter runs one transaction at a time.
 * Resolves to whether the ticket exists.
 */
export async function lockServiceTicket(tx: Transaction, provider: Provider, id: number): Promise<boolean> {
  if (provider === 'sqlite') return (await tx.serviceTicket.count({ where: { id } })) > 0;
  const rows = await tx.$queryRaw<Array<{ id: number }>>`SELECT id FROM service_tickets WHERE id = ${id} FOR UPDATE`;
  return rows.length > 0;
}

/**
 * Locks an invoice's row until the transaction ends, as `lockServiceTicket`
 * locks a ticket, so that the payments, refunds and voiding of one invoice run
 * one after the other: each checks the ledger with every earlier write counted.
 * `by` names the invoice by its number or by one of its payments; the lock is
 * the transaction's first read (on MySQL a plain read before it would fix an
 * older snapshot for the ledger reads after it). Resolves to the invoice's id,
 * or null when there is no such invoice or payment.
 */
export async function lockInvoice(
  tx: Transaction,
  provider: Provider,
  by: { number: string } | { paymentId: number },
): Promise<number | null> {
  if (provider === 'sqlite') {
    const row =
      'number' in by
        ? await tx.invoice.findUnique({ where: { number: by.number }, select: { id: true } })
        : await tx.invoice.findFirst({ where: { payments: { some: { id: by.paymentId } } }, select: { id: true } });
    return row?.id ?? null;
  }
  // A join, not a subquery: MySQL reads a subquery of a locking read without a lock, and that read would fix the snapshot.
  const rows =
    'number' in by
      ? await tx.$queryRaw<Array<{ id: number }>>`SELECT id FROM invoices WHERE number = ${by.number} FOR UPDATE`
      : await tx.$queryRaw<Array<{ id: number }>>`
          SELECT invoices.id FROM invoices JOIN payments ON payments.invoice_id = invoices.id WHERE payments.id = ${by.paymentId} FOR UPDATE`;
  return rows[0] ? Number(rows[0].id) : null;
}

/**
 * Locks a vehicle's row until the transaction ends and reads its latest odometer
 * reading under the lock, so that two readings recorded at once are checked one
 * after the other (neither can pass the "never goes down" rule against a stale
 * latest). `FOR UPDATE` reads the latest committed row on PostgreSQL and MySQL,
 * whatever snapshot the transaction's earlier reads fixed; SQLite runs one
 * transaction at a time. Resolves to null when the vehicle does not exist.
 */
export async function lockVehicleOdometer(
  tx: Transaction,
  provider: Provider,
  id: number,
): Promise<{ odometer: number | null; odometerUnit: 'mi' | 'km' } | null> {
  if (provider === 'sqlite') return tx.vehicle.findUnique({ where: { id }, select: { odometer: true, odometerUnit: true } });
  const [row] = await tx.$queryRaw<Array<{ odometer: number | bigint | null; odometer_unit: 'mi' | 'km' }>>`
    SELECT odometer, odometer_unit FROM vehicles WHERE id = ${id} FOR UPDATE`;
  return row ? { odometer: row.odometer === null ? null : Number(row.odometer), odometerUnit: row.odometer_unit } : null;
}

/**
 * Locks every service ticket of a customer, as `lockServiceTicket` locks one (in
 * id order, so that two lockers cannot deadlock), and resolves to their ids. On
 * MySQL the lock must come before any plain read of the transaction: a plain read
 * fixes the snapshot the later ones see.
 */
export async function lockCustomerTickets(tx: Transaction, provider: Provider, customerId: number): Promise<number[]> {
  const rows =
    provider === 'sqlite'
      ? await tx.serviceTicket.findMany({ where: { customerId }, select: { id: true }, orderBy: { id: 'asc' } })
      : await tx.$queryRaw<Array<{ id: number }>>`SELECT id FROM service_tickets WHERE customer_id = ${customerId} ORDER BY id FOR UPDATE`;
  return rows.map((row) => Number(row.id));
}

/**
 * Locks the event publisher's row (id 1) until the transaction ends and reads
 * the last position given, so that one publisher at a time numbers events and
 * positions never repeat, whatever the number of instances. It is the
 * transaction's first read: on MySQL a plain read before it would fix a
 * snapshot missing events committed while the lock was awaited. SQLite runs one
 * transaction at a time.
 */
export async function lockEventPublisher(tx: Transaction, provider: Provider): Promise<number> {
  if (provider === 'sqlite')
    return (await tx.eventPublisher.findUniqueOrThrow({ where: { id: 1 }, select: { lastPosition: true } })).lastPosition;
  const [row] = await tx.$queryRaw<
    Array<{ last_position: number | bigint }>
  >`SELECT last_position FROM event_publisher WHERE id = 1 FOR UPDATE`;
  if (!row) throw new Error('event_publisher has no row 1: the migration that creates it seeds it');
  return Number(row.last_position);
}

/**
 * Runs reads on one consistent snapshot of the database. A read through Prisma's
 * relations is several statements (a ticket, then its assignments and
 * mechanics, then its part lines): without a snapshot, a mechanic deleted
 * between two of them left an assignment pointing at nobody (a 500). PostgreSQL
 * and MySQL give a transaction one snapshot from its first read at REPEATABLE
 * READ; the reads take no locks, so writers are never held up by them.
 *
 * SQLite reads outside a transaction: its one connection runs transactions one
 * at a time (see `isolateTransactions` in client.ts), so a transaction per read
 * queued every read of a tRPC batch behind the others (a batch of 5 reads cost
 * 3.9 instead of 2.5 ms of CPU in `pnpm bench`). A read whose rows must agree
 * there is one statement instead, as a ticket's is (ticket-document.ts).
 */
export function readSnapshot<Result>(db: Database, provider: Provider, read: (tx: Transaction) => Promise<Result>): Promise<Result> {
  if (provider === 'sqlite') return read(db);
  // The client is typed as SQLite's, whose only isolation level is Serializable.
  const options = { isolationLevel: 'RepeatableRead' } as unknown as { isolationLevel: 'Serializable' };
  return db.$transaction(read, options);
}

/**
 * A case-insensitive match of a column against a literal substring: `%`, `_`
 * and `\` in the text match themselves, on every database (Prisma's `contains`
 * passes them on as LIKE wildcards, and SQLite's LIKE has no escape character
 * unless told). The escape character is `!`, which needs no escaping in SQL
 * string literals on any of the three (a backslash does on MySQL, depending on
 * its SQL mode). PostgreSQL compares case-sensitively unless asked (ILIKE);
 * MySQL's default collation and SQLite's LIKE already ignore case (SQLite only
 * for ASCII letters). The column comes from the caller's code, never from input.
 */
export function containsLiterally(provider: Provider, column: 'part_name' | 'make' | 'model' | 'vin' | 'plate', text: string): Sql {
  const pattern = `%${text.replace(/[!%_]/g, '!$&')}%`;
  return provider === 'postgresql' ? sql`${raw(column)} ILIKE ${pattern} ESCAPE '!'` : sql`${raw(column)} LIKE ${pattern} ESCAPE '!'`;
}

/** The tables whose rows lists count, with the columns they may be filtered on by equality. */
const COUNTABLE = {
  customers: [],
  mechanics: [],
  inventory: [],
  service_tickets: ['customer_id', 'status'],
  service_assignments: ['service_ticket_id', 'mechanic_id'],
} as const;
type Countable = keyof typeof COUNTABLE;

/**
 * Rows of a table matching some equalities, for the `total` of a page. Prisma's
 * `count()` wraps the table in a `LIMIT`ed subquery, which keeps SQLite from
 * using its b-tree count (0.7 ms instead of 6 µs for 30,000 tickets); a plain
 * `COUNT(*)` is the same on every provider. Table and column names come from
 * the list above, never from input; values are parameters.
 */
export async function countRows<Table extends Countable>(
  db: Database | Transaction,
  table: Table,
  equalities: Partial<Record<(typeof COUNTABLE)[Table][number], string | number>> = {},
): Promise<number> {
  const conditions = Object.entries(equalities)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([column, value]) => {
      if (!(COUNTABLE[table] as readonly string[]).includes(column)) throw new Error(`cannot count ${table} by ${column}`);
      return sql`${raw(column)} = ${value}`;
    });
  const where = conditions.length > 0 ? sql` WHERE ${join(conditions, ' AND ')}` : empty;
  const [row] = await db.$queryRaw<Array<{ total: bigint | number | string }>>`SELECT COUNT(*) AS total FROM ${raw(table)}${where}`;
  return Number(row?.total ?? 0);
}
