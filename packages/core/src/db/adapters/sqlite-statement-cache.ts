import type { SqlDriverAdapter, SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type BetterSqlite3 from 'better-sqlite3';
import { wrapConnections } from './override.ts';

/*
 * Contract: SQLite only, and the innermost wrapper (it reaches into the
 * connection Prisma's better-sqlite3 adapter opened). Statements answer exactly
 * as uncached ones would; only the preparing is saved. It relies on the adapter
 * (pinned at 7.10) calling nothing on a statement but what `AdapterStatement`
 * lists, and keeping its database in `client`; a version that does not keep it
 * there fails at start-up, never silently uncached.
 */

/** Distinct SQL texts kept prepared; the API sends a few dozen. */
const CAPACITY = 500;

/** What Prisma's better-sqlite3 adapter (7.10) calls on the statements it prepares. */
interface AdapterStatement {
  readonly reader: boolean;
  columns(): BetterSqlite3.ColumnDefinition[];
  run(): BetterSqlite3.RunResult;
  raw(): { all(): unknown[] };
  bind(args: unknown[]): Omit<AdapterStatement, 'bind'>;
}

/**
 * A better-sqlite3 database whose `prepare` returns a statement prepared before
 * for the same SQL. Prisma's adapter prepares every statement it runs, again on
 * each call, which `pnpm bench` measured at 8% of the API's CPU time on a read
 * by id. A better-sqlite3 statement binds its parameters once and for good, so
 * what `prepare` returns here binds by passing them to each run instead.
 */
export function withStatementCache(db: BetterSqlite3.Database, capacity = CAPACITY): BetterSqlite3.Database {
  const statements = new Map<string, AdapterStatement>();
  const prepare = (sql: string): AdapterStatement => {
    let statement = statements.get(sql);
    if (statement) {
      // Most recently used last, so that the first one is the one to evict.
      statements.delete(sql);
    } else {
      statement = reusable(db.prepare<unknown[]>(sql));
      if (statements.size >= capacity) statements.delete(statements.keys().next().value!);
    }
    statements.set(sql, statement);
    return statement;
  };
  return new Proxy(db, {
    get(target, key) {
      if (key === 'prepare') return prepare;
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

function reusable(statement: BetterSqlite3.Statement<unknown[]>): AdapterStatement {
  // The adapter asks for the columns on every query (3% of a read's CPU in a profile); they are the statement's
  // own, fixed once it is prepared (migrations run before the API serves).
  let columns: BetterSqlite3.ColumnDefinition[] | undefined;
  const boundTo = (args: unknown[]) => ({
    reader: statement.reader,
    columns: () => (columns ??= statement.columns()),
    run: () => statement.run(args),
    // Raw mode is a setting of the statement, set on every use: the same SQL
    // may have been run through `run` before.
    raw: () => ({ all: () => statement.raw(true).all(args) }),
  });
  return { ...boundTo([]), bind: boundTo };
}

/**
 * Gives the connections of Prisma's better-sqlite3 adapter a statement cache.
 * The adapter keeps its database in a `client` field; the adapter version is
 * pinned, and a version without that field fails here, loudly, at start-up.
 */
export function cacheStatements(factory: SqlDriverAdapterFactory): SqlDriverAdapterFactory {
  return wrapConnections(factory, (adapter) => {
    const holder = adapter as SqlDriverAdapter & { client?: BetterSqlite3.Database };
    if (typeof holder.client?.prepare !== 'function') {
      throw new Error('The better-sqlite3 adapter no longer keeps its database in `client`: update sqlite-statement-cache.ts');
    }
    holder.client = withStatementCache(holder.client);
    return adapter;
  });
}
