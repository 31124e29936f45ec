import type { SqlDriverAdapter } from '@prisma/driver-adapter-utils';
import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../client.ts';
import { cacheStatements, withStatementCache } from './sqlite-statement-cache.ts';

const opened: SQLite.Database[] = [];
afterEach(() => opened.splice(0).forEach((db) => db.close()));

function shop() {
  const db = new SQLite(':memory:');
  opened.push(db);
  db.exec("CREATE TABLE part (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO part (name) VALUES ('filter'), ('belt'), ('pad')");
  return db;
}

// Called the way Prisma's better-sqlite3 adapter calls it.
const read = (db: SQLite.Database, sql: string, args: unknown[]) => db.prepare(sql).bind(args).raw().all();

describe('withStatementCache', () => {
  it('prepares a SQL text once and runs it with each call’s own parameters', () => {
    const db = shop();
    const prepare = vi.spyOn(db, 'prepare');
    const cached = withStatementCache(db);
    const byId = 'SELECT id, name FROM part WHERE id = ?';
    expect(read(cached, byId, [1])).toEqual([[1, 'filter']]);
    expect(read(cached, byId, [3])).toEqual([[3, 'pad']]);
    expect(read(cached, byId, [9])).toEqual([]);
    expect(prepare).toHaveBeenCalledTimes(1);
  });

  it('runs writes, reads what they wrote, and reports the columns', () => {
    const cached = withStatementCache(shop());
    const insert = 'INSERT INTO part (name) VALUES (?)';
    expect(cached.prepare(insert).bind(['hose']).run().changes).toBe(1);
    expect(cached.prepare(insert).bind(['clamp']).run().lastInsertRowid).toBe(5);
    const statement = cached.prepare('SELECT name FROM part WHERE id > ? ORDER BY id').bind([3]);
    expect(statement.reader).toBe(true);
    expect(statement.columns().map((column) => column.name)).toEqual(['name']);
    expect(statement.raw().all()).toEqual([['hose'], ['clamp']]);
  });

  it('keeps at most its capacity, evicting the least recently used', () => {
    const db = shop();
    const prepare = vi.spyOn(db, 'prepare');
    const cached = withStatementCache(db, 2);
    const sql = (n: number) => `SELECT ${n} AS n`;
    read(cached, sql(1), []);
    read(cached, sql(2), []);
    read(cached, sql(1), []); // 2 is now the least recently used
    read(cached, sql(3), []); // evicts 2
    read(cached, sql(1), []);
    expect(prepare).toHaveBeenCalledTimes(3);
    read(cached, sql(2), []);
    expect(prepare).toHaveBeenCalledTimes(4);
  });

  it('leaves the rest of the database as it is', () => {
    const db = shop();
    const cached = withStatementCache(db);
    cached.exec("INSERT INTO part (name) VALUES ('wiper')");
    expect(cached.pragma('foreign_keys', { simple: true })).toBe(db.pragma('foreign_keys', { simple: true }));
    expect(cached.open).toBe(true);
    expect(read(cached, 'SELECT count(*) FROM part', [])).toEqual([[4]]);
  });
});

describe('cacheStatements', () => {
  it('is in effect on the SQLite databases openDatabase opens', async () => {
    const prepare = vi.spyOn(SQLite.prototype, 'prepare');
    const handle = await openDatabase({ url: 'file:' });
    try {
      for (let call = 0; call < 3; call++) await handle.ping();
      expect(prepare.mock.calls.filter(([sql]) => sql === 'SELECT 1')).toHaveLength(1);
    } finally {
      await handle.close();
      prepare.mockRestore();
    }
  });

  it('fails loudly on an adapter that no longer keeps its database in `client`', async () => {
    const factory = { provider: 'sqlite' as const, adapterName: 'changed', connect: async () => ({}) as SqlDriverAdapter };
    await expect(cacheStatements(factory).connect()).rejects.toThrow('update sqlite-statement-cache.ts');
  });
});
