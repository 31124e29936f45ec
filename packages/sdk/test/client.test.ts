import { randomUUID } from 'node:crypto';
import { listProcedures } from '@mechanic-shop/core';
import { uniqueVin } from '@mechanic-shop/core/testing';
import { startTcpProxy, startTestServer, type TestServer } from '@mechanic-shop/api/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYED_PROCEDURES } from '../src/client.ts';
import { createMechanicShopClient, createSession, isMechanicShopError, withIdempotencyKey, type MechanicShopClient } from '../src/index.ts';

let server: TestServer;
let shop: MechanicShopClient;
let staff: MechanicShopClient;
let staffToken: string;
let founderId: number;

let sequence = 0;
const account = (role: string) => ({
  name: 'Sam Client',
  email: `${role}.${process.pid}.${++sequence}@example.com`,
  phone: '+1 555 0100',
  address: '1 Main St',
  password: 'correct horse battery',
});

beforeAll(async () => {
  server = await startTestServer();
  shop = createMechanicShopClient({ url: server.url });
  const founder = account('founder');
  founderId = (await shop.mechanics.register.mutate({ ...founder, salary: '50000' })).id;
  const { token } = await shop.mechanics.logIn.mutate({ email: founder.email, password: founder.password });
  staffToken = token;
  staff = createMechanicShopClient({ url: `${server.url}/`, token });
});
afterAll(() => server.close());

async function customerClient() {
  const input = account('customer');
  const customer = await shop.customers.register.mutate(input);
  const { token } = await shop.customers.logIn.mutate({ email: input.email, password: input.password });
  return { customer, client: createMechanicShopClient({ url: server.url, token }) };
}

