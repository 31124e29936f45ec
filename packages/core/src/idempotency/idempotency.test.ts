import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AppServices } from '../app-services.ts';
import { listProcedures, appRouter } from '../router.ts';
import { newInventoryItem, newMechanic, newTicket, signUpCustomer, signUpMechanic } from '../testing/fixtures.ts';
import { createTestApp, reasonOf, rejectionOf, type TestApp } from '../testing/index.ts';
import { createContext } from '../trpc/context.ts';
import { route } from '../trpc/meta.ts';
import { createCallerFactory, mechanicProcedure, router } from '../trpc/procedures.ts';
import { IDEMPOTENT_REPLAYED_HEADER } from './idempotency-key.ts';

/**
 * Idempotency keys through the procedure builders, on each database: a repeat
 * replays, a reuse with another body is refused, a repeat of a request still
 * running is refused, keys expire, and a key belongs to one account and one route.
 */
let app: TestApp;
let owner: string;
let writer: string;

beforeAll(async () => {
  app = await createTestApp();
  owner = (await signUpMechanic(app)).token;
  writer = (await signUpMechanic(app, { role: 'service_writer' })).token;
});
afterAll(() => app.close());

const callerFactory = createCallerFactory(appRouter);

/** A caller sending `key` with its POSTs, and the response headers its calls set. */
function keyed(key: string | undefined, options: { token?: string; clientIp?: string; services?: AppServices } = {}) {
  const context = createContext(options.services ?? app.services, {
    clientIp: options.clientIp ?? '127.0.0.1',
    authorization: options.token ? `Bearer ${options.token}` : undefined,
    requestId: 'idempotency-test',
    userAgent: '',
    idempotencyKey: key,
  });
  return { call: callerFactory(context), headers: context.responseHeaders };
}

let keys = 0;
const newKey = () => `test-key-${process.pid}-${++keys}`;
const partsNamed = (part_name: string) => app.services.db.inventoryItem.count({ where: { partName: part_name } });
const keyRows = () => app.services.db.idempotencyKey.findMany();

