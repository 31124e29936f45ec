import { createHash } from 'node:crypto';
import { mariadbPoolConfig } from '../mysql-settings.ts';
import { CONNECT_TIMEOUT_MS, LOCK_WAIT_SECONDS, MigrationError, type MigrationConnection } from './connection.ts';

/*
 * Contract: one mariadb connection, with the pool settings and TLS the API's
 * client reads from the same URL. MySQL/MariaDB commit every DDL statement on
 * its own (`transactionalDdl: false`): the runner records a migration before
 * running it and marks it finished after, so a failure leaves a record an
 * operator must resolve. A script runs one statement at a time (the driver runs
 * one per call), split by `splitStatements`. The lock between runs is a user
 * lock named after the database.
 */

/** Splits a migration file into statements for drivers that run one at a time. */
export function splitStatements(sql: string): string[] {
  return sql
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('--'))
    .join('\n')
    .split(/;\s*(?:\n|$)/)
    .map((statement) => statement.trim())
    .filter((statement) => statement.length > 0);
}

export async function openMysqlMigrationConnection(url: string): Promise<MigrationConnection> {
  const { default: mariadb } = await import('mariadb');
  const {
    connectionLimit: _pool,
    acquireTimeout: _acquire,
    ...config
  } = mariadbPoolConfig({ url, poolSize: 1, connectTimeoutMs: CONNECT_TIMEOUT_MS });
  const connection = await mariadb.createConnection({ ...config, queryTimeout: 0 });
  const query = async <Row>(sql: string, params: unknown[] = []) => {
    const result: unknown = await connection.query(sql, params);
    return (Array.isArray(result) ? result : []) as Row[];
  };
  return {
    transactionalDdl: false,
    now: 'CURRENT_TIMESTAMP(3)',
    createTable: `CREATE TABLE IF NOT EXISTS _prisma_migrations (
      id VARCHAR(36) PRIMARY KEY NOT NULL,
      checksum VARCHAR(64) NOT NULL,
      finished_at DATETIME(3),
      migration_name VARCHAR(255) NOT NULL,
      logs TEXT,
      rolled_back_at DATETIME(3),
      started_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      applied_steps_count INTEGER UNSIGNED NOT NULL DEFAULT 0
    ) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    async runScript(sql) {
      for (const statement of splitStatements(sql)) await connection.query(statement);
    },
    query,
    async withLock(work) {
      // User locks are server-wide: the name carries the database's, hashed
      // to stay within the 64 characters a lock name may have.
      const [current] = await query<{ name: string | null }>('SELECT DATABASE() AS name');
      const lock = `mechanic_shop_migrate:${createHash('sha1')
        .update(current?.name ?? '')
        .digest('hex')}`;
      const [row] = await query<{ locked: number | bigint | null }>('SELECT GET_LOCK(?, ?) AS locked', [lock, LOCK_WAIT_SECONDS]);
      if (Number(row?.locked) !== 1) throw new MigrationError('Timed out waiting for another migration run to finish');
      try {
        return await work();
      } finally {
        await connection.query('SELECT RELEASE_LOCK(?)', [lock]);
      }
    },
    close: () => connection.end(),
  };
}
