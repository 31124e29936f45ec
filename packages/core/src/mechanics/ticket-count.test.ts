import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTicket, signUpCustomer, signUpMechanic } from '../testing/fixtures.ts';
import { createTestApp, rejectionOf, type TestApp } from '../testing/index.ts';

/**
 * `mechanics.ticket_count` against what it stands for, COUNT(*) of each
 * mechanic's assignments, after every kind of write that adds or removes
 * assignments, fired at once. Once per database (vitest projects).
 */
let app: TestApp;
let owner: Awaited<ReturnType<typeof signUpMechanic>>;
beforeAll(async () => {
  app = await createTestApp();
  owner = await signUpMechanic(app);
});
afterAll(() => app.close());

/** Each mechanic's kept count next to the count of their assignments (the reference). */
async function countsAndReference(): Promise<{ kept: Array<[number, number]>; counted: Array<[number, number]> }> {
  const rows = await app.services.db.mechanic.findMany({
    select: { id: true, ticketCount: true, _count: { select: { assignments: true } } },
    orderBy: { id: 'asc' },
  });
  return { kept: rows.map((row) => [row.id, row.ticketCount]), counted: rows.map((row) => [row.id, row._count.assignments]) };
}

/** The top mechanics query as it was before the count: ranked by counting the assignments. */
async function topByCounting(limit: number) {
  const rows = await app.services.db.mechanic.findMany({
    select: { id: true, name: true, _count: { select: { assignments: true } } },
    orderBy: [{ assignments: { _count: 'desc' } }, { id: 'asc' }],
    take: limit,
  });
  return rows.map(({ id, name, _count }) => ({ id, name, ticket_count: _count.assignments }));
}

describe('the ticket count of each mechanic', () => {
  it('equals the number of their assignments after concurrent assigning, unassigning, edits and deletions', async () => {
    const staff = app.as(owner.token);
    const team = [owner.mechanic, ...(await Promise.all([1, 2, 3, 4, 5].map(() => signUpMechanic(app)))).map((each) => each.mechanic)];
    const customers = await Promise.all([1, 2].map(() => signUpCustomer(app)));
    const tickets = await Promise.all(
      Array.from({ length: 8 }, (_, index) => app.as(customers[index % 2]!.token).serviceTickets.open(newTicket())),
    );
    // A starting point for the removals: every mechanic on the first four tickets.
    for (const ticket of tickets.slice(0, 4)) await staff.serviceTickets.edit({ id: ticket.id, add_ids: team.map(({ id }) => id) });

    const mechanic = (index: number) => team[index % team.length]!.id;
    const ticket = (index: number) => tickets[index % tickets.length]!.id;
    const results = await Promise.allSettled([
      // The same pairs from several requests: only one of each can be made or ended.
      ...Array.from({ length: 12 }, (_, index) =>
        staff.assignments.create({ service_ticket_id: ticket(index), mechanic_id: mechanic(index) }),
      ),
      ...Array.from({ length: 6 }, (_, index) =>
        staff.assignments.delete({ service_ticket_id: ticket(index), mechanic_id: mechanic(index + 1) }),
      ),
      ...Array.from({ length: 4 }, (_, index) =>
        staff.serviceTickets.edit({
          id: ticket(index),
          add_ids: [mechanic(index + 2), mechanic(index + 3)],
          remove_ids: [mechanic(index + 4)],
        }),
      ),
      staff.serviceTickets.delete({ id: ticket(0) }),
      staff.serviceTickets.delete({ id: ticket(3) }),
      // Its tickets are PENDING (no work done): they go with the account.
      app.as(customers[1]!.token).customers.delete({ id: customers[1]!.customer.id }),
    ]);

    // Duplicates and writes to a deleted ticket lose with a 409 or a 404. On a busy machine a write may also give
    // up waiting for a connection or a lock (503, 409 transaction_conflict): rolled back, it changed nothing.
    // Anything else is a bug.
    const EXPECTED = ['assignment_exists', 'not_found', 'service_unavailable', 'transaction_conflict'];
    const rejections = await Promise.all(
      results.flatMap((result) => (result.status === 'rejected' ? [rejectionOf(Promise.reject(result.reason as Error))] : [])),
    );
    expect(rejections.filter(({ reason }) => !EXPECTED.includes(reason))).toEqual([]);
    expect(rejections.length).toBeLessThan(results.length);
    expect(await app.services.db.serviceTicket.count({ where: { id: { in: tickets.map(({ id }) => id) } } })).toBeLessThan(tickets.length);
    const { kept, counted } = await countsAndReference();
    expect(counted.some(([, count]) => count > 0)).toBe(true);
    expect(kept).toEqual(counted);
  });

  it('ranks top mechanics as counting their assignments did, ties by id', async () => {
    // Ties: a fresh mechanic per count from 0 to 3, two of them with 2.
    const customer = await signUpCustomer(app);
    const tickets = await Promise.all([1, 2, 3].map(() => app.as(customer.token).serviceTickets.open(newTicket())));
    const fresh = await Promise.all([0, 2, 2, 3, 1].map(async (count) => ({ count, id: (await signUpMechanic(app)).mechanic.id })));
    for (const { count, id } of fresh) {
      for (const ticket of tickets.slice(0, count)) {
        await app.as(owner.token).assignments.create({ service_ticket_id: ticket.id, mechanic_id: id });
      }
    }
    const everyone = await app.services.db.mechanic.count();
    for (const limit of [1, 3, everyone]) {
      expect((await app.as().mechanics.top({ limit })).items).toEqual(await topByCounting(limit));
    }
  });
});