describe('a POST with an Idempotency-Key', () => {
  it('runs once: a repeat gets the first answer again, marked as replayed', async () => {
    const key = newKey();
    const input = newInventoryItem({ part_name: `Replayed ${key}` });
    const first = keyed(key, { token: owner });
    const created = await first.call.inventory.create(input);
    expect(first.headers).not.toHaveProperty(IDEMPOTENT_REPLAYED_HEADER);

    const repeat = keyed(key, { token: owner });
    expect(await repeat.call.inventory.create(input)).toEqual(created);
    expect(repeat.headers[IDEMPOTENT_REPLAYED_HEADER]).toBe('true');
    expect(await partsNamed(input.part_name)).toBe(1);
  });

  it('knows one request by its parsed input: the same amount written another way, fields in another order', async () => {
    const key = newKey();
    const part_name = `Same request ${key}`;
    const created = await keyed(key, { token: owner }).call.inventory.create({ part_name, price: '49.90', quantity: 3 });
    const repeat = keyed(key, { token: owner });
    expect(await repeat.call.inventory.create({ quantity: 3, price: '49.9', part_name })).toEqual(created);
    expect(repeat.headers[IDEMPOTENT_REPLAYED_HEADER]).toBe('true');
  });

  it('refuses the same key with another body (422 idempotency_key_reused), and runs nothing', async () => {
    const key = newKey();
    await keyed(key, { token: owner }).call.inventory.create(newInventoryItem({ part_name: `First ${key}` }));
    const other = newInventoryItem({ part_name: `Second ${key}` });
    const refused = await rejectionOf(keyed(key, { token: owner }).call.inventory.create(other));
    expect(refused).toMatchObject({ reason: 'idempotency_key_reused', code: 'UNPROCESSABLE_CONTENT' });
    expect(await partsNamed(other.part_name)).toBe(0);
  });

  it('refuses a repeat while the first request still runs (409 idempotency_key_in_flight), then replays its answer', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    // Registering a mechanic hashes the password first: here the hashing waits for the test.
    const slow: AppServices = {
      ...app.services,
      passwords: {
        ...app.services.passwords,
        hash: async (password) => {
          started();
          await held;
          return app.services.passwords.hash(password);
        },
      },
    };
    const key = newKey();
    const input = newMechanic();
    const first = keyed(key, { token: owner, services: slow }).call.mechanics.register(input);
    await running;
    const [same, other] = await Promise.allSettled([
      keyed(key, { token: owner }).call.mechanics.register(input),
      keyed(key, { token: owner }).call.mechanics.register(newMechanic()),
    ]);
    expect(await reasonOf(Promise.reject((same as PromiseRejectedResult).reason as Error))).toBe('idempotency_key_in_flight');
    expect(await reasonOf(Promise.reject((other as PromiseRejectedResult).reason as Error))).toBe('idempotency_key_reused');
    release();
    const created = await first;
    const repeat = keyed(key, { token: owner });
    expect(await repeat.call.mechanics.register(input)).toEqual(created);
    expect(repeat.headers[IDEMPOTENT_REPLAYED_HEADER]).toBe('true');
    expect(await app.services.db.mechanic.count({ where: { email: input.email } })).toBe(1);
  });

  it('lets many parallel repeats through once: one runs, the others are refused or replayed', async () => {
    const key = newKey();
    const input = newInventoryItem({ part_name: `Parallel ${key}` });
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => keyed(key, { token: owner }).call.inventory.create(input)));
    const refused = await Promise.all(
      results.filter((result) => result.status === 'rejected').map((result) => reasonOf(Promise.reject(result.reason as Error))),
    );
    expect(new Set(refused).size).toBeLessThanOrEqual(1);
    if (refused.length > 0) expect(refused[0]).toBe('idempotency_key_in_flight');
    const answers = results.filter((result) => result.status === 'fulfilled').map((result) => result.value);
    expect(new Set(answers.map((answer) => answer.id)).size).toBe(1);
    expect(await partsNamed(input.part_name)).toBe(1);
  });

  it('replays a domain error as the same problem, without running the request again', async () => {
    const taken = newMechanic();
    await keyed(undefined, { token: owner }).call.mechanics.register(taken);
    const key = newKey();
    const first = await rejectionOf(keyed(key, { token: owner }).call.mechanics.register(taken));
    expect(first.reason).toBe('email_taken');
    // The email is free again: a request that ran again would now succeed.
    await app.services.db.mechanic.deleteMany({ where: { email: taken.email } });
    const repeat = keyed(key, { token: owner });
    expect(await rejectionOf(repeat.call.mechanics.register(taken))).toEqual(first);
    expect(repeat.headers[IDEMPOTENT_REPLAYED_HEADER]).toBe('true');
  });

  it('lets the key go after an unexpected error, so that a retry runs again', async () => {
    const failing: AppServices = {
      ...app.services,
      passwords: {
        ...app.services.passwords,
        hash: () => Promise.reject(new Error('hashing failed')),
      },
    };
    const key = newKey();
    const input = newMechanic();
    expect(await reasonOf(keyed(key, { token: owner, services: failing }).call.mechanics.register(input))).toBe('INTERNAL_SERVER_ERROR');
    const retry = keyed(key, { token: owner });
    expect(await retry.call.mechanics.register(input)).toMatchObject({ email: input.email });
    expect(retry.headers).not.toHaveProperty(IDEMPOTENT_REPLAYED_HEADER);
  });

  it('claims nothing for an input the route refuses: the fixed request may use the same key', async () => {
    const key = newKey();
    const input = newInventoryItem({ part_name: `Fixed ${key}` });
    expect(await reasonOf(keyed(key, { token: owner }).call.inventory.create({ ...input, price: '-1.00' }))).toBe('validation_failed');
    expect(await keyed(key, { token: owner }).call.inventory.create(input)).toMatchObject({ part_name: input.part_name });
  });

  it('treats an expired key as new, and deletes expired keys as new ones come', async () => {
    const key = newKey();
    await keyed(key, { token: owner }).call.inventory.create(newInventoryItem({ part_name: `Expired ${key}` }));
    const past = new Date(Date.now() - 1000);
    await app.services.db.idempotencyKey.updateMany({ data: { expiresAt: past } });
    const again = newInventoryItem({ part_name: `After expiry ${key}` });
    const retry = keyed(key, { token: owner });
    await retry.call.inventory.create(again);
    expect(retry.headers).not.toHaveProperty(IDEMPOTENT_REPLAYED_HEADER);
    expect(await partsNamed(again.part_name)).toBe(1);
    // Every other key had expired too: the claims since deleted them.
    expect((await keyRows()).every((row) => row.expiresAt > new Date())).toBe(true);
  });

  it('keeps a key for IDEMPOTENCY_KEY_TTL_HOURS', async () => {
    const key = newKey();
    const before = Date.now();
    await keyed(key, { token: owner }).call.inventory.create(newInventoryItem({ part_name: `Kept ${key}` }));
    const newest = (await keyRows()).sort((a, b) => b.id - a.id)[0]!;
    const hours = (newest.expiresAt.getTime() - before) / 3_600_000;
    expect(hours).toBeGreaterThan(app.services.idempotency.ttlHours - 0.01);
    expect(hours).toBeLessThan(app.services.idempotency.ttlHours + 0.01);
  });

  it("belongs to one account and one route: another caller's or another route's key of the same name is another key", async () => {
    const key = newKey();
    const input = newInventoryItem({ part_name: `Scoped ${key}` });
    const mine = await keyed(key, { token: owner }).call.inventory.create(input);
    const theirs = keyed(key, { token: writer });
    expect((await theirs.call.inventory.create(input)).id).not.toBe(mine.id);
    expect(theirs.headers).not.toHaveProperty(IDEMPOTENT_REPLAYED_HEADER);
    const customer = await signUpCustomer(app);
    const otherRoute = keyed(key, { token: owner });
    await otherRoute.call.serviceTickets.open({ ...newTicket(), customer_id: customer.customer.id });
    expect(otherRoute.headers).not.toHaveProperty(IDEMPOTENT_REPLAYED_HEADER);
    expect(await partsNamed(input.part_name)).toBe(2);
  });

  it('matches keys exactly, on every database: case and trailing spaces make another key', async () => {
    const key = `Case-${newKey()}`;
    const input = newInventoryItem({ part_name: `Exact ${key}` });
    await keyed(key, { token: owner }).call.inventory.create(input);
    for (const other of [key.toLowerCase(), `${key} `]) {
      const call = keyed(other, { token: owner });
      await call.call.inventory.create(input);
      expect(call.headers).not.toHaveProperty(IDEMPOTENT_REPLAYED_HEADER);
    }
    expect(await partsNamed(input.part_name)).toBe(3);
  });

  it('takes the key bare or as the draft writes it, a structured-field string', async () => {
    const key = newKey();
    const input = newInventoryItem({ part_name: `Quoted ${key}` });
    await keyed(`"${key}"`, { token: owner }).call.inventory.create(input);
    const bare = keyed(key, { token: owner });
    await bare.call.inventory.create(input);
    expect(bare.headers[IDEMPOTENT_REPLAYED_HEADER]).toBe('true');
  });

  it.each([
    ['empty', ''],
    ['longer than 255 characters', 'k'.repeat(256)],
    ['not printable ASCII', 'clé'],
    ['a control character', 'a\tb'],
  ])('refuses a key that is %s (400 naming the header)', async (_name, key) => {
    const error = await keyed(key, { token: owner })
      .call.inventory.create(newInventoryItem())
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ problem: 'validation_failed', fields: [{ field: 'Idempotency-Key' }] });
  });

  it('scopes anonymous calls by client address', async () => {
    const key = newKey();
    const input = newMechanic();
    // The shop already has its founder: anonymous registrations are refused, and the refusal is what is replayed.
    const first = await rejectionOf(keyed(key, { clientIp: '203.0.113.7' }).call.mechanics.register(input));
    const repeat = keyed(key, { clientIp: '203.0.113.7' });
    expect(await rejectionOf(repeat.call.mechanics.register(input))).toEqual(first);
    expect(repeat.headers[IDEMPOTENT_REPLAYED_HEADER]).toBe('true');
    const elsewhere = keyed(key, { clientIp: '203.0.113.8' });
    await elsewhere.call.mechanics.register(input).catch(() => undefined);
    expect(elsewhere.headers).not.toHaveProperty(IDEMPOTENT_REPLAYED_HEADER);
  });

  it('records no login: a retried login logs in again, and no token is kept', async () => {
    const key = newKey();
    const input = newMechanic();
    await keyed(undefined, { token: owner }).call.mechanics.register(input);
    const before = (await keyRows()).length;
    const credentials = { email: input.email, password: input.password };
    await keyed(key).call.mechanics.logIn(credentials);
    const again = keyed(key);
    await again.call.mechanics.logIn(credentials);
    expect(again.headers).not.toHaveProperty(IDEMPOTENT_REPLAYED_HEADER);
    expect((await keyRows()).length).toBe(before);
  });

  it('is ignored on other methods (PUT, DELETE) and on reads', async () => {
    const before = (await keyRows()).length;
    const key = newKey();
    const part = await keyed(undefined, { token: owner }).call.inventory.create(newInventoryItem());
    await keyed(key, { token: owner }).call.inventory.update({ id: part.id, quantity: 2 });
    await keyed(key, { token: owner }).call.inventory.update({ id: part.id, quantity: 3 });
    await keyed(key, { token: owner }).call.inventory.byId({ id: part.id });
    expect((await keyRows()).length).toBe(before);
  });
});

