import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { DEFAULT_RATE_LIMITS } from '@mechanic-shop/core';
import { testProvider, type TestAppSettings } from '@mechanic-shop/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { registerCustomer, registerMechanic } from './accounts.ts';
import { request, startTestServer, type TestServer } from './server-harness.ts';
import { redisAvailable, TEST_REDIS_URL } from './services.ts';
import { startTcpProxy } from './tcp-proxy.ts';

// Redis behaviour, the same whatever the database: run it once, on SQLite.
const withRedis = testProvider() === 'sqlite' && (await redisAvailable());
const started: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const thing of started.splice(0).reverse()) await thing.close();
});

async function instance(settings: TestAppSettings): Promise<TestServer> {
  const server = await startTestServer({ settings });
  started.push(server);
  return server;
}

/** Waits for a condition that depends on another process or connection, up to a bound. */
async function eventually(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(50);
  }
}

const remaining = (response: { headers: Headers }) => Number(/r=(\d+)/.exec(response.headers.get('ratelimit') ?? '')?.[1]);

describe.skipIf(!withRedis)('with Redis (REDIS_URL)', () => {
  it('two instances share one rate-limit budget', async () => {
    const redis = { url: TEST_REDIS_URL, keyPrefix: `test-${randomUUID()}` };
    const rateLimits = { ...DEFAULT_RATE_LIMITS, global: { points: 3, seconds: 60 } };
    const a = await instance({ redis, rateLimits });
    const b = await instance({ redis, rateLimits });
    expect((await request(a, 'GET', '/mechanics')).status).toBe(200);
    expect((await request(b, 'GET', '/mechanics')).status).toBe(200);
    expect((await request(a, 'GET', '/mechanics')).status).toBe(200);
    expect((await request(b, 'GET', '/mechanics')).status).toBe(429);
    expect((await request(a, 'GET', '/mechanics')).status).toBe(429);
  });

  it('keeps only fixed-size keys for logins: huge emails leave none, wrong passwords a hash of the account', async () => {
    const redis = { url: TEST_REDIS_URL, keyPrefix: `test-${randomUUID()}` };
    const unlimitedClient = { points: 1_000_000, seconds: 60 };
    const server = await instance({
      redis,
      rateLimits: { ...DEFAULT_RATE_LIMITS, global: unlimitedClient, loginPerClient: unlimitedClient },
    });
    const login = (email: string) => request(server, 'POST', '/customers/login', { json: { email, password: 'guess' } });
    for (let n = 0; n < 50; n++) expect((await login(`${n}-${'x'.repeat(90_000)}@example.com`)).status).toBe(400);
    const email = `${'y'.repeat(200)}@example.com`;
    expect((await login(email)).status).toBe(401);

    const client = new Redis(TEST_REDIS_URL);
    try {
      const keys = await client.keys(`${redis.keyPrefix}:rl:*`);
      // The client's global and login budgets, and the account's three wrong-password buckets.
      expect(keys.length).toBeLessThanOrEqual(6);
      for (const key of keys) {
        expect(key.length).toBeLessThan(redis.keyPrefix.length + 64);
        expect(key).not.toContain('example.com');
      }
    } finally {
      client.disconnect();
    }
  });

  it('keeps serving with per-instance limits while Redis is away, says so, and shares the budget again when it returns', async () => {
    const target = new URL(TEST_REDIS_URL);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
    started.push(proxy);
    const redis = { url: `redis://127.0.0.1:${proxy.port}`, keyPrefix: `test-${randomUUID()}` };
    const rateLimits = { ...DEFAULT_RATE_LIMITS, global: { points: 6, seconds: 60 } };
    const a = await instance({ redis, rateLimits });
    const b = await instance({ redis, rateLimits });
    expect(remaining(await request(a, 'GET', '/mechanics'))).toBe(5);

    await proxy.cut();
    const duringA = await request(a, 'GET', '/mechanics');
    const duringB = await request(b, 'GET', '/mechanics');
    expect([duringA.status, duringB.status]).toEqual([200, 200]);
    // Still limited meanwhile, each instance on its own (its in-memory insurance limiter).
    expect(remaining(duringA)).toBeLessThanOrEqual(5);
    expect(remaining(duringB)).toBeLessThanOrEqual(5);
    await eventually(() => a.logs.some((line) => String(line.msg).startsWith('Redis is unreachable')));

    await proxy.restore();
    // The one connection the rate limiter and the cache versions use.
    await eventually(() =>
      [a, b].every((server) => server.logs.some((line) => line.msg === 'Redis is reachable again' && line.redis === 'commands')),
    );
    // Back on the shared budget, which still holds the call made before the outage
    // (and the one in flight when Redis went away, if it reached Redis first).
    const afterA = remaining(await request(a, 'GET', '/mechanics'));
    const afterB = remaining(await request(b, 'GET', '/mechanics'));
    expect(afterA).toBeLessThanOrEqual(4);
    expect(afterB).toBe(afterA - 1);
  });

  it("a write answered by one instance makes the other instance's cached answer stale at once, through Redis", async () => {
    const redis = { url: TEST_REDIS_URL, keyPrefix: `test-${randomUUID()}` };
    // A TTL far longer than the test: only an invalidation can make the answer fresh.
    const cache = { ttlSeconds: 600, maxEntries: 1_000, maxBytes: 1 << 20 };
    const a = await instance({ redis, cache });
    const b = await instance({ redis, cache, database: { url: a.app.databaseUrl } });
    const mechanic = await registerMechanic(a);
    const customer = await registerCustomer(a);
    const ticket = await request(a, 'POST', '/service_tickets', {
      token: customer.token,
      json: { title: 'x', vin: '1HGCM82633A004352', service_date: '2026-12-01' },
    });
    const countOn = async (server: TestServer) =>
      (await request(server, 'GET', '/mechanics/top')).body.items.find((row: { id: number }) => row.id === mechanic.id)?.ticket_count;
    expect(await countOn(b)).toBe(0); // now cached on b
    await request(a, 'POST', '/assignments', {
      token: mechanic.token,
      json: { service_ticket_id: ticket.body.id, mechanic_id: mechanic.id },
    });
    // At once: A counted the write in Redis before answering, and B compares before serving.
    expect(await countOn(b)).toBe(1);
  });
});
