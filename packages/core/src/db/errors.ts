import { AppError } from '../errors.ts';

/**
 * Prisma's error codes, read off the error object rather than by class: each
 * provider has its own generated client, each with its own error classes.
 * https://www.prisma.io/docs/orm/reference/error-reference
 */
function prismaCodeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^P\d{4}$/.test(code) ? code : undefined;
}

/** A unique constraint failed (P2002). */
export function isUniqueViolation(error: unknown): boolean {
  return prismaCodeOf(error) === 'P2002';
}

/** The row an update or delete needed is gone (P2025). */
export function isRecordNotFound(error: unknown): boolean {
  return prismaCodeOf(error) === 'P2025';
}

/** A foreign key refused the write (P2003): a referenced row is missing or still referenced. */
export function isForeignKeyViolation(error: unknown): boolean {
  return prismaCodeOf(error) === 'P2003';
}

const UNREACHABLE_CODES = new Set<string | number>([
  // Prisma: can't reach, timed out, closed, pool timeout, no connection to start a transaction in time.
  'P1001',
  'P1002',
  'P1008',
  'P1017',
  'P2024',
  'P2028',
  'P2037',
  // Node sockets.
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  // PostgreSQL: shutting down, cannot connect now, too many connections.
  '57P01',
  '57P02',
  '57P03',
  '53300',
  // mariadb driver: connection closed, socket closed, connect timeout, pool closed, pool timeout.
  45001,
  45007,
  45009,
  45012,
  45027,
  45028,
  'SQLITE_BUSY',
]);
const UNREACHABLE_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
  'DatabaseDoesNotExist',
]);
const UNREACHABLE_MESSAGE =
  /ECONNREFUSED|ECONNRESET|Connection terminated|pool timeout|socket has unexpectedly been closed|Cannot use a pool after calling end|pool is closed|database is locked/i;

/**
 * Whether the error or one of its causes matches. Prisma wraps the driver's
 * error (in `cause`, or in `meta.driverAdapterError`), so the whole chain is
 * searched; strings in it (some causes are bare messages) are matched too.
 */
function someInChain(error: unknown, matches: (link: Record<string, unknown> | string) => boolean): boolean {
  const pending: unknown[] = [error];
  for (let seen = 0; pending.length > 0 && seen < 20; seen++) {
    const candidate = pending.shift();
    if (typeof candidate === 'string') {
      if (matches(candidate)) return true;
      continue;
    }
    if (!candidate || typeof candidate !== 'object') continue;
    const link = candidate as Record<string, unknown>;
    if (matches(link)) return true;
    pending.push(link.cause, (link.meta as { driverAdapterError?: unknown } | undefined)?.driverAdapterError);
  }
  return false;
}

/** The database is down, unreachable, overloaded or closed the connection. */
export function isDatabaseUnavailable(error: unknown): boolean {
  return someInChain(error, (link) => {
    if (typeof link === 'string') return UNREACHABLE_MESSAGE.test(link);
    const { code, kind, message } = link;
    return (
      ((typeof code === 'string' || typeof code === 'number') && UNREACHABLE_CODES.has(code)) ||
      (typeof kind === 'string' && UNREACHABLE_KINDS.has(kind)) ||
      (typeof message === 'string' && UNREACHABLE_MESSAGE.test(message))
    );
  });
}

/**
 * Driver codes of a transaction that lost to another one and may simply be run
 * again: PostgreSQL serialization failure and deadlock (40001, 40P01), MySQL and
 * MariaDB deadlock and lock wait timeout (1213, 1205; as `errno`, or as the
 * adapter's `originalCode` text), SQLite busy (`SQLITE_BUSY…`, after its busy timeout). Prisma reports the first four as
 * P2034 (`TransactionWriteConflict`) from its own queries, and as P2010 with the
 * driver's code from raw ones (the `FOR UPDATE` row locks).
 */
const CONFLICT_CODES = new Set<string | number>(['P2034', '40001', '40P01', 1213, '1213', 1205, '1205']);

/** A deadlock, serialization failure or lock timeout: the transaction was rolled back and can be retried. */
export function isTransactionConflict(error: unknown): boolean {
  return someInChain(error, (link) => {
    if (typeof link === 'string') return false;
    const { code, errno, originalCode, kind } = link;
    return (
      kind === 'TransactionWriteConflict' ||
      (typeof originalCode === 'string' && originalCode.startsWith('SQLITE_BUSY')) ||
      [code, errno, originalCode].some((value) => (typeof value === 'string' || typeof value === 'number') && CONFLICT_CODES.has(value))
    );
  });
}

/**
 * Turns database failures that no domain function handled into API errors:
 * unreachable → 503, deadlocks and constraint races (past the retries of
 * `inTransaction`) → 409, vanished rows → 404. Anything else
 * stays a 500 (logged, never shown).
 */
export function translateDatabaseError(error: unknown): unknown {
  if (error instanceof AppError) return error;
  if (isDatabaseUnavailable(error)) {
    return new AppError('service_unavailable', 'The database is not reachable right now; try again shortly', { cause: error });
  }
  if (isTransactionConflict(error)) {
    return new AppError('transaction_conflict', 'The request kept colliding with concurrent changes; retry it', { cause: error });
  }
  if (isUniqueViolation(error) || isForeignKeyViolation(error)) {
    return new AppError('conflict', 'The request conflicts with a concurrent change; retry it', { cause: error });
  }
  if (isRecordNotFound(error)) return new AppError('not_found', undefined, { cause: error });
  return error;
}
