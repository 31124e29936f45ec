import type { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newCustomer, newInventoryItem, newMechanic, newTicket, signUpCustomer, signUpMechanic } from './testing/fixtures.ts';
import { createTestApp, rejectionOf, type TestApp } from './testing/index.ts';

/**
 * Writes that read before they write, fired many at a time: the final state
 * must be what some order of the successful calls would give, with no duplicate,
 * no lost update and no oversold stock.
 */
const PARALLEL = 12;

let app: TestApp;
let mechanic: Awaited<ReturnType<typeof signUpMechanic>>;
let customer: Awaited<ReturnType<typeof signUpCustomer>>;

beforeAll(async () => {
  app = await createTestApp();
  mechanic = await signUpMechanic(app);
  customer = await signUpCustomer(app);
});
afterAll(() => app.close());

const times = <T>(count: number, make: (index: number) => Promise<T>) =>
  Promise.allSettled(Array.from({ length: count }, (_, index) => make(index)));
const fulfilled = <T>(results: PromiseSettledResult<T>[]) =>
  results.filter((result): result is PromiseFulfilledResult<T> => result.status === 'fulfilled');
async function reasonsOf(results: PromiseSettledResult<unknown>[]): Promise<string[]> {
  return Promise.all(
    results
      .filter((result): result is PromiseRejectedResult => result.status === 'rejected')
      .map(async (result) => (await rejectionOf(Promise.reject(result.reason as Error))).reason),
  );
}

describe('under concurrent requests', () => {
  it('one email makes one account, however many register it at once', async () => {
    const input = newCustomer();
    const results = await times(PARALLEL, (index) =>
      app.as().customers.register({ ...input, email: index % 2 ? input.email.toUpperCase() : input.email }),
    );
    expect(fulfilled(results)).toHaveLength(1);
    expect(new Set(await reasonsOf(results))).toEqual(new Set(['email_taken']));
    expect(await app.services.db.customer.count({ where: { email: input.email } })).toBe(1);
  });

  it('two accounts racing to take one email: one wins', async () => {
    const [a, b] = await Promise.all([signUpCustomer(app), signUpCustomer(app)]);
    const target = newCustomer().email;
    const results = await Promise.allSettled([
      app.as(a.token).customers.update({ id: a.customer.id, email: target }),
      app.as(b.token).customers.update({ id: b.customer.id, email: target }),
    ]);
    expect(fulfilled(results)).toHaveLength(1);
    expect(await app.services.db.customer.count({ where: { email: target } })).toBe(1);
  });

  it('one mechanic is assigned to one ticket once', async () => {
    const ticket = await app.as(customer.token).serviceTickets.open(newTicket());
    const results = await times(PARALLEL, () =>
      app.as(mechanic.token).assignments.create({ service_ticket_id: ticket.id, mechanic_id: mechanic.mechanic.id }),
    );
    expect(fulfilled(results)).toHaveLength(1);
    expect(new Set(await reasonsOf(results))).toEqual(new Set(['assignment_exists']));
    expect(await app.services.db.serviceAssignment.count({ where: { serviceTicketId: ticket.id } })).toBe(1);
  });

  it('concurrent edits of one ticket each keep their mechanics (no lost update)', async () => {
    const team = await Promise.all(Array.from({ length: PARALLEL }, () => app.as(mechanic.token).mechanics.register(newMechanic())));
    const ticket = await app.as(customer.token).serviceTickets.open(newTicket());
    const results = await times(PARALLEL, (index) =>
      app.as(mechanic.token).serviceTickets.edit({ id: ticket.id, add_ids: [team[index]!.id] }),
    );
    expect(fulfilled(results)).toHaveLength(PARALLEL);
    const final = await app.as(mechanic.token).serviceTickets.byId({ id: ticket.id });
    expect(final.mechanics.map((row) => row.id).sort((x, y) => x - y)).toEqual(team.map((row) => row.id).sort((x, y) => x - y));
  });

  it('adding the same part from many requests adds up every quantity', async () => {
    const item = await app.as(mechanic.token).inventory.create(newInventoryItem({ quantity: 1_000 }));
    const ticket = await app.as(customer.token).serviceTickets.open(newTicket());
    const results = await times(PARALLEL, () =>
      app.as(mechanic.token).serviceTickets.addPart({ id: ticket.id, inventory_id: item.id, quantity: 3 }),
    );
    expect(fulfilled(results)).toHaveLength(PARALLEL);
    const final = await app.as(mechanic.token).serviceTickets.byId({ id: ticket.id });
    expect(final.parts).toEqual([expect.objectContaining({ inventory_id: item.id, quantity: 3 * PARALLEL })]);
    expect((await app.as(mechanic.token).inventory.byId({ id: item.id })).quantity).toBe(1_000 - 3 * PARALLEL);
  });

  it('stock is never oversold: what succeeds is exactly what left the shelf', async () => {
    const item = await app.as(mechanic.token).inventory.create(newInventoryItem({ quantity: 10 }));
    const tickets = await Promise.all(Array.from({ length: PARALLEL }, () => app.as(customer.token).serviceTickets.open(newTicket())));
    const results = await times(PARALLEL, (index) =>
      app.as(mechanic.token).serviceTickets.addPart({ id: tickets[index]!.id, inventory_id: item.id, quantity: 2 }),
    );
    const sold = fulfilled(results).length * 2;
    expect(sold).toBe(10);
    expect(new Set(await reasonsOf(results))).toEqual(new Set(['insufficient_stock']));
    expect((await app.as(mechanic.token).inventory.byId({ id: item.id })).quantity).toBe(0);
    expect((await app.services.db.line.aggregate({ where: { inventoryId: item.id }, _sum: { quantity: true } }))._sum.quantity).toBe(10);
  });

  it('racing status changes follow the transition rules: nothing reaches a state it could not', async () => {
    const ticket = await app.as(customer.token).serviceTickets.open(newTicket());
    const moves = ['IN_PROGRESS', 'CANCELLED', 'COMPLETED'] as const;
    const results = await times(PARALLEL, (index) =>
      app.as(mechanic.token).serviceTickets.edit({ id: ticket.id, status: moves[index % moves.length] }),
    );
    for (const reason of await reasonsOf(results)) expect(reason).toBe('invalid_status_transition');
    // Replaying the successful moves in some order from PENDING must be possible; the last one is the final state.
    const final = (await app.as(mechanic.token).serviceTickets.byId({ id: ticket.id })).status;
    expect(fulfilled(results).map((result) => result.value.status)).toContain(final);
  });
});

