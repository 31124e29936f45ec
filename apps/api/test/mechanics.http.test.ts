import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { newMechanic, registerCustomer, registerMechanic } from './accounts.ts';
import { request, startTestServer, type TestServer } from './server-harness.ts';

describe('POST /mechanics on a new shop', () => {
  it('is open for the first account only; then 401 without a token', async () => {
    const server = await startTestServer();
    try {
      const first = await request(server, 'POST', '/mechanics', { json: newMechanic() });
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ salary: '58000.00', role: 'owner' });
      const anonymous = await request(server, 'POST', '/mechanics', { json: newMechanic() });
      expect(anonymous.status).toBe(401);
    } finally {
      await server.close();
    }
  });
});

describe('mechanics', () => {
  let server: TestServer;
  let owner: Awaited<ReturnType<typeof registerMechanic>>;
  beforeAll(async () => {
    server = await startTestServer();
    owner = await registerMechanic(server);
  });
  afterAll(() => server.close());

  it("POST /mechanics with the owner's token adds staff, a technician unless the body names another role; a taken email is 409", async () => {
    const body = newMechanic();
    expect(await request(server, 'POST', '/mechanics', { json: body, token: owner.token })).toMatchObject({
      status: 201,
      body: { role: 'technician' },
    });
    expect((await request(server, 'POST', '/mechanics', { json: body, token: owner.token })).status).toBe(409);
    const writer = await request(server, 'POST', '/mechanics', { json: newMechanic({ role: 'service_writer' }), token: owner.token });
    expect(writer).toMatchObject({ status: 201, body: { role: 'service_writer' } });
  });

  it('GET /mechanics and /mechanics/{id}: id, name and role for the public, contact details for staff, a salary for its own account and the owner only', async () => {
    const customer = await registerCustomer(server);
    const colleague = await registerMechanic(server);
    const publicList = await request(server, 'GET', '/mechanics');
    expect(publicList.status).toBe(200);
    expect(publicList.body.items[0]).toEqual({ id: owner.id, name: 'Grace Hopper', role: 'owner' });
    expect((await request(server, 'GET', `/mechanics/${owner.id}`, { token: customer.token })).body).toEqual({
      id: owner.id,
      name: 'Grace Hopper',
      role: 'owner',
    });
    const own = await request(server, 'GET', `/mechanics/${owner.id}`, { token: owner.token });
    expect(own.body).toMatchObject({ id: owner.id, email: owner.email, salary: '58000.00' });
    const seenByColleague = await request(server, 'GET', `/mechanics/${owner.id}`, { token: colleague.token });
    expect(seenByColleague.body).toMatchObject({ id: owner.id, email: owner.email });
    expect(seenByColleague.body).not.toHaveProperty('salary');
    // Each caller in turn, over REST and tRPC: no caller is served another's answer from the cache.
    const trpcList = `/trpc/mechanics.list?input=${encodeURIComponent('{"per_page":100}')}`;
    const salariesSeenBy = async (caller: { token: string }) => {
      const rest = await request(server, 'GET', '/mechanics?per_page=100', { token: caller.token });
      const trpc = await request(server, 'GET', trpcList, { token: caller.token });
      return [rest.body.items, trpc.body.result.data.items].map((items: Array<{ id: number; salary?: string }>) =>
        items.filter((item) => item.salary !== undefined).map((item) => item.id),
      );
    };
    const everyone = (await request(server, 'GET', '/mechanics?per_page=100')).body.items.map((item: { id: number }) => item.id);
    for (const [caller, seen] of [
      [owner, everyone],
      [colleague, [colleague.id]],
      [owner, everyone],
      [colleague, [colleague.id]],
    ] as const) {
      expect(await salariesSeenBy(caller)).toEqual([seen, seen]);
    }
    expect((await request(server, 'GET', '/mechanics/424242')).status).toBe(404);
  });

  it('POST /mechanics/login gives a mechanic token; wrong credentials are 401', async () => {
    const body = newMechanic();
    await request(server, 'POST', '/mechanics', { json: body, token: owner.token });
    expect((await request(server, 'POST', '/mechanics/login', { json: { email: body.email, password: body.password } })).status).toBe(200);
    expect((await request(server, 'POST', '/mechanics/login', { json: { email: body.email, password: 'nope' } })).status).toBe(401);
  });

  it('PUT and DELETE /mechanics/{id} change and remove your own account', async () => {
    const other = await registerMechanic(server);
    const changed = await request(server, 'PUT', `/mechanics/${other.id}`, { json: { phone: '555 0123' }, token: other.token });
    expect(changed).toMatchObject({ status: 200, body: { phone: '555 0123' } });
    expect((await request(server, 'DELETE', `/mechanics/${other.id}`, { token: other.token })).status).toBe(204);
    expect((await request(server, 'GET', `/mechanics/${other.id}`)).status).toBe(404);
  });
});

