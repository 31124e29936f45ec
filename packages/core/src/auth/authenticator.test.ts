import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpCustomer, signUpMechanic } from '../testing/fixtures.ts';
import { createTestApp, statementLog, type TestApp } from '../testing/index.ts';

const { onStatement, statementsOf } = statementLog();
let app: TestApp;
beforeAll(async () => {
  app = await createTestApp({ database: { onStatement } });
});
afterAll(() => app.close());

const bearer = (token: string) => `Bearer ${token}`;

describe('the authenticator', () => {
  it('checks a token against the database once, then trusts it', async () => {
    const { token, customer } = await signUpCustomer(app);
    const { authenticator } = app.services;
    expect((await statementsOf(() => authenticator.authenticate(bearer(token)))).length).toBe(1);
    expect(await authenticator.authenticate(bearer(token))).toEqual({ principal: { role: 'customer', id: customer.id } });
    expect((await statementsOf(() => authenticator.authenticate(bearer(token)))).length).toBe(0);
  });

  it('stops trusting the tokens of a role whose accounts were written, so a deleted account is refused at once', async () => {
    const ada = await signUpCustomer(app);
    const bob = await signUpCustomer(app);
    const { authenticator } = app.services;
    await authenticator.authenticate(bearer(ada.token));
    await authenticator.authenticate(bearer(bob.token));
    await app.as(bob.token).customers.delete({ id: bob.customer.id });
    expect(await authenticator.authenticate(bearer(bob.token))).toEqual({ principal: null, problem: 'revoked' });
    expect((await statementsOf(() => authenticator.authenticate(bearer(ada.token)))).length).toBe(1);
  });

  it("reads a staff account's role from the account, and again after it changed, with the same token", async () => {
    const owner = await signUpMechanic(app);
    const staff = await signUpMechanic(app);
    const { authenticator } = app.services;
    const principal = { role: 'mechanic', id: staff.mechanic.id };
    expect(await authenticator.authenticate(bearer(staff.token))).toEqual({ principal: { ...principal, staffRole: 'technician' } });
    await app.as(owner.token).mechanics.changeRole({ id: staff.mechanic.id, role: 'service_writer' });
    expect(await authenticator.authenticate(bearer(staff.token))).toEqual({ principal: { ...principal, staffRole: 'service_writer' } });
  });

  it('keeps roles apart: a write to customers does not re-check mechanics', async () => {
    const { token } = await signUpMechanic(app);
    const { authenticator } = app.services;
    await authenticator.authenticate(bearer(token));
    await signUpCustomer(app);
    expect((await statementsOf(() => authenticator.authenticate(bearer(token)))).length).toBe(0);
  });

  it('never remembers a token that failed', async () => {
    const { authenticator } = app.services;
    expect(await authenticator.authenticate('Bearer not.a.token')).toEqual({ principal: null, problem: 'invalid' });
    expect(await authenticator.authenticate('Basic abc')).toEqual({ principal: null, problem: 'invalid' });
    expect(await authenticator.authenticate(undefined)).toEqual({ principal: null, problem: 'missing' });
  });
});