describe("a route with idempotency: 'required'", () => {
  const probeRouter = router({
    pay: mechanicProcedure
      .meta(
        route({
          method: 'POST',
          path: '/probe',
          rateLimit: 'write',
          invalidates: [],
          idempotency: 'required',
          tags: ['probe'],
          summary: 'Probe',
        }),
      )
      .input(z.object({}))
      .output(z.literal('ran'))
      .mutation(() => 'ran' as const),
  });

  it('refuses a POST without a key (400 idempotency_key_required) before running it', async () => {
    const context = createContext(app.services, {
      clientIp: '127.0.0.1',
      authorization: `Bearer ${owner}`,
      requestId: 'probe',
      userAgent: '',
    });
    const error = await createCallerFactory(probeRouter)(context)
      .pay({})
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ problem: 'idempotency_key_required', code: 'BAD_REQUEST' });
  });

  it('is only ever set on POST mutations', () => {
    const required = listProcedures().filter(({ meta }) => meta.idempotency === 'required');
    for (const { path, type, meta } of required) expect([path, type, meta.openapi?.method]).toEqual([path, 'mutation', 'POST']);
  });

  it('fits every POST route in the key table: the scope of any account, or of an anonymous client, and the route', () => {
    for (const { path, meta } of listProcedures().filter(({ meta }) => meta.openapi?.method === 'POST')) {
      expect(`staff:2147483647:${path}`.length, path).toBeLessThanOrEqual(100);
      expect(`client:${'0'.repeat(16)}:${path}`.length, path).toBeLessThanOrEqual(100);
      expect(meta.openapi?.method).toBe('POST');
    }
  });
});
