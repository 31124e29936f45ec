import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RATE_LIMITS } from '../../rate-limit/limiter.ts';
import { newCustomer } from '../../testing/fixtures.ts';
import { createTestApp, rejectionOf, type TestApp } from '../../testing/index.ts';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp({ rateLimits: { ...DEFAULT_RATE_LIMITS, loginPerAccount: { points: 3, seconds: 900 } } });
});
afterAll(() => app.close());

describe('rate limits on procedures', () => {
  it('slow down guessing one account from many client addresses', async () => {
    const ada = newCustomer();
    await app.as().customers.register(ada);
    for (const ip of ['203.0.113.1', '203.0.113.2', '203.0.113.3']) {
      expect((await rejectionOf(app.as(undefined, ip).customers.logIn({ email: ada.email, password: 'guess' }))).reason).toBe(
        'invalid_credentials',
      );
    }
    const blocked = await rejectionOf(
      app.as(undefined, '203.0.113.4').customers.logIn({ email: ` ${ada.email.toUpperCase()}`, password: ada.password }),
    );
    expect(blocked.reason).toBe('rate_limited');
    // Other accounts are not affected.
    const bob = newCustomer();
    await app.as().customers.register(bob);
    await expect(app.as(undefined, '203.0.113.4').customers.logIn({ email: bob.email, password: bob.password })).resolves.toMatchObject({
      token_type: 'Bearer',
    });
  });

  it('give a successful login its point back', async () => {
    const carol = newCustomer();
    await app.as().customers.register(carol);
    for (let i = 0; i < 5; i++)
      await app.as(undefined, `198.51.100.${i}`).customers.logIn({ email: carol.email, password: carol.password });
  });
});
