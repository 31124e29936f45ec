import {
  CompiledQuery,
  DummyDriver,
  expressionBuilder,
  Kysely,
  MysqlAdapter,
  MysqlIntrospector,
  MysqlQueryCompiler,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  sql,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type AliasableExpression,
  type Compilable,
  type Dialect,
  type ExpressionBuilder,
  type Expression,
  type RawBuilder,
  type SelectQueryBuilder,
} from 'kysely';
import { jsonBuildObject as mysqlJsonObject } from 'kysely/helpers/mysql';
import { jsonBuildObject as postgresJsonObject } from 'kysely/helpers/postgres';
import { jsonBuildObject as sqliteJsonObject } from 'kysely/helpers/sqlite';
import type { ArgType } from '@prisma/driver-adapter-utils';
import { connectionOf, type Database, type Transaction } from './client.ts';
import type { DB } from './generated/kysely/database.ts';
import type { Provider } from './provider.ts';

/**
 * Hot reads as one SQL statement: Kysely builds and compiles the query for the
 * provider's dialect, typed with the tables generated from the Prisma schema
 * (prisma-kysely, see scripts/generate-prisma.ts), and Prisma's driver adapter
 * runs it (`queryJson`): the connection Prisma's client uses, and inside a
 * transaction the transaction's client (`$queryRawUnsafe`), so the same
 * connection and transaction as the Prisma calls around it.
 *
 * prisma-extension-kysely does the same (its connection calls
 * `$queryRawUnsafe`), but through `$extends`: the client's type changes for the
 * whole code base, it builds a new Kysely instance in every interactive
 * transaction, writes included, and its `execute()` compiles the query on every
 * call (`preparedQuery` below compiles once). Compiling here and running on
 * whichever client or transaction the caller holds needs none of that.
 *
 * The table types are SQLite's, as the rest of the domain code is typed
 * against SQLite's client: names and nullability are the same on every
 * provider; what differs (JSON text or a parsed value, the format of a date,
 * 0/1 or a boolean) is settled by the helpers below.
 */

export type { DB } from './generated/kysely/database.ts';

