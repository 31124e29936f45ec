import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createScratchDatabase, testProvider } from '@mechanic-shop/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { newCustomer, newMechanic } from './accounts.ts';
import { startApiProcess, type ApiProcess } from './process-harness.ts';
import { request } from './server-harness.ts';
import { redisAvailable, TEST_REDIS_URL } from './services.ts';

const provider = testProvider();
const withRedis = provider !== 'sqlite' && (await redisAvailable());
const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const remaining = (response: { headers: Headers }) => Number(/"global";r=(\d+)/.exec(response.headers.get('ratelimit') ?? '')?.[1]);

/**
 * Two API processes behind one database and one Redis, as behind a load
 * balancer: a client that alternates between them must see one service.
 * (SQLite is one process's file: several instances need a server database.)
 */
describe.skipIf(!withRedis)(`two API processes on one ${provider} and one Redis`, () => {
  it('agree on data, share one rate limit and read fresh after writes', async () => {
    const scratch = await createScratchDatabase(provider);
    cleanups.push(() => scratch.drop());
    const env = {
      DATABASE_URL: scratch.url,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: `test-${randomUUID()}`,
      RATE_LIMIT_GLOBAL: '60/60',
      CACHE_TTL_SECONDS: '600',
    };
    // Both start at once: their migration runs take turns on the migration lock.
    const [a, b] = await Promise.all([startApiProcess(env), startApiProcess(env)]);
    cleanups.push(
      () => a.stop(),
      () => b.stop(),
    );
    await Promise.all([a, b].map((api) => api.waitForLog((line) => line.msg === 'ready')));
    let turn = 0;
    const next = (): ApiProcess => (turn++ % 2 === 0 ? a : b);

    // Accounts made on one are known to the other; a token from one works on both.
    const mechanic = newMechanic();
    const founder = await request(next(), 'POST', '/mechanics', { json: mechanic });
    expect(founder.status).toBe(201);
    const { token } = (await request(next(), 'POST', '/mechanics/login', { json: { email: mechanic.email, password: mechanic.password } }))
      .body;
    const customer = newCustomer();
    const created = await request(next(), 'POST', '/customers', { json: customer });
    expect((await request(next(), 'GET', `/customers/${created.body.id}`, { token })).body).toEqual(created.body);

    // Reads after writes are fresh whichever instance cached the answer.
    const item = (await request(next(), 'POST', '/inventory', { token, json: { part_name: 'Alternator', price: '199.00', quantity: 4 } }))
      .body;
    expect((await request(a, 'GET', `/inventory/${item.id}`, { token })).body.quantity).toBe(4);
    expect((await request(b, 'GET', `/inventory/${item.id}`, { token })).body.quantity).toBe(4);
    await request(a, 'PUT', `/inventory/${item.id}`, { token, json: { quantity: 9 } });
    const readBack = async (api: ApiProcess) => (await request(api, 'GET', `/inventory/${item.id}`, { token })).body.quantity;
    expect(await readBack(b)).toBe(9);
    expect(await readBack(a)).toBe(9);

    // One rate-limit budget: every call through either instance spends from it.
    const first = remaining(await request(next(), 'GET', '/mechanics'));
    const second = remaining(await request(next(), 'GET', '/mechanics'));
    const third = remaining(await request(next(), 'GET', '/mechanics'));
    expect([second, third]).toEqual([first - 1, first - 2]);
    let refused = 0;
    for (let call = 0; call <= third && refused === 0; call++) {
      if ((await request(next(), 'GET', '/mechanics')).status === 429) refused++;
    }
    expect(refused).toBe(1);
    expect((await request(a, 'GET', '/mechanics')).status).toBe(429);
    expect((await request(b, 'GET', '/mechanics')).status).toBe(429);

    expect(await a.stop()).toBe(0);
    expect(await b.stop()).toBe(0);
  });

  it("never serves an answer older than a write the other instance has answered, nor trusts a deleted account's token", async () => {
    const [a, b] = await startCachingPair();
    const token = await openShop(a);
    const item = (await request(a, 'POST', '/inventory', { token, json: { part_name: 'Fuse', price: '1.00', quantity: 0 } })).body;
    const quantityOn = async (api: ApiProcess) => (await request(api, 'GET', `/inventory/${item.id}`, { token })).body.quantity;
    // Without waiting: the write counted itself in Redis before A answered, and B compares before serving.
    for (let quantity = 1; quantity <= 200; quantity++) {
      await quantityOn(b); // cached on B
      expect((await request(a, 'PUT', `/inventory/${item.id}`, { token, json: { quantity } })).status).toBe(200);
      expect(await quantityOn(b)).toBe(quantity);
    }

    for (let round = 0; round < 25; round++) {
      const colleague = newMechanic();
      const created = await request(a, 'POST', '/mechanics', { token, json: colleague });
      const colleagueToken = await login(a, colleague);
      expect((await request(b, 'GET', '/customers', { token: colleagueToken })).status).toBe(200); // trusted on B
      expect((await request(a, 'DELETE', `/mechanics/${created.body.id}`, { token: colleagueToken })).status).toBe(204);
      expect((await request(b, 'GET', '/customers', { token: colleagueToken })).status).toBe(401);
    }
    expect(await a.stop()).toBe(0);
    expect(await b.stop()).toBe(0);
  });

  it('applies a role changed through one instance from the next request through the other', async () => {
    const [a, b] = await startCachingPair();
    const ownerToken = await openShop(a);
    const colleague = newMechanic({ role: 'service_writer' });
    const { id } = (await request(a, 'POST', '/mechanics', { token: ownerToken, json: colleague })).body;
    const token = await login(a, colleague);
    const setRole = async (role: string) =>
      expect((await request(a, 'PUT', `/mechanics/${id}/role`, { token: ownerToken, json: { role } })).status).toBe(200);
    // A service writer stocks parts, a technician may not; GET /me says the role B holds for the account.
    const onB = async () => [
      (await request(b, 'POST', '/inventory', { token, json: { part_name: 'Fuse', price: '1.00', quantity: 1 } })).status,
      (await request(b, 'GET', '/me', { token })).body.role,
    ];
    for (let round = 0; round < 10; round++) {
      expect(await onB()).toEqual([201, 'service_writer']); // the role is cached on B
      await setRole('technician');
      expect(await onB()).toEqual([403, 'technician']);
      await setRole('service_writer');
    }
    expect(await a.stop()).toBe(0);
    expect(await b.stop()).toBe(0);
  });

  it('share idempotency keys: a key used through one instance replays through the other, and a race runs once', async () => {
    const [a, b] = await startCachingPair();
    const token = await openShop(a);
    const stock = (api: ApiProcess, key: string, json: object) =>
      request(api, 'POST', '/inventory', { token, json, headers: { 'idempotency-key': key } });
    const battery = { part_name: 'Battery', price: '120.00', quantity: 2 };
    const key = randomUUID();
    const first = await stock(a, key, battery);
    expect(first.status).toBe(201);
    const repeat = await stock(b, key, battery);
    expect([repeat.status, repeat.headers.get('idempotent-replayed')]).toEqual([201, 'true']);
    expect(repeat.body).toEqual(first.body);
    expect((await stock(b, key, { ...battery, quantity: 3 })).body.code).toBe('idempotency_key_reused');

    for (let round = 0; round < 10; round++) {
      const part = { part_name: `Raced ${round}`, price: '5.00', quantity: 1 };
      const raced = randomUUID();
      const answers = await Promise.all([stock(a, raced, part), stock(b, raced, part)]);
      const outcomes = answers.map((answer) => (answer.status === 201 ? answer.body.id : answer.body.code));
      // Both answered with the one part (the first, and its replay), or one of them saw the other still running.
      const ids = outcomes.filter((outcome) => typeof outcome === 'number');
      expect(new Set(ids).size, JSON.stringify(outcomes)).toBe(1);
      expect(outcomes.filter((outcome) => typeof outcome !== 'number').every((code) => code === 'idempotency_key_in_flight')).toBe(true);
      const listed = (await request(b, 'GET', `/inventory?q=${encodeURIComponent(part.part_name)}`, { token })).body;
      expect(listed.total).toBe(1);
    }
    expect(await a.stop()).toBe(0);
    expect(await b.stop()).toBe(0);
  });
});

