import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { signUpCustomer, signUpMechanic } from '../testing/fixtures.ts';
import { createTestApp, reasonOf, type TestApp } from '../testing/index.ts';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

describe('me.get', () => {
  it('tells a customer token who it is, without a staff role', async () => {
    const { customer, token } = await signUpCustomer(app);
    expect(await app.as(token).me.get()).toEqual({
      kind: 'customer',
      id: customer.id,
      name: customer.name,
      email: customer.email,
      shop: { name: 'Mechanic Shop', currency: 'USD' },
    });
  });

  it("tells a staff token who it is, with the account's current role", async () => {
    const owner = await signUpMechanic(app);
    const technician = await signUpMechanic(app);
    expect(await app.as(owner.token).me.get()).toEqual({
      kind: 'staff',
      id: owner.mechanic.id,
      name: owner.mechanic.name,
      email: owner.mechanic.email,
      role: 'owner',
      shop: { name: 'Mechanic Shop', currency: 'USD' },
    });
    expect(await app.as(technician.token).me.get()).toMatchObject({ kind: 'staff', id: technician.mechanic.id, role: 'technician' });
    await app.as(owner.token).mechanics.changeRole({ id: technician.mechanic.id, role: 'service_writer' });
    expect(await app.as(technician.token).me.get()).toMatchObject({ kind: 'staff', id: technician.mechanic.id, role: 'service_writer' });
  });

  it("follows the shop's name and currency as the owner changes them", async () => {
    const ownApp = await createTestApp();
    onTestFinished(() => ownApp.close());
    const owner = await signUpMechanic(ownApp); // the first staff account of a shop is its owner
    const { token } = await signUpCustomer(ownApp);
    await ownApp.as(owner.token).shop.updateSettings({ shop_name: 'Bay Street Garage', currency: 'EUR' });
    expect((await ownApp.as(token).me.get()).shop).toEqual({ name: 'Bay Street Garage', currency: 'EUR' });
  });

  it('needs a valid token, and takes no parameters', async () => {
    expect(await reasonOf(app.as().me.get())).toBe('unauthenticated');
    expect(await reasonOf(app.as('garbage').me.get())).toBe('unauthenticated');
    const { token } = await signUpCustomer(app);
    expect(await reasonOf(app.as(token).me.get({ id: 1 } as never))).toBe('validation_failed');
  });
});
