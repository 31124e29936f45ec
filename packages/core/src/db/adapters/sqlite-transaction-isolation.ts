import type { SqlDriverAdapter, SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { withOverrides, wrapConnections } from './override.ts';

/*
 * Contract: SQLite only. The API has one SQLite connection, and a transaction is
 * a state of that connection: a statement of another request sent while a
 * transaction is open would run inside it, read its uncommitted changes and be
 * rolled back with it. Here statements outside transactions wait while one is
 * open, so each request sees only committed data (the adapter already runs
 * transactions one at a time). Every transaction must end in `commit` or
 * `rollback`, which Prisma guarantees; until then the connection serves nobody
 * else. db/isolation.test.ts checks the behaviour on every database.
 */

/** A lock that hands itself to one holder at a time, in the order asked. */
function createLock(): () => Promise<() => void> {
  let tail = Promise.resolve();
  return async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const previous = tail;
    tail = previous.then(() => held);
    await previous;
    return release;
  };
}

/** Makes statements outside transactions wait while a transaction is open on the connection. */
export function isolateTransactions(factory: SqlDriverAdapterFactory): SqlDriverAdapterFactory {
  const acquire = createLock();
  const alone =
    <Args extends unknown[], Result>(run: (...args: Args) => Promise<Result>) =>
    async (...args: Args): Promise<Result> => {
      const release = await acquire();
      try {
        return await run(...args);
      } finally {
        release();
      }
    };
  return wrapConnections(factory, (adapter: SqlDriverAdapter) =>
    withOverrides(adapter, {
      queryRaw: alone((query) => adapter.queryRaw(query)),
      executeRaw: alone((query) => adapter.executeRaw(query)),
      executeScript: alone((script) => adapter.executeScript(script)),
      async startTransaction(isolation) {
        const release = await acquire();
        try {
          const transaction = await adapter.startTransaction(isolation);
          const ending = (end: () => Promise<void>) => async (): Promise<void> => {
            try {
              await end();
            } finally {
              release();
            }
          };
          return withOverrides(transaction, { commit: ending(() => transaction.commit()), rollback: ending(() => transaction.rollback()) });
        } catch (error) {
          release();
          throw error;
        }
      },
    }),
  );
}
