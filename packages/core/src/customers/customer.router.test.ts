import type { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventsAbout } from '../testing/events.ts';
import { createTestApp, reasonOf, type TestApp } from '../testing/index.ts';
import {
  approveEveryJob,
  newCustomer,
  newInventoryItem,
  newTicket,
  PASSWORD,
  signUpCustomer,
  signUpMechanic,
} from '../testing/fixtures.ts';

let app: TestApp;
let mechanicToken: string;

beforeAll(async () => {
  app = await createTestApp();
  ({ token: mechanicToken } = await signUpMechanic(app));
});
afterAll(() => app.close());

describe('customers.register', () => {
  it('creates the customer and never returns the password or its hash', async () => {
    const input = newCustomer();
    const customer = await app.as().customers.register(input);
    expect(customer).toEqual({ id: expect.any(Number), name: input.name, email: input.email, phone: input.phone, address: input.address });
  });

  it('normalises the email so that case and spaces do not make a second account', async () => {
    const input = newCustomer({ email: '  Mixed.Case@Example.COM ' });
    const customer = await app.as().customers.register(input);
    expect(customer.email).toBe('mixed.case@example.com');
    expect(await reasonOf(app.as().customers.register({ ...input, email: 'mixed.case@example.com' }))).toBe('email_taken');
  });

  it('rejects unknown fields instead of dropping them (no mass assignment)', async () => {
    const input = { ...newCustomer(), id: 999, password_hash: 'x' } as ReturnType<typeof newCustomer>;
    expect(await reasonOf(app.as().customers.register(input))).toBe('validation_failed');
  });

  it('refuses passwords over 72 bytes rather than letting bcrypt cut them', async () => {
    expect(await reasonOf(app.as().customers.register(newCustomer({ password: 'é'.repeat(37) })))).toBe('validation_failed');
  });
});

describe('customers.logIn', () => {
  it('gives a bearer token that works on customer routes', async () => {
    const { customer, token } = await signUpCustomer(app);
    expect(await app.as(token).customers.byId({ id: customer.id })).toMatchObject({ id: customer.id });
  });

  it('answers a wrong password and an unknown email the same way', async () => {
    const input = newCustomer();
    await app.as().customers.register(input);
    const wrongPassword = app.as().customers.logIn({ email: input.email, password: 'wrong password' });
    const unknownEmail = app.as().customers.logIn({ email: 'nobody@example.com', password: PASSWORD });
    const [a, b] = await Promise.allSettled([wrongPassword, unknownEmail]);
    expect(a.status).toBe('rejected');
    expect(b.status).toBe('rejected');
    const [ea, eb] = [(a as PromiseRejectedResult).reason as TRPCError, (b as PromiseRejectedResult).reason as TRPCError];
    expect(ea.code).toBe('UNAUTHORIZED');
    expect(ea.message).toBe(eb.message);
  });
});