describe('staff roles', () => {
  let server: TestServer;
  let owner: Awaited<ReturnType<typeof registerMechanic>>;
  beforeEach(async () => {
    server = await startTestServer();
    owner = await registerMechanic(server);
  });
  afterEach(() => server.close());

  const setRole = (caller: { token: string }, id: number, role: string) =>
    request(server, 'PUT', `/mechanics/${id}/role`, { token: caller.token, json: { role } });

  it('PUT /mechanics/{id}/role changes a role, which applies from the next request on, without a new login', async () => {
    const technician = await registerMechanic(server, { role: 'technician' });
    const stockPart = () =>
      request(server, 'POST', '/inventory', { token: technician.token, json: { part_name: 'Fuse', price: '1.00', quantity: 1 } });
    const me = async () => (await request(server, 'GET', '/me', { token: technician.token })).body.role;
    expect([(await stockPart()).status, await me()]).toEqual([403, 'technician']);

    expect(await setRole(owner, technician.id, 'service_writer')).toMatchObject({
      status: 200,
      body: { id: technician.id, role: 'service_writer', email: technician.email },
    });
    expect([(await stockPart()).status, await me()]).toEqual([201, 'service_writer']);

    expect((await setRole(owner, technician.id, 'technician')).status).toBe(200);
    expect([(await stockPart()).status, await me()]).toEqual([403, 'technician']);
  });

  it('refuses to leave the shop without an owner: demoting or deleting the last owner is a 409 last_owner', async () => {
    const writer = await registerMechanic(server, { role: 'service_writer' });
    expect(await setRole(owner, owner.id, 'service_writer')).toMatchObject({ status: 409, body: { code: 'last_owner' } });
    expect(await request(server, 'DELETE', `/mechanics/${owner.id}`, { token: owner.token })).toMatchObject({
      status: 409,
      body: { code: 'last_owner' },
    });

    // With a second owner, the first may step down.
    expect((await setRole(owner, writer.id, 'owner')).status).toBe(200);
    expect(await setRole(owner, owner.id, 'technician')).toMatchObject({ status: 200, body: { role: 'technician' } });
    expect(await setRole(writer, writer.id, 'service_writer')).toMatchObject({ status: 409, body: { code: 'last_owner' } });
    expect((await request(server, 'GET', `/mechanics/${writer.id}`)).body.role).toBe('owner');
  });

  it('leaves one owner when two owners demote each other at once', async () => {
    const second = await registerMechanic(server, { role: 'owner' });
    const answers = await Promise.all([setRole(owner, second.id, 'technician'), setRole(second, owner.id, 'technician')]);
    // The loser is refused as no longer an owner (403) when the winner's change came first, or as the last owner (409).
    const [won, lost] = answers.map(({ status }) => status).sort();
    expect([won, [403, 409].includes(lost!)]).toEqual([200, true]);
    const { items } = (await request(server, 'GET', '/mechanics?per_page=100')).body;
    expect(items.filter((item: { role: string }) => item.role === 'owner')).toHaveLength(1);
  });
});

describe('GET /me', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('says who the token belongs to: a customer, or a member of staff with their role; 401 without a token', async () => {
    await registerMechanic(server);
    const writer = await registerMechanic(server, { role: 'service_writer', name: 'Katherine Johnson' });
    const customer = await registerCustomer(server, { name: 'Ada Lovelace' });
    expect((await request(server, 'GET', '/me', { token: customer.token })).body).toEqual({
      kind: 'customer',
      id: customer.id,
      name: 'Ada Lovelace',
      email: customer.email,
      shop: { name: 'Mechanic Shop', currency: 'USD' },
    });
    expect((await request(server, 'GET', '/me', { token: writer.token })).body).toEqual({
      kind: 'staff',
      id: writer.id,
      name: 'Katherine Johnson',
      email: writer.email,
      role: 'service_writer',
      shop: { name: 'Mechanic Shop', currency: 'USD' },
    });
    expect((await request(server, 'GET', '/me')).status).toBe(401);
  });
});

describe('changing credentials', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('a new password, then a new email, each make the tokens issued before a 401; a new login works', async () => {
    const mechanic = await registerMechanic(server);
    expect((await request(server, 'GET', '/customers', { token: mechanic.token })).status).toBe(200);
    const changed = await request(server, 'PUT', `/mechanics/${mechanic.id}`, {
      token: mechanic.token,
      json: { password: 'another long phrase' },
    });
    expect(changed.status).toBe(200);
    expect((await request(server, 'GET', '/customers', { token: mechanic.token })).status).toBe(401);
    const second = await request(server, 'POST', '/mechanics/login', { json: { email: mechanic.email, password: 'another long phrase' } });
    expect(second.status).toBe(200);

    const email = `renamed.${mechanic.email}`;
    expect((await request(server, 'PUT', `/mechanics/${mechanic.id}`, { token: second.body.token, json: { email } })).status).toBe(200);
    expect((await request(server, 'GET', '/customers', { token: second.body.token })).status).toBe(401);
    const third = await request(server, 'POST', '/mechanics/login', { json: { email, password: 'another long phrase' } });
    expect((await request(server, 'GET', '/customers', { token: third.body.token })).status).toBe(200);
  });
});
