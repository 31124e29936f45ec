import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mechanicBody, registerCustomer, registerMechanic } from './accounts.ts';
import { request, startTestServer, type TestServer } from './server-harness.ts';

describe('POST /mechanics on a new shop', () => {
  it('is open for the first account only; then 401 without a token and 403 with a customer token', async () => {
    const server = await startTestServer();
    try {
      const first = await request(server, 'POST', '/mechanics', { json: mechanicBody() });
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ salary: '58000.00' });
      const anonymous = await request(server, 'POST', '/mechanics', { json: mechanicBody() });
      expect(anonymous.status).toBe(401);
      const customer = await registerCustomer(server);
      expect((await request(server, 'POST', '/mechanics', { json: mechanicBody(), token: customer.token })).status).toBe(403);
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
    const body = mechanicBody();
    expect((await request(server, 'POST', '/mechanics', { json: body, token: owner.token })).status).toBe(201);
    expect((await request(server, 'POST', '/mechanics', { json: body, token: owner.token })).status).toBe(409);
  });

  it('GET /mechanics and /mechanics/{id} show id and name to the public and everything to mechanics', async () => {
    const customer = await registerCustomer(server);
    const publicList = await request(server, 'GET', '/mechanics');
    expect(publicList.status).toBe(200);
    expect(publicList.body.items[0]).toEqual({ id: owner.id, name: 'Grace Hopper' });
    expect((await request(server, 'GET', `/mechanics/${owner.id}`, { token: customer.token })).body).toEqual({
      id: owner.id,
      name: 'Grace Hopper',
    });
    const staff = await request(server, 'GET', `/mechanics/${owner.id}`, { token: owner.token });
    expect(staff.body).toMatchObject({ id: owner.id, email: owner.email, salary: '58000.00' });
    expect((await request(server, 'GET', '/mechanics/424242')).status).toBe(404);
  });

  it('POST /mechanics/login gives a mechanic token; wrong credentials are 401', async () => {
    const body = mechanicBody();
    await request(server, 'POST', '/mechanics', { json: body, token: owner.token });
    expect((await request(server, 'POST', '/mechanics/login', { json: { email: body.email, password: body.password } })).status).toBe(200);
    expect((await request(server, 'POST', '/mechanics/login', { json: { email: body.email, password: 'nope' } })).status).toBe(401);
  });

  it('PUT and DELETE /mechanics/{id}: own account only, mechanics only', async () => {
    const other = await registerMechanic(server);
    const customer = await registerCustomer(server);
    expect((await request(server, 'PUT', `/mechanics/${other.id}`, { json: { phone: '555' } })).status).toBe(401);
    expect((await request(server, 'PUT', `/mechanics/${other.id}`, { json: { phone: '555' }, token: customer.token })).status).toBe(403);
    expect((await request(server, 'PUT', `/mechanics/${other.id}`, { json: { phone: '555' }, token: owner.token })).status).toBe(403);
    const changed = await request(server, 'PUT', `/mechanics/${other.id}`, { json: { phone: '555 0123' }, token: other.token });
    expect(changed).toMatchObject({ status: 200, body: { phone: '555 0123' } });
    expect((await request(server, 'DELETE', `/mechanics/${other.id}`, { token: owner.token })).status).toBe(403);
    expect((await request(server, 'DELETE', `/mechanics/${other.id}`, { token: other.token })).status).toBe(204);
  });
});