describe('customers.list', () => {
  it('pages through customers in id order with the totals', async () => {
    await Promise.all([1, 2, 3].map(() => signUpCustomer(app)));
    const first = await app.as(mechanicToken).customers.list({ page: 1, per_page: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.pages).toBe(Math.ceil(first.total / 2));
    const last = await app.as(mechanicToken).customers.list({ page: first.pages, per_page: 2 });
    expect(last.items.length).toBeGreaterThan(0);
    const past = await app.as(mechanicToken).customers.list({ page: first.pages + 1, per_page: 2 });
    expect(past).toMatchObject({ items: [], total: first.total, pages: first.pages });
    expect(first.items[0]!.id).toBeLessThan(first.items[1]!.id);
  });

  it('caps per_page at 100', async () => {
    expect(await reasonOf(app.as(mechanicToken).customers.list({ per_page: 101 }))).toBe('validation_failed');
  });
});

describe('customers.byId', () => {
  it('shows the customer as registered', async () => {
    const ada = await signUpCustomer(app);
    expect(await app.as(mechanicToken).customers.byId({ id: ada.customer.id })).toEqual(ada.customer);
  });

  it('is a 404 for an id nobody has', async () => {
    expect(await reasonOf(app.as(mechanicToken).customers.byId({ id: 999_999 }))).toBe('not_found');
  });
});

describe('customers.update and customers.delete', () => {
  it('change any subset of your own fields, and a new password replaces the old one', async () => {
    const { customer, token } = await signUpCustomer(app);
    const updated = await app.as(token).customers.update({ id: customer.id, phone: '+1 555 0199', password: 'a brand new password' });
    expect(updated).toEqual({ ...customer, phone: '+1 555 0199' });
    await expect(app.as().customers.logIn({ email: customer.email, password: PASSWORD })).rejects.toThrow();
    await expect(app.as().customers.logIn({ email: customer.email, password: 'a brand new password' })).resolves.toMatchObject({
      token_type: 'Bearer',
    });
  });

  it('an email already taken by someone else is a 409', async () => {
    const ada = await signUpCustomer(app);
    const bob = await signUpCustomer(app);
    expect(await reasonOf(app.as(bob.token).customers.update({ id: bob.customer.id, email: ada.customer.email }))).toBe('email_taken');
  });

  it('a new password or a new email revokes the tokens issued before; other changes and a same email keep them', async () => {
    const { customer, token } = await signUpCustomer(app);
    await app.as(token).customers.update({ id: customer.id, phone: '+1 555 0100', email: customer.email.toUpperCase() });
    expect(await app.as(token).customers.byId({ id: customer.id })).toMatchObject({ phone: '+1 555 0100' });

    await app.as(token).customers.update({ id: customer.id, password: 'a brand new password' });
    expect(await reasonOf(app.as(token).customers.byId({ id: customer.id }))).toBe('unauthenticated');
    const { token: second } = await app.as().customers.logIn({ email: customer.email, password: 'a brand new password' });
    expect(await app.as(second).customers.byId({ id: customer.id })).toMatchObject({ id: customer.id });

    const email = `renamed.${customer.email}`;
    await app.as(second).customers.update({ id: customer.id, email });
    expect(await reasonOf(app.as(second).customers.byId({ id: customer.id }))).toBe('unauthenticated');
    const { token: third } = await app.as().customers.logIn({ email, password: 'a brand new password' });
    expect(await app.as(third).customers.byId({ id: customer.id })).toMatchObject({ email });
  });

  it('deleting removes the account, and its token stops working', async () => {
    const { customer, token } = await signUpCustomer(app);
    await app.as(token).customers.delete({ id: customer.id });
    expect(await reasonOf(app.as(mechanicToken).customers.byId({ id: customer.id }))).toBe('not_found');
    expect(await reasonOf(app.as(token).customers.byId({ id: customer.id }))).toBe('unauthenticated');
  });
});

describe('customers.delete keeps the shop records of work done', () => {
  it('erases the person, keeps IN_PROGRESS and COMPLETED tickets intact, deletes PENDING and CANCELLED ones with parts back to stock', async () => {
    // An owner: the test adds staff.
    const { token: grace } = await signUpMechanic(app, { role: 'owner' });
    const mechanic = await app.as(grace).mechanics.register(newCustomerMechanic());
    const bystander = await app.as(grace).mechanics.register(newCustomerMechanic());
    const item = await app.as(grace).inventory.create(newInventoryItem({ quantity: 100 }));
    const profile = newCustomer({ name: `Erin ${Date.now()}`, phone: '+1 555 0142', address: '42 Erasure Lane' });
    await app.as().customers.register(profile);
    const { token } = await app.as().customers.logIn({ email: profile.email, password: profile.password });
    const { id } = await app
      .as(token)
      .customers.byId({ id: (await app.services.db.customer.findUniqueOrThrow({ where: { email: profile.email } })).id });

    const open = async (status: 'PENDING' | 'IN_PROGRESS' | 'COMPLETED' | 'CANCELLED', quantity: number, mechanicId: number) => {
      const ticket = await app.as(token).serviceTickets.open(newTicket());
      await app.as(grace).serviceTickets.addPart({ id: ticket.id, inventory_id: item.id, quantity });
      await app.as(grace).serviceTickets.edit({ id: ticket.id, add_ids: [mechanicId], cost: '120.00' });
      if (status === 'IN_PROGRESS' || status === 'COMPLETED') await approveEveryJob(app, grace, ticket.id);
      const path = {
        PENDING: [],
        CANCELLED: ['CANCELLED'],
        IN_PROGRESS: ['IN_PROGRESS'],
        COMPLETED: ['IN_PROGRESS', 'COMPLETED'],
      } as const;
      for (const next of path[status]) await app.as(grace).serviceTickets.edit({ id: ticket.id, status: next });
      return app.as(grace).serviceTickets.byId({ id: ticket.id });
    };
    const pending = await open('PENDING', 2, bystander.id);
    const cancelled = await open('CANCELLED', 1, bystander.id);
    const inProgress = await open('IN_PROGRESS', 3, mechanic.id);
    const completed = await open('COMPLETED', 4, mechanic.id);
    const countOf = async (mechanicId: number) =>
      (await app.as().mechanics.top({ limit: 100 })).items.find((entry) => entry.id === mechanicId)?.ticket_count;
    expect(await countOf(mechanic.id)).toBe(2);
    const stockBefore = (await app.as(grace).inventory.byId({ id: item.id })).quantity;

    await app.as(token).customers.delete({ id });

    // The shop's records: the tickets worked on, unchanged, with their lines, assignments and totals.
    expect(await app.as(grace).serviceTickets.byId({ id: inProgress.id })).toEqual(inProgress);
    expect(await app.as(grace).serviceTickets.byId({ id: completed.id })).toEqual(completed);
    expect((await app.as(grace).serviceTickets.list({ customer_id: id })).items.map((ticket) => ticket.id)).toEqual([
      inProgress.id,
      completed.id,
    ]);
    expect(await countOf(mechanic.id)).toBe(2);
    // The tickets without work done went, and their parts back to stock.
    for (const gone of [pending, cancelled]) expect(await reasonOf(app.as(grace).serviceTickets.byId({ id: gone.id }))).toBe('not_found');
    expect((await app.as(grace).inventory.byId({ id: item.id })).quantity).toBe(stockBefore + 3);

    // No trace of the person: not in the row, not listed, not readable, cannot log in, the token is dead.
    const row = await app.services.db.customer.findUniqueOrThrow({ where: { id } });
    for (const value of [profile.name, profile.email, profile.phone, profile.address]) expect(JSON.stringify(row)).not.toContain(value);
    expect(row).toMatchObject({ name: '', phone: '', address: '', passwordHash: '', erasedAt: expect.any(Date) });
    expect(await reasonOf(app.as(grace).customers.byId({ id }))).toBe('not_found');
    const everyone = await app.as(grace).customers.list({ per_page: 100 });
    expect(everyone.items.map((customer) => customer.id)).not.toContain(id);
    expect(everyone.total).toBe(await app.services.db.customer.count({ where: { erasedAt: null } }));
    expect(await reasonOf(app.as().customers.logIn({ email: profile.email, password: profile.password }))).toBe('invalid_credentials');
    expect(await reasonOf(app.as(token).customers.byId({ id }))).toBe('unauthenticated');
    // The email is free again: the person may come back as a new customer.
    expect(await app.as().customers.register(profile)).toMatchObject({ email: profile.email });
  });

  it('deletes the row itself when no ticket was worked on', async () => {
    const { customer, token } = await signUpCustomer(app);
    await app.as(token).serviceTickets.open(newTicket());
    await app.as(token).customers.delete({ id: customer.id });
    expect(await app.services.db.customer.findUnique({ where: { id: customer.id } })).toBeNull();
    expect(await app.services.db.serviceTicket.count({ where: { customerId: customer.id } })).toBe(0);
  });
});

function newCustomerMechanic() {
  return { ...newCustomer(), salary: '1.00' };
}

describe('customers by staff role', () => {
  it('every staff role lists and reads customers', async () => {
    const { customer } = await signUpCustomer(app);
    for (const role of ['service_writer', 'technician'] as const) {
      const { token } = await signUpMechanic(app, { role });
      expect(await app.as(token).customers.byId({ id: customer.id })).toEqual(customer);
      expect((await app.as(token).customers.list({ per_page: 100 })).total).toBeGreaterThan(0);
    }
  });
});

describe('customer events and audit', () => {
  it('emits customer.created with the public profile, the new customer as the actor', async () => {
    const { customer } = await signUpCustomer(app);
    const events = await eventsAbout(app, { type: 'customer', id: customer.id });
    expect(events).toEqual([
      expect.objectContaining({
        type: 'customer.created',
        actor: { kind: 'customer', id: customer.id },
        subject: { type: 'customer', id: String(customer.id) },
        data: customer,
      }),
    ]);
  });

  it('audits profile changes with the fields before and after, a password change only noted', async () => {
    const { customer, token } = await signUpCustomer(app);
    await app.as(token).customers.update({ id: customer.id, phone: '+1 555 0199', password: 'another long secret' });
    const trail = await app.as(mechanicToken).audit.list({ subject_type: 'customer', subject_id: String(customer.id) });
    expect(trail.items.map((entry) => entry.action)).toEqual(['customer.updated', 'customer.created']);
    expect(trail.items[0]).toMatchObject({
      actor: { kind: 'customer', id: customer.id },
      changes: { phone: { before: customer.phone, after: '+1 555 0199' }, password: { before: '[redacted]', after: '[redacted]' } },
    });
    expect(JSON.stringify(trail.items)).not.toContain('another long secret');
  });

  it('writes nothing for a registration that fails', async () => {
    const input = newCustomer();
    await app.as().customers.register(input);
    const before = await app.services.db.event.count({ where: { type: 'customer.created' } });
    expect(await reasonOf(app.as().customers.register(input))).toBe('email_taken');
    expect(await app.services.db.event.count({ where: { type: 'customer.created' } })).toBe(before);
  });
});
