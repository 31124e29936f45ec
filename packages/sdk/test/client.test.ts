import { startTestServer, type TestServer } from '@mechanic-shop/api/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMechanicShopClient, createSession, isMechanicShopError, type MechanicShopClient } from '../src/index.ts';

let server: TestServer;
let shop: MechanicShopClient;
let staff: MechanicShopClient;
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
