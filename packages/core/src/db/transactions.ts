import { setTimeout as sleep } from 'node:timers/promises';
import type { Database, Transaction } from './client.ts';
import { isTransactionConflict } from './errors.ts';

/**
 * How many times a write runs before a deadlock or serialization failure is
 * reported to the client (409 `transaction_conflict`, or 503 when SQLite stayed
 * busy). Conflicts come from two requests touching the same rows in opposite
 * orders (adding a part while its ticket or customer is deleted); running the
 * loser again almost always succeeds, so a few attempts suffice.
 */
export const WRITE_ATTEMPTS = 4;

/** Longest pause before the first retry; it doubles on each one ("full jitter": a random pause up to it). */
const FIRST_BACKOFF_MS = 10;

/**
 * Runs `attempt` again while it fails with a transaction conflict, at most
 * `WRITE_ATTEMPTS` times in all, after a short random pause so that the
 * colliding requests do not meet again in step. Any other error, and the last
 * conflict, is thrown as it is. `attempt` must be safe to run again: a whole
 * transaction (rolled back by the conflict) or one statement.
 */
export async function retryingConflicts<Result>(attempt: () => Promise<Result>): Promise<Result> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (tries >= WRITE_ATTEMPTS || !isTransactionConflict(error)) throw error;
      await sleep(Math.random() * FIRST_BACKOFF_MS * 2 ** (tries - 1));
    }
  }
}

/** The one way domain code runs a write transaction: all or nothing, run again if it loses a deadlock. */
export function inTransaction<Result>(db: Database, work: (tx: Transaction) => Promise<Result>): Promise<Result> {
  return retryingConflicts(() => db.$transaction(work));
}