/**
 * Two instances on a new database and one Redis key space, started one after
 * the other, with answers cached long: only a shared version can make a cached
 * answer fresh. Without rate limits, which would only slow the loops.
 */
async function startCachingPair(): Promise<[ApiProcess, ApiProcess]> {
  const scratch = await createScratchDatabase(provider);
  cleanups.push(() => scratch.drop());
  const env = {
    DATABASE_URL: scratch.url,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_KEY_PREFIX: `test-${randomUUID()}`,
    CACHE_TTL_SECONDS: '600',
    RATE_LIMIT: 'off',
  };
  const pair: ApiProcess[] = [];
  for (let index = 0; index < 2; index++) {
    const api = await startApiProcess(env);
    cleanups.push(() => api.stop());
    await api.waitForLog((line) => line.msg === 'ready');
    pair.push(api);
  }
  return pair as [ApiProcess, ApiProcess];
}

const login = async (api: ApiProcess, body: { email: string; password: string }) =>
  (await request(api, 'POST', '/mechanics/login', { json: { email: body.email, password: body.password } })).body.token as string;

/** The shop's first account (its owner), registered through `api`; resolves to its token. */
async function openShop(api: ApiProcess): Promise<string> {
  const founder = newMechanic();
  expect((await request(api, 'POST', '/mechanics', { json: founder })).status).toBe(201);
  return login(api, founder);
}

