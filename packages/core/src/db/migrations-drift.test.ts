import { afterEach, describe, expect, it } from 'vitest';
import { pendingSchemaChange } from '../../scripts/migrations.ts';
import { migrateDatabase } from './migrate.ts';
import {
  createScratchDatabase,
  reachableTestServers,
  testProvider,
  type ScratchDatabase,
  type ServerProvider,
} from '../testing/databases.ts';

/**
 * Fails when prisma/models.prisma and the migration files disagree. The SQLite
 * and PostgreSQL migrations are diffed against the model by Prisma's schema
 * engine; the hand-written MySQL ones must build the same tables as the
 * PostgreSQL ones, compared through the databases' catalogs.
 */

/** The suite runs once per database (vitest projects): each check runs in its database's run. */
const provider = testProvider();

const scratch: ScratchDatabase[] = [];
afterEach(async () => {
  for (const database of scratch.splice(0)) await database.drop();
});

describe('migration files against the data model', () => {
  it.skipIf(provider !== 'sqlite')('the SQLite migrations build prisma/models.prisma exactly', async () => {
    expect(await pendingSchemaChange('sqlite')).toBe('');
  });

  it.skipIf(provider !== 'postgresql')('the PostgreSQL migrations build prisma/models.prisma exactly', async () => {
    expect(await pendingSchemaChange('postgresql')).toBe('');
  });

  it.skipIf(provider !== 'mysql')('the MySQL migrations build the same tables as the PostgreSQL ones', async (context) => {
    // The comparison needs PostgreSQL too.
    if (!(await reachableTestServers('the MySQL drift check')).postgresql) return context.skip();
    const [postgres, mysql] = await Promise.all([migratedDatabase('postgresql'), migratedDatabase('mysql')]);
    const [postgresStructure, mysqlStructure] = await Promise.all([describeStructure(postgres), describeStructure(mysql)]);
    expect(postgresStructure.length).toBeGreaterThan(0);
    expect(mysqlStructure).toEqual(postgresStructure);
  });
});

async function migratedDatabase(provider: ServerProvider): Promise<ScratchDatabase> {
  const database = await createScratchDatabase(provider);
  scratch.push(database);
  await migrateDatabase({ url: database.url });
  return database;
}

/** A column as both catalogs can state it, in provider-neutral terms. */
interface Column {
  table_name: string;
  column_name: string;
  nullable: boolean;
  type: string;
  /** `now`, a literal value, or `expression` for anything that differs by dialect. */
  default: string | null;
  autoincrement: boolean;
}

interface IndexColumn {
  table_name: string;
  index_name: string;
  primary: boolean;
  unique: boolean;
  column_name: string;
  position: number;
}

interface ForeignKeyColumn {
  table_name: string;
  constraint_name: string;
  column_name: string;
  position: number;
  referenced_table: string;
  referenced_column: string;
  delete_rule: string;
  update_rule: string;
}

/**
 * The tables of a migrated database as sorted one-line facts (columns, primary
 * keys, indexes, foreign keys), so that a mismatch reads as the lines that differ.
 * `_prisma_migrations` is the runner's, not the model's.
 */
async function describeStructure(database: ScratchDatabase): Promise<string[]> {
  const catalog = database.provider === 'postgresql' ? await readPostgresCatalog(database) : await readMysqlCatalog(database);
  const lines = [
    ...catalog.columns.map(
      (column) =>
        `column ${column.table_name}.${column.column_name}: ${column.type}${column.nullable ? '' : ' NOT NULL'}` +
        `${column.default === null ? '' : ` DEFAULT ${column.default}`}${column.autoincrement ? ' AUTOINCREMENT' : ''}`,
    ),
    ...Object.values(groupBy(catalog.indexes, (row) => `${row.table_name}.${row.index_name}`)).map((rows) => {
      const [first] = rows;
      const columns = byPosition(rows).join(', ');
      if (first!.primary) return `primary key ${first!.table_name} (${columns})`;
      return `${first!.unique ? 'unique index' : 'index'} ${first!.index_name} on ${first!.table_name} (${columns})`;
    }),
    ...Object.values(groupBy(catalog.foreignKeys, (row) => `${row.table_name}.${row.constraint_name}`)).map((rows) => {
      const [first] = rows;
      const referenced = [...rows].sort((a, b) => a.position - b.position).map((row) => row.referenced_column);
      return (
        `foreign key ${first!.constraint_name}: ${first!.table_name} (${byPosition(rows).join(', ')}) → ` +
        `${first!.referenced_table} (${referenced.join(', ')}) ON DELETE ${first!.delete_rule} ON UPDATE ${first!.update_rule}`
      );
    }),
  ];
  return lines.sort();
}

