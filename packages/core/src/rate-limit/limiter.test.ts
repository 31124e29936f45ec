import { describe, expect, it } from 'vitest';
import { createRateLimiter, DEFAULT_RATE_LIMITS } from './limiter.ts';

const settings = { ...DEFAULT_RATE_LIMITS, global: { points: 3, seconds: 60 }, loginPerAccount: { points: 2, seconds: 600 } };

describe('the in-memory rate limiter', () => {
  it('refuses the request after the budget, with RateLimit fields and Retry-After', async () => {
    const limiter = createRateLimiter(settings, { keyPrefix: 'unit' });
    for (let i = 0; i < 3; i++) expect((await limiter.consume('read', '10.0.0.1')).allowed).toBe(true);
    const refused = await limiter.consume('read', '10.0.0.1');
    expect(refused.allowed).toBe(false);
    expect(refused.headers['RateLimit-Policy']).toBe('"global";q=3;w=60');
    expect(refused.headers.RateLimit).toMatch(/^"global";r=0;t=\d+$/);
    expect(Number(refused.headers['Retry-After'])).toBeGreaterThanOrEqual(1);
    expect((await limiter.consume('read', '10.0.0.2')).allowed).toBe(true);
  });

  it('limits failed logins of one account whatever the client address, and forgives good ones', async () => {
    const limiter = createRateLimiter(settings, { keyPrefix: 'unit' });
    expect((await limiter.consume('login', '10.0.0.1', 'ada@example.com')).allowed).toBe(true);
    await limiter.forgiveLogin('ada@example.com');
    expect((await limiter.consume('login', '10.0.0.2', 'ada@example.com')).allowed).toBe(true);
    expect((await limiter.consume('login', '10.0.0.3', 'ada@example.com')).allowed).toBe(true);
    const refused = await limiter.consume('login', '10.0.0.4', 'ada@example.com');
    expect(refused.allowed).toBe(false);
    expect(refused.headers['RateLimit-Policy']).toContain('"login-account";q=2;w=600');
  });
});
