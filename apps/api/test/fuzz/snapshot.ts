import type { Database, Provider } from '@mechanic-shop/core';

/** Every row of every table, as sorted JSON lines per table: equal snapshots hold equal data. */
export type DatabaseSnapshot = Map<string, string[]>;

/** The catalog query listing every column of every table, and the SQL of one snapshot query, by provider. */
const DIALECTS: Record<Provider, { columns: string; quote: (name: string) => string; object: string; aggregate: string }> = {
  sqlite: {
    columns:
      "SELECT m.name AS table_name, p.name AS column_name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' ORDER BY m.name, p.cid",
    quote: (name) => `"${name}"`,
    object: 'json_object',
    aggregate: 'json_group_array',
  },
  postgresql: {
    columns:
      'SELECT c.table_name AS table_name, c.column_name AS column_name FROM information_schema.columns c JOIN information_schema.tables t ' +
      "ON t.table_schema = c.table_schema AND t.table_name = c.table_name WHERE t.table_schema = current_schema() AND t.table_type = 'BASE TABLE' " +
      'ORDER BY c.table_name, c.ordinal_position',
    quote: (name) => `"${name}"`,
    object: 'json_build_object',
    aggregate: 'json_agg',
  },
  mysql: {
    columns:
      'SELECT c.table_name AS table_name, c.column_name AS column_name FROM information_schema.columns c JOIN information_schema.tables t ' +
      "ON t.table_schema = c.table_schema AND t.table_name = c.table_name WHERE t.table_schema = DATABASE() AND t.table_type = 'BASE TABLE' " +
      'ORDER BY c.table_name, c.ordinal_position',
    quote: (name) => `\`${name}\``,
    object: 'JSON_OBJECT',
    aggregate: 'JSON_ARRAYAGG',
  },
};

/**
 * A function that reads every table the database has (migrations' bookkeeping
 * and SQLite's sequences included, so that no write can hide in a table a
 * hand-written list would have left out) in one query, each table's rows
 * aggregated to JSON by the database: one round trip per snapshot.
 */
export async function databaseSnapshotter(db: Database, provider: Provider): Promise<() => Promise<DatabaseSnapshot>> {
  const { columns, quote, object, aggregate } = DIALECTS[provider];
  const tables = new Map<string, string[]>();
  for (const row of await db.$queryRawUnsafe<Array<{ table_name: string; column_name: string }>>(columns)) {
    tables.set(row.table_name, [...(tables.get(row.table_name) ?? []), row.column_name]);
  }
  const names = [...tables.keys()];
  const selects = names.map((table, index) => {
    const fields = tables.get(table)!.map((column) => `'${column}', ${quote(column)}`);
    return `(SELECT ${aggregate}(${object}(${fields.join(', ')})) FROM ${quote(table)}) AS t${index}`;
  });
  const sql = `SELECT ${selects.join(', ')}`;
  return async () => {
    const [row] = await db.$queryRawUnsafe<Array<Record<string, unknown>>>(sql);
    return new Map(
      names.map((table, index) => {
        const value = row?.[`t${index}`] ?? [];
        const rows = (typeof value === 'string' ? JSON.parse(value) : value) as unknown[];
        return [table, rows.map((entry) => JSON.stringify(entry)).sort()];
      }),
    );
  };
}

/** What differs between two snapshots, table by table, with an example row; empty when they are equal. */
export function differences(before: DatabaseSnapshot, after: DatabaseSnapshot): string[] {
  return [...new Set([...before.keys(), ...after.keys()])].flatMap((table) => {
    const [old, now] = [new Set(before.get(table) ?? []), new Set(after.get(table) ?? [])];
    const removed = [...old].filter((row) => !now.has(row));
    const added = [...now].filter((row) => !old.has(row));
    if (removed.length === 0 && added.length === 0) return [];
    const example = added[0] ? `+ ${added[0]}` : `- ${removed[0]}`;
    return [`${table}: ${removed.length} row(s) gone, ${added.length} new or changed (${example.slice(0, 300)})`];
  });
}