const DIALECTS: Record<Provider, Omit<Dialect, 'createDriver'>> = {
  sqlite: {
    createAdapter: () => new SqliteAdapter(),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  },
  postgresql: {
    createAdapter: () => new PostgresAdapter(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
  mysql: {
    createAdapter: () => new MysqlAdapter(),
    createIntrospector: (db) => new MysqlIntrospector(db),
    createQueryCompiler: () => new MysqlQueryCompiler(),
  },
};

const builders = new Map<Provider, Kysely<DB>>();

/** The provider's query builder. It only compiles: `queryRows` and `queryJson` run what it builds. */
export function queryBuilder(provider: Provider): Kysely<DB> {
  let builder = builders.get(provider);
  if (!builder) {
    // Kysely's documented way to build without executing: a dummy driver.
    builder = new Kysely<DB>({ dialect: { ...DIALECTS[provider], createDriver: () => new DummyDriver() } });
    builders.set(provider, builder);
  }
  return builder;
}

type Query<Row> = Compilable<Row> | CompiledQuery<Row>;

const SLOT = Symbol('parameter');
type Slot = { readonly [SLOT]: string };
const isSlot = (value: unknown): value is Slot => typeof value === 'object' && value !== null && SLOT in value;

/**
 * A query built and compiled once per provider, then run with new parameter
 * values: building and compiling a nested JSON query costs about as much CPU
 * as running it. `build` receives stand-ins for the parameters, which Kysely
 * sends as parameters: it must place them, never look at them (no branching on
 * a value, no arithmetic with one).
 */
export function preparedQuery<Params extends object, Row>(
  build: (builder: Kysely<DB>, provider: Provider, params: Params) => Compilable<Row>,
): (provider: Provider, params: Params) => CompiledQuery<Row> {
  const compiled = new Map<Provider, CompiledQuery<Row>>();
  return (provider, params) => {
    let template = compiled.get(provider);
    if (!template) {
      const slots = Object.fromEntries(Object.keys(params).map((name): [string, Slot] => [name, { [SLOT]: name }]));
      template = build(queryBuilder(provider), provider, slots as Params).compile();
      compiled.set(provider, template);
    }
    return CompiledQuery.raw(
      template.sql,
      template.parameters.map((parameter) => (isSlot(parameter) ? params[parameter[SLOT] as keyof Params] : parameter)),
    );
  };
}

/**
 * The JSON documents a query selects as its one column `json`, one per row, parsed:
 * SQLite and MariaDB answer JSON as text, PostgreSQL's `json` arrives parsed.
 *
 * Outside a transaction the statement goes straight to the driver adapter's
 * connection Prisma's client uses (`connectionOf`): one pool, the same
 * wrappers. Prisma's client adds about 0.13 ms of CPU to each raw statement
 * (its request pipeline and tracing scope, serializing the arguments and
 * deserializing the rows), twice the time of SQLite running a ticket's read;
 * a column of JSON text needs none of it. The arguments are typed as Prisma
 * types them (`argTypeOf`).
 */
export async function queryJson<Document>(db: Database | Transaction, query: Query<{ json: Document }>): Promise<Document[]> {
  const { sql: text, parameters } = 'compile' in query ? query.compile() : query;
  const connection = connectionOf(db);
  const values = connection
    ? (await connection.queryRaw({ sql: text, args: [...parameters], argTypes: parameters.map(argTypeOf) })).rows.map(([json]) => json)
    : (await db.$queryRawUnsafe<{ json: unknown }[]>(text, ...parameters)).map(({ json }) => json);
  return values.map((json) => (typeof json === 'string' ? JSON.parse(json) : json) as Document);
}

/**
 * The type Prisma 7.10 gives a raw query's argument (`$queryRawUnsafe`), for
 * the kinds the hot reads pass: numbers and strings. Another kind (a date, a
 * boolean) would need Prisma's conversion too: it is refused, not guessed.
 */
function argTypeOf(value: unknown): ArgType {
  if (typeof value === 'number') return { scalarType: 'decimal', arity: 'scalar' };
  if (typeof value === 'string') return { scalarType: 'string', arity: 'scalar' };
  throw new TypeError(`queryJson passes numbers and strings to the database, not ${typeof value}`);
}

/** Building JSON in SQL, the same shape on each provider. */
export interface JsonSql {
  /** One object of these keys and values (`json_object` / `json_build_object`), Kysely's helper. */
  object: typeof sqliteJsonObject;
  /**
   * The rows of `rows` as one JSON array of `item`, in the order of `orderBy`
   * (`[]` without rows): a scalar subquery, to place as a value in another
   * JSON document.
   *
   * PostgreSQL and MariaDB order the aggregate itself (`ORDER BY` inside it),
   * the order every provider keeps, unlike the order of a subquery. SQLite
   * sorts an aggregate's rows into a temporary B-tree even when they arrive in
   * that order, on each evaluation of the subquery: a ticket's three
   * aggregates (mechanics, jobs, each job's lines) took 60% of its read, and a
   * page's aggregate of 20 documents copied each into the sorter. There the
   * rows come from a subquery ordered by `orderBy`, which SQLite runs as a
   * co-routine and feeds to the aggregate in that order, reading the index
   * in order instead of sorting (ticket-document.test.ts checks the order of
   * lines, jobs and mechanics on every provider).
   */
  array<Tables, Table extends keyof Tables, Item>(
    rows: SelectQueryBuilder<Tables, Table, object>,
    item: (row: ExpressionBuilder<Tables, Table>) => AliasableExpression<Item>,
    orderBy: (row: ExpressionBuilder<Tables, Table>) => Expression<unknown>[],
  ): RawBuilder<Item[]>;
  /**
   * A scalar subquery's JSON placed inside another JSON value: SQLite and
   * MariaDB forget that a subquery's text is JSON and would quote it as a
   * string; null stays null.
   */
  nested<Value>(subquery: Expression<Value>): RawBuilder<Value>;
}

/** The aggregate of `item` over `rows` ordered inside the aggregate, as `aggregate(item, order)` writes it. */
function aggregateInOrder(aggregate: (item: Expression<unknown>, order: RawBuilder<unknown>) => RawBuilder<unknown>) {
  return <Tables, Table extends keyof Tables, Item>(
    rows: SelectQueryBuilder<Tables, Table, object>,
    item: (row: ExpressionBuilder<Tables, Table>) => AliasableExpression<Item>,
    orderBy: (row: ExpressionBuilder<Tables, Table>) => Expression<unknown>[],
  ) => sql<Item[]>`(${rows.select((row) => aggregate(item(row), sql.join(orderBy(row))).as('json'))})`;
}

const JSON_SQL: Record<Provider, JsonSql> = {
  sqlite: {
    object: sqliteJsonObject,
    array: (rows, item, orderBy) => {
      let ordered = rows.select((row) => item(row).as('item'));
      for (const key of orderBy(expressionBuilder(rows))) ordered = ordered.orderBy(key);
      return sql`json((select coalesce(json_group_array(json(${sql.ref('ordered.item')})), json_array()) from ${ordered.as('ordered')}))`;
    },
    nested: (subquery) => sql`json(${subquery})`,
  },
  postgresql: {
    object: postgresJsonObject,
    array: aggregateInOrder((item, order) => sql`coalesce(json_agg(${item} order by ${order}), json_build_array())`),
    nested: (subquery) => sql`${subquery}`,
  },
  // MariaDB: Kysely's MySQL helpers cast to JSON, which MariaDB lacks, and read
  // from derived tables, which cannot see the outer query's columns there.
  mysql: {
    object: mysqlJsonObject,
    array: (rows, item, orderBy) =>
      sql`json_extract(${aggregateInOrder((value, order) => sql`coalesce(json_arrayagg(${value} order by ${order}), json_array())`)(rows, item, orderBy)}, '$')`,
    nested: (subquery) => sql`json_extract(${subquery}, '$')`,
  },
};

export function jsonSql(provider: Provider): JsonSql {
  return JSON_SQL[provider];
}

/**
 * A date or time as JSON carries it: ISO 8601 with a zone from SQLite (as
 * Prisma stores it), without one from PostgreSQL (`timestamp(3)`, kept in UTC)
 * and with a space from MariaDB (`datetime(3)`, UTC).
 */
export function jsonDate(value: string): Date {
  const iso = value.replace(' ', 'T');
  return new Date(/(Z|[+-]\d\d:?\d\d)$/.test(iso) ? iso : `${iso}Z`);
}

export function jsonNullableDate(value: string | null): Date | null {
  return value === null ? null : jsonDate(value);
}

/** A boolean column as JSON carries it: 0/1 from SQLite and MariaDB, true/false from PostgreSQL. */
export function jsonBoolean(value: number | boolean): boolean {
  return value === true || value === 1;
}
