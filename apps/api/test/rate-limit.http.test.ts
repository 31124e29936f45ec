import { DEFAULT_RATE_LIMITS } from '@mechanic-shop/core';
import { afterEach, describe, expect, it } from 'vitest';
import { parseTrustedProxies } from '../src/http/client-ip.ts';
import { request, startTestServer, type TestServer } from './server-harness.ts';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const trpcGet = (path: string, input: unknown = {}) => `/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`;

describe('the global rate limit', () => {
  it('refuses the N+1st call with 429, Retry-After and RateLimit fields, on both doors from one budget', async () => {
    server = await startTestServer({ settings: { rateLimits: { ...DEFAULT_RATE_LIMITS, global: { points: 4, seconds: 60 } } } });
    const first = await request(server, 'GET', '/mechanics');
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-policy')).toBe('"global";q=4;w=60');
    expect(first.headers.get('ratelimit')).toMatch(/^"global";r=3;t=\d+$/);
    expect((await request(server, 'GET', trpcGet('mechanics.list'))).status).toBe(200);
    expect((await request(server, 'GET', '/mechanics/top')).status).toBe(200);
    expect((await request(server, 'GET', trpcGet('mechanics.top'))).status).toBe(200);

    const overRest = await request(server, 'GET', '/mechanics');
    expect(overRest.status).toBe(429);
    expect(overRest.headers.get('content-type')).toBe('application/problem+json');
    expect(overRest.body.code).toBe('rate_limited');
    expect(Number(overRest.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(overRest.headers.get('ratelimit')).toMatch(/^"global";r=0;t=\d+$/);

    const overTrpc = await request(server, 'GET', trpcGet('mechanics.list'));
    expect(overTrpc.status).toBe(429);
    expect(overTrpc.body.error.data.reason).toBe('rate_limited');
    expect(overTrpc.headers.get('retry-after')).toBeTruthy();
  });

  it('keys on the socket address, and on X-Forwarded-For only behind a trusted proxy', async () => {
    const limits = { ...DEFAULT_RATE_LIMITS, global: { points: 1, seconds: 60 } };
    server = await startTestServer({ settings: { rateLimits: limits } });
    expect((await request(server, 'GET', '/mechanics', { headers: { 'x-forwarded-for': '198.51.100.1' } })).status).toBe(200);
    // A forged header does not buy a fresh budget when no proxy is trusted.
    expect((await request(server, 'GET', '/mechanics', { headers: { 'x-forwarded-for': '198.51.100.2' } })).status).toBe(429);
    await server.close();

    server = await startTestServer({ settings: { rateLimits: limits }, trustedProxies: parseTrustedProxies('loopback') });
    const viaProxy = (client: string) => request(server!, 'GET', '/mechanics', { headers: { 'x-forwarded-for': `${client}, 127.0.0.1` } });
    expect((await viaProxy('198.51.100.1')).status).toBe(200);
    expect((await viaProxy('198.51.100.2')).status).toBe(200);
    expect((await viaProxy('198.51.100.1')).status).toBe(429);
  });
});

describe('every request', () => {
  it('spends the global budget once, refused ones and probes too, before anything is read', async () => {
    server = await startTestServer({ settings: { rateLimits: { ...DEFAULT_RATE_LIMITS, global: { points: 5, seconds: 60 } } } });
    expect((await request(server, 'POST', '/customers', { rawBody: '{', headers: { 'content-type': 'application/json' } })).status).toBe(
      400,
    );
    expect((await request(server, 'GET', '/no-such-route')).status).toBe(404);
    expect((await request(server, 'GET', '/healthz')).status).toBe(200);
    const ready = await request(server, 'GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.headers.get('ratelimit')).toMatch(/^"global";r=1;t=\d+$/);
    // A write spends the global point once and its own bucket once, and says so.
    const write = await request(server, 'POST', '/customers/login', { json: { email: 'nobody@example.com', password: 'x' } });
    expect(write.status).toBe(401);
    expect(write.headers.get('ratelimit')).toMatch(/^"global";r=0;t=\d+, "login-client";r=29;t=\d+, "login-account";r=20;t=\d+/);
    // The database is no longer pinged for this client.
    const probe = await request(server, 'GET', '/readyz');
    expect(probe.status).toBe(429);
    expect(probe.body.code).toBe('rate_limited');
    expect(probe.headers.get('retry-after')).toBeTruthy();
  });

  it("of tRPC spends one point per call of its batch, and is refused in tRPC's shape", async () => {
    server = await startTestServer({ settings: { rateLimits: { ...DEFAULT_RATE_LIMITS, global: { points: 3, seconds: 60 } } } });
    const batch = await request(server, 'GET', `/trpc/mechanics.list,mechanics.top?batch=1&input=${encodeURIComponent('{"0":{},"1":{}}')}`);
    expect(batch.status).toBe(200);
    expect(batch.headers.get('ratelimit')).toMatch(/^"global";r=1;/);
    const over = await request(server, 'GET', `/trpc/mechanics.list,mechanics.top?batch=1&input=${encodeURIComponent('{"0":{},"1":{}}')}`);
    expect(over.status).toBe(429);
    expect(over.body.map((call: { error: { data: { reason: string } } }) => call.error.data.reason)).toEqual([
      'rate_limited',
      'rate_limited',
    ]);
  });
});

describe('client addresses', () => {
  it('are one client however an address is written, and one per IPv6 /64', async () => {
    server = await startTestServer({
      settings: { rateLimits: { ...DEFAULT_RATE_LIMITS, global: { points: 1, seconds: 60 } } },
      trustedProxies: parseTrustedProxies('loopback'),
    });
    const from = async (client: string) =>
      (await request(server!, 'GET', '/healthz', { headers: { 'x-forwarded-for': `${client}, 127.0.0.1` } })).status;
    expect(await from('2001:db8:0:1::1')).toBe(200);
    for (const spelling of ['2001:DB8:0:1:0:0:0:1', '2001:db8::1:0:0:0:1', '2001:0db8:0000:0001::0001', '2001:db8:0:1::ffff']) {
      expect(await from(spelling)).toBe(429);
    }
    expect(await from('2001:db8:0:2::1')).toBe(200);
    expect(await from('198.51.100.7')).toBe(200);
    expect(await from('::ffff:198.51.100.7')).toBe(429);
    expect(await from('::FFFF:c633:6407')).toBe(429);
  });
});

describe('the write, registration and login limits', () => {
  it('are stricter than the global one and say so in RateLimit-Policy', async () => {
    server = await startTestServer({ settings: { rateLimits: { ...DEFAULT_RATE_LIMITS, register: { points: 1, seconds: 600 } } } });
    const body = (n: number) => ({ name: 'A', email: `limit${n}@example.com`, phone: '123', address: 'x', password: 'password123' });
    const first = await request(server, 'POST', '/customers', { json: body(1) });
    expect(first.status).toBe(201);
    expect(first.headers.get('ratelimit-policy')).toBe('"global";q=600;w=60, "register";q=1;w=600');
    expect((await request(server, 'POST', '/customers', { json: body(2) })).status).toBe(429);
    const login = await request(server, 'POST', '/customers/login', { json: { email: 'limit1@example.com', password: 'password123' } });
    expect(login.headers.get('ratelimit-policy')).toContain('"login-account"');
  });
});
