import type { SqlDriverAdapter, SqlDriverAdapterFactory, SqlQueryable } from '@prisma/driver-adapter-utils';
import { withOverrides, wrapConnections } from './override.ts';

/*
 * Contract: any provider, the outermost wrapper, for tests that count the
 * statements a request sends (the N+1 checks). `onStatement` hears every SQL
 * text the client sends, inside transactions too, before it runs; it must not
 * throw, and changes nothing about what runs.
 */

/** Wraps an adapter factory so that every statement is reported before it runs. */
export function countStatements(factory: SqlDriverAdapterFactory, onStatement: (sql: string) => void): SqlDriverAdapterFactory {
  const watchQueries = <T extends SqlQueryable>(queryable: T): T =>
    withOverrides<SqlQueryable>(queryable, {
      queryRaw: (query) => (onStatement(query.sql), queryable.queryRaw(query)),
      executeRaw: (query) => (onStatement(query.sql), queryable.executeRaw(query)),
    }) as T;
  return wrapConnections(factory, (adapter: SqlDriverAdapter) =>
    withOverrides(watchQueries(adapter), {
      startTransaction: async (isolation) => watchQueries(await adapter.startTransaction(isolation)),
    }),
  );
}
