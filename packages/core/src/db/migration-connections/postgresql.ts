import { CONNECT_TIMEOUT_MS, LOCK_WAIT_SECONDS, type MigrationConnection } from './connection.ts';

/*
 * Contract: one `pg` client (TLS and other libpq options from the URL). DDL is
 * transactional, so the runner applies each migration in a transaction with its
 * record. The lock between runs is a session-level advisory lock, held for the
 * whole run and waited for at most LOCK_WAIT_SECONDS. `?` placeholders are
 * turned into `$n`: the runner writes its SQL once for every provider.
 */

/** An arbitrary constant that names our lock among other PostgreSQL advisory locks. */
const LOCK_KEY = 724_311_017;

export async function openPostgresqlMigrationConnection(url: string): Promise<MigrationConnection> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  await client.connect();
  return {
    transactionalDdl: true,
    now: 'now()',
    createTable: `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum" VARCHAR(64) NOT NULL,
      "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL,
      "logs" TEXT,
      "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0
    )`,
    runScript: async (sql) => void (await client.query(sql)),
    async query<Row>(sql: string, params: unknown[] = []) {
      let index = 0;
      const text = sql.replace(/\?/g, () => `$${++index}`);
      return (await client.query(text, params)).rows as Row[];
    },
    async withLock(work) {
      await client.query(`SET lock_timeout = '${LOCK_WAIT_SECONDS}s'`);
      await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
      try {
        return await work();
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]);
      }
    },
    close: () => client.end(),
  };
}
