import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newInventoryItem, newMechanic, PASSWORD, signUpCustomer, signUpMechanic } from '../testing/fixtures.ts';
import { eventsAbout } from '../testing/events.ts';
import { createTestApp, reasonOf, type TestApp } from '../testing/index.ts';
import type { AppError } from '../errors.ts';
import { NewMechanic } from './mechanic.schemas.ts';
import { changeMechanicRole, deleteMechanic, openShop } from './mechanic.service.ts';

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

  it("show contact details to staff, salaries to the shop's owners and to each account itself, the role to everyone", async () => {
    const { token: customerToken } = await signUpCustomer(app);
    const colleague = await signUpMechanic(app, { salary: '61234.56', role: 'service_writer' });
    const technician = await signUpMechanic(app, { role: 'technician' });
    const { salary: ownerSalary, ...ownerContact } = owner.mechanic;
    const { salary: _colleagueSalary, ...colleagueContact } = colleague.mechanic;
    expect(owner.mechanic.role).toBe('owner');
    expect(colleague.mechanic).toMatchObject({ role: 'service_writer', salary: '61234.56' });
    expect(await app.as(owner.token).mechanics.byId({ id: owner.mechanic.id })).toEqual(owner.mechanic);
    expect(await app.as(owner.token).mechanics.byId({ id: colleague.mechanic.id })).toEqual(colleague.mechanic);
    expect(await app.as(colleague.token).mechanics.byId({ id: colleague.mechanic.id })).toEqual(colleague.mechanic);
    expect(await app.as(colleague.token).mechanics.byId({ id: owner.mechanic.id })).toEqual(ownerContact);
    expect(await app.as(technician.token).mechanics.byId({ id: colleague.mechanic.id })).toEqual(colleagueContact);
    expect(ownerSalary).toBe('58000.00');
    for (const caller of [app.as(), app.as(customerToken), app.as('garbage')]) {
      expect(await caller.mechanics.byId({ id: owner.mechanic.id })).toEqual({
        id: owner.mechanic.id,
        name: owner.mechanic.name,
        role: 'owner',
      });
      const page = await caller.mechanics.list({ per_page: 100 });
      expect(page.items.every((item) => Object.keys(item).sort().join() === 'id,name,role')).toBe(true);
    }
    // The same list, asked by staff in turn: none may get another's cached answer.
    for (const { token, mechanic } of [colleague, technician, colleague]) {
      const staffPage = await app.as(token).mechanics.list({ per_page: 100 });
      expect(staffPage.items.find((item) => item.id === mechanic.id)).toEqual(mechanic);
      expect(staffPage.items.filter((item) => item.salary !== undefined)).toEqual([mechanic]);
      expect(staffPage.items.every((item) => item.email !== undefined && item.role !== undefined)).toBe(true);
    }
    const ownersPage = await app.as(owner.token).mechanics.list({ per_page: 100 });
    expect(ownersPage.items.every((item) => item.salary !== undefined)).toBe(true);
  });

  it('a mechanic changes their own contact details and password and deletes their account, whose token then stops working', async () => {
    const other = await signUpMechanic(app);
    expect(await app.as(other.token).mechanics.update({ id: other.mechanic.id, phone: '+1 555 0111' })).toMatchObject({
      phone: '+1 555 0111',
    });
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
          // Owners all: the last one standing is refused as the last mechanic, not as the last owner.
          const mechanic = await app.as(staff[0]!.token).mechanics.register({ ...input, role: 'owner' });
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

      const input = newMechanic({ salary: '1.00', role: 'technician' });
      const opened = await openShop(app.services, NewMechanic.parse(input));
      // The operator's account runs the shop: its owner, whatever role the input says.
      expect(opened).toMatchObject({ email: input.email, salary: '1.00', role: 'owner' });
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

describe('staff roles', () => {
  let app: TestApp;
  let owner: Awaited<ReturnType<typeof signUpMechanic>>;
  let writer: Awaited<ReturnType<typeof signUpMechanic>>;
  let technician: Awaited<ReturnType<typeof signUpMechanic>>;
  beforeAll(async () => {
    app = await createTestApp();
    // Asking for another role does not matter: the account that opens the shop is its owner.
    owner = await signUpMechanic(app, { role: 'technician' });
    writer = await signUpMechanic(app, { role: 'service_writer' });
    technician = await signUpMechanic(app);
  });
  afterAll(() => app.close());

  it("the shop's first account is its owner, and a new account is a technician unless its owner says otherwise", () => {
    expect([owner.mechanic.role, writer.mechanic.role, technician.mechanic.role]).toEqual(['owner', 'service_writer', 'technician']);
  });

  it('only owners add staff, with any role', async () => {
    expect(await app.as(owner.token).mechanics.register(newMechanic({ role: 'owner' }))).toMatchObject({ role: 'owner' });
    for (const { token } of [writer, technician]) {
      expect(await reasonOf(app.as(token).mechanics.register(newMechanic()))).toBe('forbidden');
    }
  });

  it('staff change their own contact details and password, not their salary; owners change any account and salary', async () => {
    for (const { token, mechanic } of [writer, technician]) {
      expect(await app.as(token).mechanics.update({ id: mechanic.id, address: '2 Own Street' })).toMatchObject({ address: '2 Own Street' });
      expect(await reasonOf(app.as(token).mechanics.update({ id: mechanic.id, salary: '99999.00' }))).toBe('forbidden');
      expect(await reasonOf(app.as(token).mechanics.update({ id: owner.mechanic.id, phone: '+1 555 0000' }))).toBe('forbidden');
    }
    expect(
      await app.as(owner.token).mechanics.update({ id: technician.mechanic.id, salary: '50000.00', phone: '+1 555 0177' }),
    ).toMatchObject({
      salary: '50000.00',
      phone: '+1 555 0177',
    });
    expect(await app.as(owner.token).mechanics.update({ id: owner.mechanic.id, salary: '70000.00' })).toMatchObject({ salary: '70000.00' });
    expect(await reasonOf(app.as(owner.token).mechanics.update({ id: 999_999, phone: '+1 555 0000' }))).toBe('not_found');
  });

  it('only owners change roles; the change applies to the next request of the account, with the token it holds', async () => {
    const promoted = await signUpMechanic(app);
    expect(await reasonOf(app.as(promoted.token).inventory.create(newInventoryItem()))).toBe('forbidden');
    for (const { token } of [writer, technician, promoted]) {
      expect(await reasonOf(app.as(token).mechanics.changeRole({ id: promoted.mechanic.id, role: 'owner' }))).toBe('forbidden');
    }
    expect(await app.as(owner.token).mechanics.changeRole({ id: promoted.mechanic.id, role: 'service_writer' })).toMatchObject({
      id: promoted.mechanic.id,
      role: 'service_writer',
    });
    await expect(app.as(promoted.token).inventory.create(newInventoryItem())).resolves.toMatchObject({ id: expect.any(Number) });
    expect(await app.as(promoted.token).me.get()).toMatchObject({ kind: 'staff', role: 'service_writer' });
    expect(await reasonOf(app.as(owner.token).mechanics.changeRole({ id: 999_999, role: 'technician' }))).toBe('not_found');
  });

  it('a role sent with PUT /mechanics/{id} is for owners only (403 for anyone else, own account included)', async () => {
    const staff = await signUpMechanic(app, { role: 'technician' });
    expect(await reasonOf(app.as(staff.token).mechanics.update({ id: staff.mechanic.id, role: 'owner' }))).toBe('forbidden');
    expect(await reasonOf(app.as(writer.token).mechanics.update({ id: writer.mechanic.id, role: 'owner' }))).toBe('forbidden');
    expect(await app.as(owner.token).mechanics.update({ id: staff.mechanic.id, role: 'service_writer' })).toMatchObject({
      role: 'service_writer',
    });
  });

  it('owners delete other staff accounts; other staff delete only their own', async () => {
    const leaving = await signUpMechanic(app);
    const leavingToo = await signUpMechanic(app);
    expect(await reasonOf(app.as(writer.token).mechanics.delete({ id: leaving.mechanic.id }))).toBe('forbidden');
    expect(await reasonOf(app.as(technician.token).mechanics.delete({ id: leaving.mechanic.id }))).toBe('forbidden');
    await app.as(owner.token).mechanics.delete({ id: leaving.mechanic.id });
    await app.as(leavingToo.token).mechanics.delete({ id: leavingToo.mechanic.id });
    expect(await reasonOf(app.as(owner.token).mechanics.delete({ id: leaving.mechanic.id }))).toBe('not_found');
  });

  it("the shop's last owner can be neither demoted nor deleted, by themselves or anyone", async () => {
    const solo = await createTestApp();
    try {
      const boss = await signUpMechanic(solo);
      await signUpMechanic(solo, { role: 'service_writer' });
      expect(await reasonOf(solo.as(boss.token).mechanics.changeRole({ id: boss.mechanic.id, role: 'service_writer' }))).toBe('last_owner');
      expect(await reasonOf(solo.as(boss.token).mechanics.delete({ id: boss.mechanic.id }))).toBe('last_owner');
      expect(await reasonOf(solo.as(boss.token).mechanics.update({ id: boss.mechanic.id, role: 'technician' }))).toBe('last_owner');
      // Staying an owner is no demotion.
      expect(await solo.as(boss.token).mechanics.changeRole({ id: boss.mechanic.id, role: 'owner' })).toMatchObject({ role: 'owner' });
      // With a second owner, either may step down.
      const partner = await signUpMechanic(solo, { role: 'owner' });
      expect(await solo.as(boss.token).mechanics.changeRole({ id: boss.mechanic.id, role: 'technician' })).toMatchObject({
        role: 'technician',
      });
      expect(await reasonOf(solo.as(partner.token).mechanics.delete({ id: partner.mechanic.id }))).toBe('last_owner');
    } finally {
      await solo.close();
    }
  });
});

describe('the last owner rule under concurrency', () => {
  it('of two owners demoting or deleting each other at the same moment, exactly one succeeds', async () => {
    const app = await createTestApp();
    try {
      const first = await signUpMechanic(app);
      // A service writer keeps the shop from being down to its last mechanic: only the owner rule is at stake.
      await signUpMechanic(app, { role: 'service_writer' });
      let standing = first;
      for (const action of ['demote', 'delete', 'demote', 'delete'] as const) {
        const input = newMechanic({ role: 'owner' });
        // Added by the owner left standing (the fixture's registrar, the first account, may be gone).
        const rival = {
          mechanic: await app.as(standing.token).mechanics.register(input),
          token: (await app.as().mechanics.logIn({ email: input.email, password: input.password })).token,
        };
        const pair = [standing, rival];
        // Through the domain functions, as two requests that both passed the owners-only check:
        // only the shop lock stands between them and a shop without an owner.
        const attempts = await Promise.allSettled(
          pair.map(({ mechanic }, index) => {
            const caller = { role: 'mechanic', id: mechanic.id, staffRole: 'owner' } as const;
            const other = pair[1 - index]!.mechanic.id;
            return action === 'demote'
              ? changeMechanicRole(app.services, caller, { id: other, role: 'service_writer' })
              : deleteMechanic(app.services, caller, other);
          }),
        );
        const refused = attempts.flatMap((attempt) => (attempt.status === 'rejected' ? [(attempt.reason as AppError).problem] : []));
        expect(refused, action).toEqual(['last_owner']);
        const owners = await app.services.db.mechanic.findMany({ where: { role: 'owner' }, select: { id: true } });
        expect(owners, action).toHaveLength(1);
        standing = pair.find(({ mechanic }) => mechanic.id === owners[0]!.id)!;
      }
    } finally {
      await app.close();
    }
  });
});

describe('staff events and audit', () => {
  let app: TestApp;
  let owner: Awaited<ReturnType<typeof signUpMechanic>>;
  beforeAll(async () => {
    app = await createTestApp();
    owner = await signUpMechanic(app);
  });
  afterAll(() => app.close());

  it('emits staff.role_changed with id, name and role only, by either route, and not when the role stays', async () => {
    const { mechanic } = await signUpMechanic(app, { role: 'technician' });
    await app.as(owner.token).mechanics.changeRole({ id: mechanic.id, role: 'service_writer' });
    await app.as(owner.token).mechanics.update({ id: mechanic.id, role: 'service_writer', phone: '+1 555 0142' });
    await app.as(owner.token).mechanics.update({ id: mechanic.id, role: 'owner' });
    const events = await eventsAbout(app, { type: 'mechanic', id: mechanic.id });
    expect(events).toEqual([
      expect.objectContaining({
        type: 'staff.role_changed',
        actor: { kind: 'staff', id: owner.mechanic.id },
        subject: { type: 'mechanic', id: String(mechanic.id) },
        data: { id: mechanic.id, name: mechanic.name, role: 'service_writer' },
      }),
      expect.objectContaining({ type: 'staff.role_changed', data: { id: mechanic.id, name: mechanic.name, role: 'owner' } }),
    ]);
  });

  it('shows role and salary changes in GET /audit, a password change only noted', async () => {
    const { mechanic, token } = await signUpMechanic(app, { role: 'technician', salary: '40000.00' });
    await app.as(owner.token).mechanics.update({ id: mechanic.id, salary: '42000.50' });
    await app.as(owner.token).mechanics.changeRole({ id: mechanic.id, role: 'service_writer' });
    await app.as(token).mechanics.update({ id: mechanic.id, password: 'a brand new passphrase' });
    const trail = await app.as(owner.token).audit.list({ subject_type: 'mechanic', subject_id: String(mechanic.id) });
    expect(trail.items.map((entry) => [entry.action, entry.changes])).toEqual([
      ['mechanic.updated', { password: { before: '[redacted]', after: '[redacted]' } }],
      ['mechanic.role_changed', { role: { before: 'technician', after: 'service_writer' } }],
      ['mechanic.updated', { salary: { before: '40000.00', after: '42000.50' } }],
      ['mechanic.created', expect.objectContaining({ role: { before: null, after: 'technician' } })],
    ]);
    expect(trail.items[0]!.actor).toEqual({ kind: 'staff', id: mechanic.id });
  });
});
