import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTicket, signUpCustomer, signUpMechanic } from '../testing/fixtures.ts';
import { createTestApp, reasonOf, type TestApp } from '../testing/index.ts';

let app: TestApp;
let grace: Awaited<ReturnType<typeof signUpMechanic>>;
let linus: Awaited<ReturnType<typeof signUpMechanic>>;
let ada: Awaited<ReturnType<typeof signUpCustomer>>;
beforeAll(async () => {
  app = await createTestApp();
  grace = await signUpMechanic(app, { name: 'Grace Hopper' });
  linus = await signUpMechanic(app, { name: 'Linus Torvalds' });
  ada = await signUpCustomer(app);
});
afterAll(() => app.close());

describe('assignments', () => {
  it('assign a mechanic once: 409 for the same pair again, 404 for unknown ids', async () => {
    const ticket = await app.as(ada.token).serviceTickets.open(newTicket());
    const created = await app.as(grace.token).assignments.create({ service_ticket_id: ticket.id, mechanic_id: linus.mechanic.id });
    expect(created).toEqual({ service_ticket_id: ticket.id, mechanic_id: linus.mechanic.id, assigned_at: expect.any(String) });
    expect(await reasonOf(app.as(grace.token).assignments.create({ service_ticket_id: ticket.id, mechanic_id: linus.mechanic.id }))).toBe(
      'assignment_exists',
    );
    expect(await reasonOf(app.as(grace.token).assignments.create({ service_ticket_id: 999_999, mechanic_id: linus.mechanic.id }))).toBe(
      'not_found',
    );
    expect(await reasonOf(app.as(grace.token).assignments.create({ service_ticket_id: ticket.id, mechanic_id: 999_999 }))).toBe(
      'not_found',
    );
  });

  it('list by ticket or by mechanic, and delete a pair (404 when absent)', async () => {
    const ticket = await app.as(ada.token).serviceTickets.open(newTicket());
    await app.as(grace.token).assignments.create({ service_ticket_id: ticket.id, mechanic_id: grace.mechanic.id });
    await app.as(grace.token).assignments.create({ service_ticket_id: ticket.id, mechanic_id: linus.mechanic.id });
    const byTicket = await app.as(grace.token).assignments.list({ service_ticket_id: ticket.id });
    expect(byTicket.items.map((assignment) => assignment.mechanic_id).sort()).toEqual([grace.mechanic.id, linus.mechanic.id].sort());
    const byMechanic = await app.as(grace.token).assignments.list({ mechanic_id: linus.mechanic.id, per_page: 100 });
    expect(byMechanic.items.every((assignment) => assignment.mechanic_id === linus.mechanic.id)).toBe(true);
    await app.as(grace.token).assignments.delete({ service_ticket_id: ticket.id, mechanic_id: linus.mechanic.id });
    expect((await app.as(grace.token).assignments.list({ service_ticket_id: ticket.id })).total).toBe(1);
    expect(await reasonOf(app.as(grace.token).assignments.delete({ service_ticket_id: ticket.id, mechanic_id: linus.mechanic.id }))).toBe(
      'not_found',
    );
  });
});

describe('mechanics.top', () => {
  it('orders mechanics by tickets worked on, ties by id, up to the limit', async () => {
    const fresh = await createTestApp();
    try {
      const a = await signUpMechanic(fresh, { name: 'A' });
      const b = await signUpMechanic(fresh, { name: 'B' });
      const c = await signUpMechanic(fresh, { name: 'C' });
      const customer = await signUpCustomer(fresh);
      const tickets = await Promise.all([1, 2, 3].map(() => fresh.as(customer.token).serviceTickets.open(newTicket())));
      for (const ticket of tickets)
        await fresh.as(a.token).assignments.create({ service_ticket_id: ticket.id, mechanic_id: c.mechanic.id });
      await fresh.as(a.token).assignments.create({ service_ticket_id: tickets[0]!.id, mechanic_id: b.mechanic.id });
      const top = await fresh.as().mechanics.top({});
      expect(top.items).toEqual([
        { id: c.mechanic.id, name: 'C', ticket_count: 3 },
        { id: b.mechanic.id, name: 'B', ticket_count: 1 },
        { id: a.mechanic.id, name: 'A', ticket_count: 0 },
      ]);
      expect((await fresh.as().mechanics.top({ limit: 1 })).items).toHaveLength(1);
      expect(await reasonOf(fresh.as().mechanics.top({ limit: 0 }))).toBe('validation_failed');
    } finally {
      await fresh.close();
    }
  });
});

describe('assignments by staff role', () => {
  it('owners and service writers assign and unassign; technicians only list', async () => {
    const writer = await signUpMechanic(app, { role: 'service_writer' });
    const technician = await signUpMechanic(app, { role: 'technician' });
    const ticket = await app.as(ada.token).serviceTickets.open(newTicket());
    const key = { service_ticket_id: ticket.id, mechanic_id: technician.mechanic.id };
    expect(await reasonOf(app.as(technician.token).assignments.create(key))).toBe('forbidden');
    await app.as(writer.token).assignments.create(key);
    expect((await app.as(technician.token).assignments.list({ service_ticket_id: ticket.id })).items).toEqual([
      expect.objectContaining(key),
    ]);
    expect(await reasonOf(app.as(technician.token).assignments.delete(key))).toBe('forbidden');
    await app.as(writer.token).assignments.delete(key);
  });
});