interface Catalog {
  columns: Column[];
  indexes: IndexColumn[];
  foreignKeys: ForeignKeyColumn[];
}

async function readPostgresCatalog(database: ScratchDatabase): Promise<Catalog> {
  const columns = await database.query<{
    table_name: string;
    column_name: string;
    is_nullable: string;
    data_type: string;
    udt_name: string;
    length: number | null;
    precision: number | null;
    scale: number | null;
    datetime_precision: number | null;
    column_default: string | null;
    is_identity: string;
  }>(
    `SELECT c.table_name::text, c.column_name::text, c.is_nullable::text, c.data_type::text, c.udt_name::text,
            c.character_maximum_length::int AS length, c.numeric_precision::int AS precision, c.numeric_scale::int AS scale,
            c.datetime_precision::int AS datetime_precision, c.column_default::text, c.is_identity::text
       FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' AND c.table_name <> '_prisma_migrations'`,
  );
  const enums = await database.query<{ name: string; labels: string }>(
    `SELECT t.typname::text AS name, string_agg(e.enumlabel::text, ',' ORDER BY e.enumsortorder) AS labels
       FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = current_schema() GROUP BY t.typname`,
  );
  const enumLabels = new Map(enums.map((row) => [row.name, row.labels]));
  // information_schema lists constraints but not indexes, and a unique index is
  // not a constraint: PostgreSQL's own catalog has them all.
  const indexes = await database.query<IndexColumn>(
    `SELECT t.relname::text AS table_name, i.relname::text AS index_name, x.indisprimary AS "primary", x.indisunique AS "unique",
            a.attname::text AS column_name, k.position::int AS position
       FROM pg_index x
       JOIN pg_class t ON t.oid = x.indrelid
       JOIN pg_class i ON i.oid = x.indexrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
       CROSS JOIN LATERAL unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, position)
       JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
      WHERE n.nspname = current_schema() AND t.relname <> '_prisma_migrations'`,
  );
  const foreignKeys = await database.query<ForeignKeyColumn>(
    `SELECT k.table_name::text, k.constraint_name::text, k.column_name::text, k.ordinal_position::int AS position,
            u.table_name::text AS referenced_table, u.column_name::text AS referenced_column,
            r.delete_rule::text, r.update_rule::text
       FROM information_schema.referential_constraints r
       JOIN information_schema.key_column_usage k ON k.constraint_schema = r.constraint_schema AND k.constraint_name = r.constraint_name
       JOIN information_schema.key_column_usage u ON u.constraint_schema = r.unique_constraint_schema
        AND u.constraint_name = r.unique_constraint_name AND u.ordinal_position = k.position_in_unique_constraint
      WHERE r.constraint_schema = current_schema()`,
  );
  return {
    columns: columns.map((row) => ({
      table_name: row.table_name,
      column_name: row.column_name,
      nullable: row.is_nullable === 'YES',
      type: postgresType(row, enumLabels),
      default: row.column_default?.startsWith('nextval(') ? null : postgresDefault(row.column_default),
      autoincrement: row.is_identity === 'YES' || Boolean(row.column_default?.startsWith('nextval(')),
    })),
    indexes,
    foreignKeys,
  };
}

