import type { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, rejectionOf, type TestApp } from '../testing/index.ts';
import { newCustomer, PASSWORD, signUpCustomer, signUpMechanic } from '../testing/fixtures.ts';

let app: TestApp;
let mechanicToken: string;

beforeAll(async () => {
  app = await createTestApp();
  ({ token: mechanicToken } = await signUpMechanic(app));
});
afterAll(() => app.close());

const reasonOf = async (call: Promise<unknown>) => (await rejectionOf(call)).reason;

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
  it('is for mechanics: none → 401, customer → 403', async () => {
    const { token } = await signUpCustomer(app);
    expect(await reasonOf(app.as().customers.list({}))).toBe('unauthenticated');
    expect(await reasonOf(app.as(token).customers.list({}))).toBe('forbidden');
  });

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
  it('shows a customer to a mechanic and to that customer, not to another customer', async () => {
    const ada = await signUpCustomer(app);
    const bob = await signUpCustomer(app);
    expect(await app.as(mechanicToken).customers.byId({ id: ada.customer.id })).toEqual(ada.customer);
    expect(await reasonOf(app.as(bob.token).customers.byId({ id: ada.customer.id }))).toBe('forbidden');
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

  it("refuse another customer's account (403) and mechanic tokens (403)", async () => {
    const ada = await signUpCustomer(app);
    const bob = await signUpCustomer(app);
    expect(await reasonOf(app.as(bob.token).customers.update({ id: ada.customer.id, name: 'Hacked' }))).toBe('forbidden');
    expect(await reasonOf(app.as(bob.token).customers.delete({ id: ada.customer.id }))).toBe('forbidden');
    expect(await reasonOf(app.as(mechanicToken).customers.update({ id: ada.customer.id, name: 'Hacked' }))).toBe('forbidden');
    expect(await reasonOf(app.as().customers.delete({ id: ada.customer.id }))).toBe('unauthenticated');
  });

  it('an email already taken by someone else is a 409', async () => {
    const ada = await signUpCustomer(app);
    const bob = await signUpCustomer(app);
    expect(await reasonOf(app.as(bob.token).customers.update({ id: bob.customer.id, email: ada.customer.email }))).toBe('email_taken');
  });

  it('deleting removes the account, and its token stops working', async () => {
    const { customer, token } = await signUpCustomer(app);
    await app.as(token).customers.delete({ id: customer.id });
    expect(await reasonOf(app.as(mechanicToken).customers.byId({ id: customer.id }))).toBe('not_found');
    expect(await reasonOf(app.as(token).customers.byId({ id: customer.id }))).toBe('unauthenticated');
  });
});
