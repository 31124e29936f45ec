import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newMechanic, PASSWORD, signUpCustomer, signUpMechanic } from '../testing/fixtures.ts';
import { createTestApp, reasonOf, type TestApp } from '../testing/index.ts';
import type { AppError } from '../errors.ts';
import { NewMechanic } from './mechanic.schemas.ts';
import { openShop } from './mechanic.service.ts';

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

  it('log in with the mechanic role only: a wrong password, or the customer login, is refused', async () => {
    expect(await reasonOf(app.as().mechanics.logIn({ email: owner.mechanic.email!, password: 'not it' }))).toBe('invalid_credentials');
    expect(await reasonOf(app.as().customers.logIn({ email: owner.mechanic.email!, password: PASSWORD }))).toBe('invalid_credentials');
  });

  it("show contact details to mechanics only, and a salary to the mechanic's own account only", async () => {
    const { token: customerToken } = await signUpCustomer(app);
    const colleague = await signUpMechanic(app, { salary: '61234.56' });
    const { salary: ownSalary, ...ownContact } = owner.mechanic;
    const { salary: _colleagueSalary, ...colleagueContact } = colleague.mechanic;
    expect(await app.as(owner.token).mechanics.byId({ id: owner.mechanic.id })).toEqual(owner.mechanic);
    expect(await app.as(owner.token).mechanics.byId({ id: colleague.mechanic.id })).toEqual(colleagueContact);
    expect(await app.as(colleague.token).mechanics.byId({ id: owner.mechanic.id })).toEqual(ownContact);
    expect(ownSalary).toBe('58000.00');
    for (const caller of [app.as(), app.as(customerToken), app.as('garbage')]) {
      expect(await caller.mechanics.byId({ id: owner.mechanic.id })).toEqual({ id: owner.mechanic.id, name: owner.mechanic.name });
      const page = await caller.mechanics.list({ per_page: 100 });
      expect(page.items.every((item) => Object.keys(item).sort().join() === 'id,name')).toBe(true);
    }
    // The same list, asked by two mechanics in turn: the second must not get the first's cached answer.
    for (const { token, mechanic } of [owner, colleague, owner]) {
      const staffPage = await app.as(token).mechanics.list({ per_page: 100 });
      expect(staffPage.items.find((item) => item.id === mechanic.id)).toEqual(mechanic);
      expect(staffPage.items.filter((item) => item.salary !== undefined)).toEqual([mechanic]);
      expect(staffPage.items.every((item) => item.email !== undefined)).toBe(true);
    }
  });

  it('a mechanic changes and deletes their own account, whose token then stops working', async () => {
    const other = await signUpMechanic(app);
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

describe('the last mechanic rule under concurrency', () => {
  it('of mechanics all deleting themselves at the same moment, exactly one is refused', async () => {
    const app = await createTestApp();
    try {
      let staff = [await signUpMechanic(app)];
      for (let round = 0; round < 5; round++) {
        while (staff.length < 4) {
          const input = newMechanic();
          const mechanic = await app.as(staff[0]!.token).mechanics.register(input);
          const { token } = await app.as().mechanics.logIn({ email: input.email, password: input.password });
          staff.push({ mechanic, token });
        }
        const attempts = await Promise.allSettled(staff.map(({ mechanic, token }) => app.as(token).mechanics.delete({ id: mechanic.id })));
        const refused = attempts.flatMap((attempt, index) => (attempt.status === 'rejected' ? [{ ...staff[index]!, attempt }] : []));
        expect(refused.map(({ attempt }) => (attempt.reason as AppError).problem)).toEqual(['last_mechanic']);
        expect(await app.services.db.mechanic.findMany({ select: { id: true } })).toEqual([{ id: refused[0]!.mechanic.id }]);
        staff = refused.map(({ mechanic, token }) => ({ mechanic, token }));
      }
    } finally {
      await app.close();
    }
  });
});

describe('a shop left without mechanics', () => {
  it("stays closed to anonymous registration, and opens again on the operator's authority (openShop)", async () => {
    const app = await createTestApp();
    try {
      await signUpMechanic(app);
      // As a shop that lost its staff to the race above before the fix: no mechanic, the shop marked as opened.
      await app.services.db.mechanic.deleteMany();
      expect(await reasonOf(app.as().mechanics.register(newMechanic()))).toBe('unauthenticated');

      const input = newMechanic({ salary: '1.00' });
      const opened = await openShop(app.services, NewMechanic.parse(input));
      expect(opened).toMatchObject({ email: input.email, salary: '1.00' });
      const { token } = await app.as().mechanics.logIn({ email: input.email, password: input.password });
      expect(await app.as(token).customers.list({})).toMatchObject({ total: 0 });

      // Once the shop has a mechanic, it does nothing.
      expect(await openShop(app.services, NewMechanic.parse(newMechanic()))).toBeNull();
      expect(await app.services.db.mechanic.count()).toBe(1);
    } finally {
      await app.close();
    }
  });

  it('is opened by exactly one of many concurrent openShop calls', async () => {
    const app = await createTestApp();
    try {
      const results = await Promise.all(Array.from({ length: 6 }, () => openShop(app.services, NewMechanic.parse(newMechanic()))));
      expect(results.filter((result) => result !== null)).toHaveLength(1);
      expect(await app.services.db.mechanic.count()).toBe(1);
      expect(await reasonOf(app.as().mechanics.register(newMechanic()))).toBe('unauthenticated');
    } finally {
      await app.close();
    }
  });
});