describe('createMechanicShopClient', () => {
  it('calls protected procedures with the token it was given', async () => {
    const { customer } = await customerClient();
    const page = await staff.customers.list.query({ page: 1, per_page: 100 });
    expect(page.items).toContainEqual(customer);
  });

  it('reads the token from getToken before every call', async () => {
    let token: string | undefined = undefined;
    const client = createMechanicShopClient({ url: server.url, getToken: () => token });
    const input = account('customer');
    const created = await client.customers.register.mutate(input);
    ({ token } = await client.customers.logIn.mutate({ email: input.email, password: input.password }));
    expect(await client.customers.byId.query({ id: created.id })).toEqual(created);
  });

  it('rejects with typed errors the caller can switch on', async () => {
    const error = await shop.customers.list.query({}).catch((caught: unknown) => caught);
    expect(isMechanicShopError(error)).toBe(true);
    if (!isMechanicShopError(error)) return;
    expect(error.data?.reason).toBe('unauthenticated');
    expect(error.data?.httpStatus).toBe(401);
    const invalid = await shop.customers.register.mutate({ ...account('customer'), email: 'nope' }).catch((caught: unknown) => caught);
    expect(isMechanicShopError(invalid) && invalid.data?.fields?.map((field) => field.field)).toEqual(['email']);
  });

  it('runs a whole repair through every router: ticket, inventory, assignment, parts, top mechanics', async () => {
    const { client: owner } = await customerClient();
    const ticket = await owner.serviceTickets.open.mutate({ title: 'Noise', vin: '1HGCM82633A004352', service_date: '2026-12-01' });
    const part = await staff.inventory.create.mutate({ part_name: 'Belt', price: '30.00', quantity: 3 });
    await staff.assignments.create.mutate({ service_ticket_id: ticket.id, mechanic_id: founderId });
    const withPart = await staff.serviceTickets.addPart.mutate({ id: ticket.id, inventory_id: part.id, quantity: 2 });
    expect(withPart).toMatchObject({ parts_total: '60.00', total: '60.00', mechanics: [{ id: founderId }] });
    // Work starts on approved jobs: the customer approves the one the part went to.
    await owner.approvals.create.mutate({
      id: ticket.id,
      estimate_version: withPart.estimate_version,
      decisions: [{ job_id: withPart.jobs[0]!.id, decision: 'approve' }],
      signature_name: 'Ada',
    });
    const edited = await staff.serviceTickets.edit.mutate({ id: ticket.id, status: 'IN_PROGRESS', cost: 80 });
    expect(edited.total).toBe('140.00');
    expect((await owner.customers.myTickets.query({})).items.map((item) => item.id)).toEqual([ticket.id]);
    expect((await shop.mechanics.top.query({ limit: 1 })).items).toEqual([{ id: founderId, name: 'Sam Client', ticket_count: 1 }]);
  });

  it('createSession logs in once, reuses the token, and logs in again before it expires', async () => {
    const input = account('customer');
    await shop.customers.register.mutate(input);
    let clock = Date.now();
    const session = createSession({ url: server.url, role: 'customer', email: input.email, password: input.password, now: () => clock });
    const logins = () => server.logs.filter((line) => String(line.route).includes('customers.logIn')).length;
    const before = logins();
    const [me] = await Promise.all([session.client.customers.myTickets.query({}), session.client.customers.myTickets.query({ page: 2 })]);
    expect(me.total).toBe(0);
    await session.client.customers.myTickets.query({});
    expect(logins() - before).toBe(1);
    clock += 3_600_000 - 20_000; // within 30 s of the one-hour expiry
    await session.client.customers.myTickets.query({});
    expect(logins() - before).toBe(2);
    session.reset();
    expect(await session.token()).toMatch(/^ey/);
    expect(logins() - before).toBe(3);
  });

  it('createSession reports wrong credentials as a typed error, and recovers once they work', async () => {
    const input = account('mechanic');
    const session = createSession({ url: server.url, role: 'mechanic', email: input.email, password: input.password });
    const error = await session.client.inventory.list.query({}).catch((caught: unknown) => caught);
    expect(isMechanicShopError(error) && error.data?.reason).toBe('invalid_credentials');
    // The account now exists: the same session logs in on its next call, without a reset.
    await staff.mechanics.register.mutate({ ...input, salary: '50000' });
    expect(await session.client.inventory.list.query({})).toMatchObject({ page: 1, items: expect.any(Array) });
  });

  it('batches calls made together into one HTTP request', async () => {
    const before = server.logs.length;
    await Promise.all([shop.mechanics.list.query({}), shop.mechanics.list.query({ page: 2 }), shop.mechanics.list.query({ per_page: 5 })]);
    const lines = server.logs.slice(before).filter((line) => String(line.route).startsWith('trpc:'));
    expect(lines).toHaveLength(1);
    expect(lines[0]!.route).toBe('trpc:mechanics.list,mechanics.list,mechanics.list');
  });

  it('splits a batch whose URL would pass the server header limit, and a single call too long is a typed error', async () => {
    // 'é' is six characters in a URL (%C3%A9): 50 searches of 100 make a batched GET of about 33 KB, past
    // the server's 16 KiB limit on a request line and headers (431, and every call failed before).
    const searches = Array.from({ length: 50 }, (_, index) => staff.inventory.list.query({ q: `${index}${'é'.repeat(99)}` }));
    const pages = await Promise.all(searches);
    expect(pages.map((page) => page.total)).toEqual(Array(50).fill(0));
    const requests = server.logs.filter((line) => String(line.route).startsWith('trpc:inventory.list')).length;
    expect(requests).toBeGreaterThan(1);

    const alone = await staff.inventory.list.query({ q: 'é'.repeat(3_000) }).catch((caught: unknown) => caught);
    expect(isMechanicShopError(alone)).toBe(true);
    if (!isMechanicShopError(alone)) return;
    expect(alone.data).toMatchObject({ reason: 'headers_too_large', httpStatus: 431 });

    // The server's own refusals before tRPC (here its 431 for oversized headers) are problem details, not tRPC's envelope.
    const padded = createMechanicShopClient({ url: server.url, headers: { 'x-padding': 'a'.repeat(17_000) } });
    const refused = await padded.mechanics.top.query({ limit: 1 }).catch((caught: unknown) => caught);
    expect(isMechanicShopError(refused) && refused.data).toMatchObject({
      reason: 'headers_too_large',
      httpStatus: 431,
      code: 'BAD_REQUEST',
    });
  });
});

