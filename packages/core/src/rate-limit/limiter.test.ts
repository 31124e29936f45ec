import { describe, expect, it } from 'vitest';
import { addRateLimitFields, createRateLimiter, DEFAULT_RATE_LIMITS } from './limiter.ts';

const settings = {
  ...DEFAULT_RATE_LIMITS,
  global: { points: 3, seconds: 60 },
  loginPerAccount: { points: 4, seconds: 600 },
  loginPerAccountClient: { points: 2, seconds: 600 },
  loginAccountsPerClient: { points: 3, seconds: 600 },
};
const SCOPE = 'customers.logIn';

/** A login attempt that got its password wrong; whether the attempt was allowed. */
async function failLogin(limiter: ReturnType<typeof createRateLimiter>, email: string, client: string, scope = SCOPE) {
  const attempt = await limiter.checkLogin(scope, email, client);
  if (attempt.verdict.allowed) await attempt.settle('failed');
  return attempt.verdict.allowed;
}

describe('the in-memory rate limiter', () => {
  it('refuses the request after the budget, with RateLimit fields and Retry-After', async () => {
    const limiter = createRateLimiter(settings, { keyPrefix: 'unit' });
    for (let i = 0; i < 3; i++) expect((await limiter.consume('read', '10.0.0.1', { global: 1 })).allowed).toBe(true);
    const refused = await limiter.consume('read', '10.0.0.1', { global: 1 });
    expect(refused.allowed).toBe(false);
    expect(refused.headers['RateLimit-Policy']).toBe('"global";q=3;w=60');
    expect(refused.headers.RateLimit).toMatch(/^"global";r=0;t=\d+$/);
    expect(Number(refused.headers['Retry-After'])).toBeGreaterThanOrEqual(1);
    expect((await limiter.consume('read', '10.0.0.2', { global: 1 })).allowed).toBe(true);
  });

  it('spends a tRPC batch per call, and only the route bucket when the door spent the global one', async () => {
    const limiter = createRateLimiter(settings, { keyPrefix: 'unit' });
    expect((await limiter.consume('read', '10.0.0.1', { global: 2 })).headers.RateLimit).toMatch(/^"global";r=1;/);
    const write = await limiter.consume('write', '10.0.0.1', { global: 0 });
    expect(write.headers['RateLimit-Policy']).toBe('"write";q=120;w=60');
    expect((await limiter.consume('read', '10.0.0.1', { global: 2 })).allowed).toBe(false);
  });

  it('gives the approval-link routes a strict budget of their own, named approval-link', async () => {
    const limiter = createRateLimiter({ ...settings, approvalLink: { points: 2, seconds: 600 } }, { keyPrefix: 'unit' });
    const first = await limiter.consume('approvalLink', '10.0.0.1', { global: 0 });
    expect(first.headers['RateLimit-Policy']).toBe('"approval-link";q=2;w=600');
    expect(first.headers.RateLimit).toMatch(/^"approval-link";r=1;t=\d+$/);
    expect((await limiter.consume('approvalLink', '10.0.0.1', { global: 0 })).allowed).toBe(true);
    const refused = await limiter.consume('approvalLink', '10.0.0.1', { global: 0 });
    expect(refused.allowed).toBe(false);
    expect(Number(refused.headers['Retry-After'])).toBeGreaterThanOrEqual(1);
    // Other routes and other clients keep their budgets.
    expect((await limiter.consume('write', '10.0.0.1', { global: 0 })).allowed).toBe(true);
    expect((await limiter.consume('approvalLink', '10.0.0.2', { global: 0 })).allowed).toBe(true);
  });

  it('limits wrong passwords for one account from any client, but never locks out a client that logged in before', async () => {
    const limiter = createRateLimiter(settings, { keyPrefix: 'unit' });
    const known = await limiter.checkLogin(SCOPE, 'ada@example.com', '10.0.0.9');
    await known.settle('succeeded');
    for (const client of ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4'])
      expect(await failLogin(limiter, 'ada@example.com', client)).toBe(true);
    const refused = await limiter.checkLogin(SCOPE, 'ada@example.com', '10.0.0.5');
    expect(refused.verdict.allowed).toBe(false);
    expect(refused.verdict.headers['RateLimit-Policy']).toContain('"login-account";q=4;w=600');
    expect(refused.verdict.headers.RateLimit).toContain('"login-account";r=0;');
    // The account's own client still gets in; the same email as a mechanic is another account.
    expect((await limiter.checkLogin(SCOPE, 'ada@example.com', '10.0.0.9')).verdict.allowed).toBe(true);
    expect((await limiter.checkLogin('mechanics.logIn', 'ada@example.com', '10.0.0.5')).verdict.allowed).toBe(true);
  });

  it('lets one client spend only part of an account budget, so that a lockout takes several clients', async () => {
    const limiter = createRateLimiter(settings, { keyPrefix: 'unit' });
    expect(await failLogin(limiter, 'ada@example.com', '10.0.0.1')).toBe(true);
    expect(await failLogin(limiter, 'ada@example.com', '10.0.0.1')).toBe(true);
    expect(await failLogin(limiter, 'ada@example.com', '10.0.0.1')).toBe(false);
    // The account itself is not locked: two failures of its four.
    expect((await limiter.checkLogin(SCOPE, 'ada@example.com', '10.0.0.2')).verdict.allowed).toBe(true);
  });

  it('gives back a client its failures on an account when it logs in', async () => {
    const limiter = createRateLimiter(settings, { keyPrefix: 'unit' });
    await failLogin(limiter, 'ada@example.com', '10.0.0.1');
    await failLogin(limiter, 'ada@example.com', '10.0.0.1');
    await (await limiter.checkLogin(SCOPE, 'ada@example.com', '10.0.0.1')).settle('succeeded');
    expect(await failLogin(limiter, 'ada@example.com', '10.0.0.1')).toBe(true);
  });

  it('limits the distinct accounts one client gets wrong, not its retries of one', async () => {
    const limiter = createRateLimiter(settings, { keyPrefix: 'unit' });
    for (const email of ['a@example.com', 'b@example.com', 'c@example.com']) expect(await failLogin(limiter, email, '10.0.0.1')).toBe(true);
    expect(await failLogin(limiter, 'd@example.com', '10.0.0.1')).toBe(false);
    expect(await failLogin(limiter, 'a@example.com', '10.0.0.1')).toBe(true);
    expect(await failLogin(limiter, 'd@example.com', '10.0.0.2')).toBe(true);
  });
});

describe('addRateLimitFields', () => {
  it("joins the door's and the route's fields, keeps one entry per policy and the longest Retry-After", () => {
    const headers: Record<string, string> = { 'RateLimit-Policy': '"global";q=3;w=60', RateLimit: '"global";r=2;t=60' };
    addRateLimitFields(headers, { allowed: true, headers: { 'RateLimit-Policy': '"write";q=2;w=60', RateLimit: '"write";r=1;t=60' } });
    addRateLimitFields(headers, {
      allowed: false,
      headers: { 'RateLimit-Policy': '"write";q=2;w=60', RateLimit: '"write";r=0;t=60', 'Retry-After': '60' },
    });
    expect(headers).toEqual({
      'RateLimit-Policy': '"global";q=3;w=60, "write";q=2;w=60',
      RateLimit: '"global";r=2;t=60, "write";r=0;t=60',
      'Retry-After': '60',
    });
  });
});
