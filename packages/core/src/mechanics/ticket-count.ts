import { join, sqltag as sql } from '@prisma/client/runtime/client';
import type { Transaction } from '../db/client.ts';

/**
 * `mechanics.ticket_count` is the number of the mechanic's `service_assignments`
 * rows, which top mechanics ranks by (an index read instead of counting every
 * assignment). Each write that adds or removes assignments calls one of these in
 * its own transaction, after taking the lock of the tickets concerned, so the
 * count commits or rolls back with the rows it counts. `ticket_count ± n` is
 * computed by the database under the row's lock, so concurrent writes add up
 * exactly. A mechanic's own deletion takes their assignments and their count
 * together: nothing to count then.
 *
 * Plain SQL, the same on every provider: Prisma's update would also move the
 * mechanic's `updated_at`, and their account did not change.
 */

/** Assignments of these mechanics were just made (`added`) or ended (`removed`), one each. */
export async function countAssignments(tx: Transaction, mechanicIds: readonly number[], change: 'added' | 'removed'): Promise<void> {
  if (mechanicIds.length === 0) return;
  const step = change === 'added' ? sql`+ 1` : sql`- 1`;
  await tx.$executeRaw`UPDATE mechanics SET ticket_count = ticket_count ${step} WHERE id IN (${join(mechanicIds)})`;
}

/**
 * Called just before these tickets are deleted, their assignments with them (the
 * foreign key cascades): each mechanic loses as many as they are assigned to.
 */
export async function countTicketsDeleted(tx: Transaction, ticketIds: readonly number[]): Promise<void> {
  if (ticketIds.length === 0) return;
  const tickets = join(ticketIds);
  await tx.$executeRaw`
    UPDATE mechanics SET ticket_count = ticket_count - (
      SELECT COUNT(*) FROM service_assignments
       WHERE service_assignments.mechanic_id = mechanics.id AND service_assignments.service_ticket_id IN (${tickets})
    )
    WHERE id IN (SELECT mechanic_id FROM service_assignments WHERE service_ticket_id IN (${tickets}))`;
}