describe('calls with an idempotency key', () => {
  it('every payment and refund call carries a key of its own, the routes that require one', async () => {
    const required = listProcedures()
      .filter(({ meta }) => meta.idempotency === 'required')
      .map(({ path }) => path);
    expect([...KEYED_PROCEDURES].sort()).toEqual(required.sort());

    const sent: Array<{ url: string; key: string | null }> = [];
    const recording = createMechanicShopClient({
      url: server.url,
      token: staffToken,
      fetch: (input, init) => {
        sent.push({ url: new Request(input).url, key: new Headers(init?.headers).get('idempotency-key') });
        return fetch(input, init);
      },
    });
    const pay = () => recording.payments.create.mutate({ number: 'INV-999999', amount: '10.00', method: 'cash' });
    // Each reached the invoice lookup (404), past the 400 a call without a key gets.
    const refusals = await Promise.all([pay(), pay()].map((call) => call.catch((caught: unknown) => caught)));
    expect(refusals.map((error) => isMechanicShopError(error) && error.data?.reason)).toEqual(['not_found', 'not_found']);
    expect(sent.map(({ url }) => new URL(url).pathname)).toEqual(['/trpc/payments.create', '/trpc/payments.create']);
    const [first, second] = sent.map(({ key }) => key);
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(second).not.toBe(first);
  });

  it('sends a keyed call alone, with its header, while the other calls of the tick share a batch', async () => {
    const before = server.logs.length;
    const key = randomUUID();
    await Promise.all([
      staff.mechanics.list.query({}),
      staff.inventory.create.mutate({ part_name: `Alone ${key}`, price: '5.00' }, withIdempotencyKey(key)),
      staff.mechanics.top.query({ limit: 1 }),
    ]);
    const routes = server.logs
      .slice(before)
      .map((line) => String(line.route))
      .sort();
    expect(routes).toEqual(['trpc:inventory.create', 'trpc:mechanics.list,mechanics.top']);
  });

  it('sends a keyed call again after the connection broke on its answer, and the server ran it once', async () => {
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(server.url).port) });
    try {
      const client = createMechanicShopClient({ url: `http://127.0.0.1:${proxy.port}`, token: staffToken, retryDelayMs: 10 });
      const key = randomUUID();
      const part_name = `Retried ${key}`;
      const before = server.logs.length;
      proxy.loseNextAnswer();
      const created = await client.inventory.create.mutate({ part_name, price: '12.50', quantity: 2 }, withIdempotencyKey(key));
      expect(created).toMatchObject({ part_name, quantity: 2 });
      const calls = server.logs.slice(before).filter((line) => line.route === 'trpc:inventory.create');
      expect(calls).toHaveLength(2);
      const stock = await staff.inventory.list.query({ q: part_name });
      expect(stock.items).toEqual([created]);
    } finally {
      await proxy.close();
    }
  });

  it('records a payment once when its answer is lost: the retry gets the first answer', async () => {
    const { client: customer } = await customerClient();
    const ticket = await customer.serviceTickets.open.mutate({ title: 'Brakes', vin: uniqueVin(), service_date: '2026-12-01' });
    const job = (await staff.serviceTickets.addJob.mutate({ id: ticket.id, title: 'Front brakes' })).jobs[0]!;
    const priced = await staff.serviceTickets.addLine.mutate({
      id: ticket.id,
      job_id: job.id,
      type: 'labor',
      description: 'Pads',
      hours: '1.00',
    });
    await customer.approvals.create.mutate({
      id: ticket.id,
      estimate_version: priced.estimate_version,
      decisions: [{ job_id: job.id, decision: 'approve' }],
      signature_name: 'Ada',
    });
    for (const status of ['IN_PROGRESS', 'COMPLETED'] as const) await staff.serviceTickets.edit.mutate({ id: ticket.id, status });
    const { number } = await staff.invoices.create.mutate({ id: ticket.id });

    const proxy = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(server.url).port) });
    try {
      const cashier = createMechanicShopClient({ url: `http://127.0.0.1:${proxy.port}`, token: staffToken, retryDelayMs: 10 });
      const before = server.logs.length;
      proxy.loseNextAnswer();
      const payment = await cashier.payments.create.mutate({ number, amount: '50.00', method: 'card' });
      expect(server.logs.slice(before).filter((line) => line.route === 'trpc:payments.create')).toHaveLength(2);
      const invoice = await staff.invoices.byNumber.query({ number });
      expect(invoice.payments.map(({ id }) => id)).toEqual([payment.id]);
      expect(invoice.paid).toBe('50.00');
    } finally {
      await proxy.close();
    }
  });

  it('never sends a call without a key again: its lost answer is the caller’s error', async () => {
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(server.url).port) });
    try {
      const client = createMechanicShopClient({ url: `http://127.0.0.1:${proxy.port}`, token: staffToken, retryDelayMs: 10 });
      const part_name = `Unkeyed ${randomUUID()}`;
      proxy.loseNextAnswer();
      const error = await client.inventory.create.mutate({ part_name, price: '1.00' }).catch((caught: unknown) => caught);
      expect(isMechanicShopError(error)).toBe(false);
      expect((await staff.inventory.list.query({ q: part_name })).total).toBe(1);
    } finally {
      await proxy.close();
    }
  });

  it('waits for a first attempt still running, then gets its answer', async () => {
    const key = randomUUID();
    const input = { part_name: `Waited ${key}`, price: '3.00' };
    const [first, second] = await Promise.all([
      staff.inventory.create.mutate(input, withIdempotencyKey(key)),
      staff.inventory.create.mutate(input, withIdempotencyKey(key)),
    ]);
    expect(second).toEqual(first);
    expect((await staff.inventory.list.query({ q: input.part_name })).total).toBe(1);
  });
});