/**
 * Webhooks from two API processes on one server database (issue 19): each
 * publishes and delivers, and leases keep them from attempting one delivery
 * at once, so the receiver gets each event once (twice only for the one it
 * answered 500 first, as the retry rules say).
 */
describe.skipIf(provider === 'sqlite')(`webhooks from two API processes on one ${provider}`, () => {
  it('deliver each event once within the retry rules', async () => {
    const scratch = await createScratchDatabase(provider);
    cleanups.push(() => scratch.drop());
    const received: string[] = [];
    let failFirst = true;
    const receiver = createServer((incoming, response) => {
      incoming.resume();
      incoming.on('end', () => {
        received.push(String(incoming.headers['webhook-id']));
        response.statusCode = failFirst ? 500 : 204;
        failFirst = false;
        response.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => receiver.close(resolve)));
    const env = {
      DATABASE_URL: scratch.url,
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
      WEBHOOK_RETRY_SCHEDULE: '1',
      WEBHOOK_POLL_INTERVAL_MS: '50',
      EVENT_PUBLISH_INTERVAL_MS: '50',
    };
    const [a, b] = await Promise.all([startApiProcess(env), startApiProcess(env)]);
    cleanups.push(
      () => a.stop(),
      () => b.stop(),
    );
    await Promise.all([a, b].map((api) => api.waitForLog((line) => line.msg === 'ready')));
    const token = await openShop(a);
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const webhook = await request(a, 'POST', '/webhooks', { token, json: { url, event_types: ['customer.created'] } });
    expect(webhook.status).toBe(201);

    const TESTS = 12;
    for (let index = 0; index < TESTS; index++) {
      expect((await request(index % 2 ? a : b, 'POST', `/webhooks/${webhook.body.id}/test`, { token, json: {} })).status).toBe(200);
    }
    const settled = async () => {
      const { items } = (await request(a, 'GET', `/webhooks/${webhook.body.id}/deliveries?per_page=100`, { token })).body;
      return items.length === TESTS && items.every((delivery: { status: string }) => delivery.status === 'succeeded') ? items : null;
    };
    let deliveries = await settled();
    for (let wait = 0; !deliveries && wait < 300; wait++) {
      await sleep(100);
      deliveries = await settled();
    }
    expect(deliveries).not.toBeNull();
    const counts = new Map<string, number>();
    for (const id of received) counts.set(id, (counts.get(id) ?? 0) + 1);
    expect(counts.size).toBe(TESTS);
    expect([...counts.values()].sort()).toEqual([...Array(TESTS - 1).fill(1), 2]);
    expect(deliveries!.map((delivery: { attempt_count: number }) => delivery.attempt_count).sort()).toEqual([
      ...Array(TESTS - 1).fill(1),
      2,
    ]);

    expect(await a.stop()).toBe(0);
    expect(await b.stop()).toBe(0);
  });
});
