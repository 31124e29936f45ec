import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RATE_LIMITS } from '../../rate-limit/limiter.ts';
import { newCustomer } from '../../testing/fixtures.ts';
import { createTestApp, rejectionOf, type TestApp } from '../../testing/index.ts';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp({
    rateLimits: { ...DEFAULT_RATE_LIMITS, loginPerAccount: { points: 3, seconds: 900 }, loginPerClient: { points: 2, seconds: 300 } },
  });
});
afterAll(() => app.close());

async function registered() {
  const customer = newCustomer();
  await app.as().customers.register(customer);
  return customer;
}

const wrongPassword = (email: string, ip: string) => rejectionOf(app.as(undefined, ip).customers.logIn({ email, password: 'guess' }));

describe('rate limits on procedures', () => {
  it('slow down guessing one account from many client addresses', async () => {
    const ada = await registered();
    for (const ip of ['203.0.113.1', '203.0.113.2', '203.0.113.3']) {
      expect((await wrongPassword(ada.email, ip)).reason).toBe('invalid_credentials');
    }
    const blocked = await rejectionOf(
      app.as(undefined, '203.0.113.4').customers.logIn({ email: ` ${ada.email.toUpperCase()}`, password: ada.password }),
    );
    expect(blocked.reason).toBe('rate_limited');
    // Other accounts are not affected.
    const bob = await registered();
    await expect(app.as(undefined, '203.0.113.4').customers.logIn({ email: bob.email, password: bob.password })).resolves.toMatchObject({
      token_type: 'Bearer',
    });
  });

  it('count only wrong passwords: successful logins spend nothing of the account budget', async () => {
    const carol = await registered();
    for (let i = 0; i < 5; i++)
      await app.as(undefined, `198.51.100.${i}`).customers.logIn({ email: carol.email, password: carol.password });
  });

  it('never count an attempt refused for its client limit against the account', async () => {
    const dora = await registered();
    expect((await wrongPassword(dora.email, '192.0.2.1')).reason).toBe('invalid_credentials');
    expect((await wrongPassword(dora.email, '192.0.2.1')).reason).toBe('invalid_credentials');
    // The client is now over its login limit: these are refused, and cost the account nothing.
    for (let i = 0; i < 5; i++) expect((await wrongPassword(dora.email, '192.0.2.1')).reason).toBe('rate_limited');
    expect((await wrongPassword(dora.email, '192.0.2.2')).reason).toBe('invalid_credentials');
    expect((await wrongPassword(dora.email, '192.0.2.3')).reason).toBe('rate_limited');
  });

  it('keep customer and mechanic logins of one email apart', async () => {
    const erin = await registered();
    for (const ip of ['192.0.2.11', '192.0.2.12', '192.0.2.13']) await wrongPassword(erin.email, ip);
    expect((await wrongPassword(erin.email, '192.0.2.14')).reason).toBe('rate_limited');
    const asMechanic = await rejectionOf(app.as(undefined, '192.0.2.14').mechanics.logIn({ email: erin.email, password: 'guess' }));
    expect(asMechanic.reason).toBe('invalid_credentials');
  });

  it('never lock the account out of a client it logged in from before, whoever else fails', async () => {
    const fay = await registered();
    await app.as(undefined, '192.0.2.21').customers.logIn({ email: fay.email, password: fay.password });
    for (const ip of ['192.0.2.31', '192.0.2.32', '192.0.2.33']) await wrongPassword(fay.email, ip);
    expect((await wrongPassword(fay.email, '192.0.2.34')).reason).toBe('rate_limited');
    await expect(app.as(undefined, '192.0.2.21').customers.logIn({ email: fay.email, password: fay.password })).resolves.toMatchObject({
      token_type: 'Bearer',
    });
  });
});
