import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newMechanic, registerCustomer, registerMechanic } from './accounts.ts';
import { request, startTestServer, type TestServer } from './server-harness.ts';

describe('POST /mechanics on a new shop', () => {
  it('is open for the first account only; then 401 without a token', async () => {
    const server = await startTestServer();
    try {
      const first = await request(server, 'POST', '/mechanics', { json: newMechanic() });
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ salary: '58000.00' });
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

  it('POST /mechanics with a mechanic token adds staff; a taken email is 409', async () => {
    const body = newMechanic();
    expect((await request(server, 'POST', '/mechanics', { json: body, token: owner.token })).status).toBe(201);
    expect((await request(server, 'POST', '/mechanics', { json: body, token: owner.token })).status).toBe(409);
  });

  it('GET /mechanics and /mechanics/{id}: id and name for the public, contact details for mechanics, a salary for its own account only', async () => {
    const customer = await registerCustomer(server);
    const colleague = await registerMechanic(server);
    const publicList = await request(server, 'GET', '/mechanics');
    expect(publicList.status).toBe(200);
    expect(publicList.body.items[0]).toEqual({ id: owner.id, name: 'Grace Hopper' });
    expect((await request(server, 'GET', `/mechanics/${owner.id}`, { token: customer.token })).body).toEqual({
      id: owner.id,
      name: 'Grace Hopper',
    });
    const own = await request(server, 'GET', `/mechanics/${owner.id}`, { token: owner.token });
    expect(own.body).toMatchObject({ id: owner.id, email: owner.email, salary: '58000.00' });
    const seenByColleague = await request(server, 'GET', `/mechanics/${owner.id}`, { token: colleague.token });
    expect(seenByColleague.body).toMatchObject({ id: owner.id, email: owner.email });
    expect(seenByColleague.body).not.toHaveProperty('salary');
    // Each caller in turn, over REST and tRPC: no mechanic is served another's answer from the cache.
    const trpcList = `/trpc/mechanics.list?input=${encodeURIComponent('{"per_page":100}')}`;
    for (const caller of [owner, colleague, owner, colleague]) {
      const rest = await request(server, 'GET', '/mechanics?per_page=100', { token: caller.token });
      const trpc = await request(server, 'GET', trpcList, { token: caller.token });
      for (const items of [rest.body.items, trpc.body.result.data.items]) {
        expect(items.filter((item: { salary?: string }) => item.salary !== undefined).map((item: { id: number }) => item.id)).toEqual([
          caller.id,
        ]);
      }
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