describe('after losing a race', () => {
  it('a ticket deleted mid-way leaves no orphan lines', async () => {
    const item = await app.as(mechanic.token).inventory.create(newInventoryItem({ quantity: 100 }));
    const ticket = await app.as(customer.token).serviceTickets.open(newTicket());
    await Promise.allSettled([
      ...Array.from({ length: 6 }, () =>
        app.as(mechanic.token).serviceTickets.addPart({ id: ticket.id, inventory_id: item.id, quantity: 1 }),
      ),
      app.as(mechanic.token).serviceTickets.delete({ id: ticket.id }),
    ]);
    expect(await app.services.db.line.count({ where: { job: { serviceTicketId: ticket.id } } })).toBe(0);
    expect(await app.services.db.line.count({ where: { inventoryId: item.id } })).toBe(0);
    expect((await rejectionOf(app.as(mechanic.token).serviceTickets.byId({ id: ticket.id }))).reason).toBe('not_found');
  });
});

describe('writes racing deletes', () => {
  // MariaDB answered 500 on deadlocks between a part line being added and the
  // ticket (or its customer, cascading to it) being deleted.
  it('adding parts while the ticket and its customer are deleted: every answer is a success or a 4xx', async () => {
    const statuses: number[] = [];
    for (let round = 0; round < 5; round++) {
      const owner = await signUpCustomer(app);
      const item = await app.as(mechanic.token).inventory.create(newInventoryItem({ quantity: 1_000 }));
      const ticket = await app.as(owner.token).serviceTickets.open(newTicket());
      const results = await Promise.allSettled([
        ...Array.from({ length: PARALLEL }, () =>
          app.as(mechanic.token).serviceTickets.addPart({ id: ticket.id, inventory_id: item.id, quantity: 1 }),
        ),
        app.as(mechanic.token).serviceTickets.delete({ id: ticket.id }),
        app.as(owner.token).customers.delete({ id: owner.customer.id }),
      ]);
      for (const result of results) {
        if (result.status === 'rejected') statuses.push(getHTTPStatusCodeFromError(result.reason as TRPCError));
      }
    }
    expect(statuses.filter((status) => status >= 500)).toEqual([]);
  });
});

describe('reads racing deletes', () => {
  // PostgreSQL and MariaDB answered 500: Prisma reads a ticket's assignments and
  // their mechanics in separate statements, and a mechanic deleted in between
  // left an assignment pointing at nobody.
  it('ticket reads, and writes that answer with the ticket, never fail while assigned mechanics are deleted', async () => {
    // A second instance on the same database without a cache: every read goes to the database.
    const reader = await createTestApp({ cache: 'off', database: { url: app.databaseUrl } });
    try {
      const { db } = app.services;
      for (let round = 0; round < 5; round++) {
        const ticket = await app.as(customer.token).serviceTickets.open(newTicket());
        const team = await Promise.all(Array.from({ length: PARALLEL }, () => app.as(mechanic.token).mechanics.register(newMechanic())));
        await app.as(mechanic.token).serviceTickets.edit({ id: ticket.id, add_ids: team.map((member) => member.id) });
        const reads = Array.from({ length: PARALLEL }, (_, index) => {
          const read = [
            () => reader.as(mechanic.token).serviceTickets.byId({ id: ticket.id }),
            () => reader.as(mechanic.token).serviceTickets.list({ customer_id: customer.customer.id, per_page: 100 }),
            () => reader.as(customer.token).customers.myTickets({ per_page: 100 }),
            () => reader.as(mechanic.token).serviceTickets.edit({ id: ticket.id, cost: index }),
          ][index % 4]!;
          return read();
        });
        const deletes = team.map((member) => db.mechanic.delete({ where: { id: member.id } }));
        const results = await Promise.allSettled([...reads, ...deletes]);
        expect(results.filter((result) => result.status === 'rejected').map((result) => String(result.reason))).toEqual([]);
      }
    } finally {
      await reader.close();
    }
  });
});
