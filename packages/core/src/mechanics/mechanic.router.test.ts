import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newMechanic, PASSWORD, signUpCustomer, signUpMechanic } from '../testing/fixtures.ts';
import { createTestApp, rejectionOf, type TestApp } from '../testing/index.ts';

const reasonOf = async (call: Promise<unknown>) => (await rejectionOf(call)).reason;

describe('the first mechanic', () => {
  it('registers without a token while the shop has no mechanic, and only then', async () => {
    const app = await createTestApp();
    try {
      const first = await app.as().mechanics.register(newMechanic());
      expect(first).toMatchObject({ id: expect.any(Number), salary: '58000.00' });
      expect(await reasonOf(app.as().mechanics.register(newMechanic()))).toBe('unauthenticated');
      const { token: customerToken } = await signUpCustomer(app);
      expect(await reasonOf(app.as(customerToken).mechanics.register(newMechanic()))).toBe('forbidden');
    } finally {
      await app.close();
    }
  });

  it('is created by exactly one of many concurrent first registrations', async () => {
    const app = await createTestApp();
    try {
      const attempts = await Promise.allSettled(Array.from({ length: 8 }, () => app.as().mechanics.register(newMechanic())));
      expect(attempts.filter((attempt) => attempt.status === 'fulfilled')).toHaveLength(1);
      expect(await app.services.db.mechanic.count()).toBe(1);
    } finally {
      await app.close();
    }
  });
});

describe('mechanics', () => {
  let app: TestApp;
  let owner: Awaited<ReturnType<typeof signUpMechanic>>;
  beforeAll(async () => {
    app = await createTestApp();
    owner = await signUpMechanic(app);
  });
  afterAll(() => app.close());

  it('a mechanic registers more mechanics; duplicate emails are a 409', async () => {
    const input = newMechanic({ salary: 41999.5 });
    const created = await app.as(owner.token).mechanics.register(input);
    expect(created.salary).toBe('41999.50');
    expect(await reasonOf(app.as(owner.token).mechanics.register({ ...input, email: input.email.toUpperCase() }))).toBe('email_taken');
  });

  it('salaries are exact to the cent and refuse fractions of cents', async () => {
    expect((await app.as(owner.token).mechanics.register(newMechanic({ salary: 0.29 }))).salary).toBe('0.29');
    expect(await reasonOf(app.as(owner.token).mechanics.register(newMechanic({ salary: 1.005 })))).toBe('validation_failed');
    expect(await reasonOf(app.as(owner.token).mechanics.register(newMechanic({ salary: -1 })))).toBe('validation_failed');
  });

  it('log in with the mechanic role; a mechanic token does not pass customer routes and vice versa', async () => {
    const { customer, token: customerToken } = await signUpCustomer(app);
    expect(await reasonOf(app.as(owner.token).customers.update({ id: customer.id, name: 'x' }))).toBe('forbidden');
    expect(await reasonOf(app.as(customerToken).mechanics.update({ id: owner.mechanic.id, name: 'x' }))).toBe('forbidden');
    expect(await reasonOf(app.as().mechanics.logIn({ email: owner.mechanic.email!, password: 'not it' }))).toBe('invalid_credentials');
    expect(await reasonOf(app.as().customers.logIn({ email: owner.mechanic.email!, password: PASSWORD }))).toBe('invalid_credentials');
  });

  it('show contact details and salary to mechanics only', async () => {
    const { token: customerToken } = await signUpCustomer(app);
    const asStaff = await app.as(owner.token).mechanics.byId({ id: owner.mechanic.id });
    expect(asStaff).toEqual(owner.mechanic);
    for (const caller of [app.as(), app.as(customerToken), app.as('garbage')]) {
      expect(await caller.mechanics.byId({ id: owner.mechanic.id })).toEqual({ id: owner.mechanic.id, name: owner.mechanic.name });
      const page = await caller.mechanics.list({ per_page: 100 });
      expect(page.items.every((item) => Object.keys(item).sort().join() === 'id,name')).toBe(true);
    }
    const staffPage = await app.as(owner.token).mechanics.list({ per_page: 100 });
    expect(staffPage.items.find((item) => item.id === owner.mechanic.id)).toEqual(owner.mechanic);
  });

  it('a mechanic changes and deletes only their own account', async () => {
    const other = await signUpMechanic(app);
    expect(await reasonOf(app.as(owner.token).mechanics.update({ id: other.mechanic.id, salary: 1 }))).toBe('forbidden');
    expect(await reasonOf(app.as(owner.token).mechanics.delete({ id: other.mechanic.id }))).toBe('forbidden');
    expect(await app.as(other.token).mechanics.update({ id: other.mechanic.id, salary: '60000' })).toMatchObject({ salary: '60000.00' });
    await app.as(other.token).mechanics.delete({ id: other.mechanic.id });
    expect(await reasonOf(app.as(owner.token).mechanics.byId({ id: other.mechanic.id }))).toBe('not_found');
    expect(await reasonOf(app.as(other.token).customers.list({}))).toBe('unauthenticated');
  });

  it("the shop's last mechanic cannot delete their account (nobody could add mechanics again)", async () => {
    const solo = await createTestApp();
    try {
      const { mechanic, token } = await signUpMechanic(solo);
      expect(await reasonOf(solo.as(token).mechanics.delete({ id: mechanic.id }))).toBe('last_mechanic');
    } finally {
      await solo.close();
    }
  });
});