async function readMysqlCatalog(database: ScratchDatabase): Promise<Catalog> {
  const columns = await database.query<{
    table_name: string;
    column_name: string;
    is_nullable: string;
    data_type: string;
    column_type: string;
    length: bigint | number | null;
    precision: bigint | number | null;
    scale: bigint | number | null;
    datetime_precision: bigint | number | null;
    column_default: string | null;
    extra: string;
  }>(
    `SELECT c.TABLE_NAME AS table_name, c.COLUMN_NAME AS column_name, c.IS_NULLABLE AS is_nullable, c.DATA_TYPE AS data_type,
            c.COLUMN_TYPE AS column_type, c.CHARACTER_MAXIMUM_LENGTH AS length, c.NUMERIC_PRECISION AS \`precision\`,
            c.NUMERIC_SCALE AS scale, c.DATETIME_PRECISION AS datetime_precision, c.COLUMN_DEFAULT AS column_default, c.EXTRA AS extra
       FROM information_schema.COLUMNS c
       JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME
      WHERE c.TABLE_SCHEMA = DATABASE() AND t.TABLE_TYPE = 'BASE TABLE' AND c.TABLE_NAME <> '_prisma_migrations'`,
  );
  const indexes = await database.query<{
    table_name: string;
    index_name: string;
    non_unique: bigint | number;
    column_name: string;
    position: bigint | number;
  }>(
    `SELECT TABLE_NAME AS table_name, INDEX_NAME AS index_name, NON_UNIQUE AS non_unique, COLUMN_NAME AS column_name, SEQ_IN_INDEX AS position
       FROM information_schema.STATISTICS
      WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME <> '_prisma_migrations'`,
  );
  const foreignKeys = await database.query<Omit<ForeignKeyColumn, 'position'> & { position: bigint | number }>(
    `SELECT k.TABLE_NAME AS table_name, k.CONSTRAINT_NAME AS constraint_name, k.COLUMN_NAME AS column_name, k.ORDINAL_POSITION AS position,
            k.REFERENCED_TABLE_NAME AS referenced_table, k.REFERENCED_COLUMN_NAME AS referenced_column,
            r.DELETE_RULE AS delete_rule, r.UPDATE_RULE AS update_rule
       FROM information_schema.REFERENTIAL_CONSTRAINTS r
       JOIN information_schema.KEY_COLUMN_USAGE k
         ON k.CONSTRAINT_SCHEMA = r.CONSTRAINT_SCHEMA AND k.TABLE_NAME = r.TABLE_NAME AND k.CONSTRAINT_NAME = r.CONSTRAINT_NAME
      WHERE r.CONSTRAINT_SCHEMA = DATABASE()`,
  );
  const foreignKeyNames = new Set(foreignKeys.map((row) => `${row.table_name}.${row.constraint_name}`));
  const [{ version } = { version: '' }] = await database.query<{ version: string }>('SELECT VERSION() AS version');
  const mariadb = version.includes('MariaDB');
  return {
    columns: columns.map((row) => ({
      table_name: row.table_name,
      column_name: row.column_name,
      nullable: row.is_nullable === 'YES',
      type: mysqlType(row),
      default: mysqlDefault(row, mariadb),
      autoincrement: row.extra.includes('auto_increment'),
    })),
    indexes: indexes
      // A foreign key needs an index on MySQL, which creates one under the key's
      // name when none fits; PostgreSQL has no such index.
      .filter((row) => !foreignKeyNames.has(`${row.table_name}.${row.index_name}`))
      .map((row) => ({
        table_name: row.table_name,
        index_name: row.index_name,
        primary: row.index_name === 'PRIMARY',
        unique: Number(row.non_unique) === 0,
        column_name: row.column_name,
        position: Number(row.position),
      })),
    foreignKeys: foreignKeys.map((row) => ({ ...row, position: Number(row.position) })),
  };
}

/**
 * Column types named alike on both sides, for the types Prisma maps its scalars
 * and `@db.*` attributes to. Anything else keeps its own name and so differs.
 * Prisma gives a plain `String` `text` on PostgreSQL and `VARCHAR(191)` on MySQL;
 * the model states a `@db.VarChar` length for every string instead.
 */
function postgresType(
  column: {
    data_type: string;
    udt_name: string;
    length: number | null;
    precision: number | null;
    scale: number | null;
    datetime_precision: number | null;
  },
  enumLabels: Map<string, string>,
): string {
  switch (column.data_type) {
    case 'character varying':
      return `varchar(${column.length})`;
    case 'character':
      return `char(${column.length})`;
    case 'timestamp without time zone':
      return `timestamp(${column.datetime_precision})`;
    case 'numeric':
      return `decimal(${column.precision},${column.scale})`;
    case 'double precision':
      return 'double';
    case 'real':
      return 'float';
    case 'jsonb':
      return 'json';
    case 'bytea':
      return 'bytes';
    case 'USER-DEFINED':
      return enumLabels.has(column.udt_name) ? `enum(${enumLabels.get(column.udt_name)})` : column.udt_name;
    default:
      return column.data_type; // integer, smallint, bigint, boolean, text, date
  }
}

function mysqlType(column: {
  data_type: string;
  column_type: string;
  length: bigint | number | null;
  precision: bigint | number | null;
  scale: bigint | number | null;
  datetime_precision: bigint | number | null;
}): string {
  switch (column.data_type) {
    case 'int':
      return 'integer';
    case 'tinyint':
      return column.column_type.startsWith('tinyint(1)') ? 'boolean' : 'tinyint';
    case 'varchar':
    case 'char':
      return `${column.data_type}(${column.length})`;
    case 'datetime':
      return `timestamp(${column.datetime_precision})`;
    case 'decimal':
      return `decimal(${column.precision},${column.scale})`;
    case 'longblob':
      return 'bytes';
    case 'enum':
      return `enum(${[...column.column_type.matchAll(/'((?:[^']|'')*)'/g)].map((match) => match[1]!.replaceAll("''", "'")).join(',')})`;
    default:
      return column.data_type; // smallint, bigint, double, float, text, date, json
  }
}

/** `'PENDING'::"ServiceTicketStatus"`, `0`, `CURRENT_TIMESTAMP`… as `'PENDING'`, `'0'`, `now`. */
function postgresDefault(sql: string | null): string | null {
  if (sql === null || /^NULL(::.*)?$/i.test(sql)) return null;
  if (/^(CURRENT_TIMESTAMP|now\(\))$/i.test(sql)) return 'now';
  const literal = /^'((?:[^']|'')*)'(::.+)?$/s.exec(sql)?.[1]?.replaceAll("''", "'") ?? /^(-?\d+(\.\d+)?|true|false)$/.exec(sql)?.[1];
  return literal === undefined ? 'expression' : `'${literal}'`;
}

/**
 * MariaDB quotes literal strings and leaves expressions bare; MySQL 8 leaves both
 * bare and flags expressions DEFAULT_GENERATED. Booleans are 1 and 0.
 */
function mysqlDefault(column: { column_default: string | null; column_type: string; extra: string }, mariadb: boolean): string | null {
  const sql = column.column_default;
  if (sql === null || sql === 'NULL') return null;
  if (/^current_timestamp(\(\d*\))?$/i.test(sql)) return 'now';
  const quoted = /^'((?:[^']|'')*)'$/s.exec(sql)?.[1]?.replaceAll("''", "'");
  if (quoted !== undefined) return `'${quoted}'`;
  if (column.column_type.startsWith('tinyint(1)')) return sql === '1' ? "'true'" : "'false'";
  if (/^-?\d+(\.\d+)?$/.test(sql)) return `'${sql}'`;
  return mariadb || column.extra.includes('DEFAULT_GENERATED') ? 'expression' : `'${sql}'`;
}

function groupBy<T>(rows: T[], key: (row: T) => string): Record<string, T[]> {
  const groups: Record<string, T[]> = {};
  for (const row of rows) (groups[key(row)] ??= []).push(row);
  return groups;
}

function byPosition(rows: Array<{ position: number; column_name: string }>): string[] {
  return [...rows].sort((a, b) => a.position - b.position).map((row) => row.column_name);
}
