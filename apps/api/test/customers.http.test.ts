import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, startTestServer, type TestServer } from './server-harness.ts';
import { newCustomer, PASSWORD, registerCustomer, registerMechanic } from './accounts.ts';

let server: TestServer;
let mechanicToken: string;

beforeAll(async () => {
  server = await startTestServer();
  ({ token: mechanicToken } = await registerMechanic(server));
});
afterAll(() => server.close());

describe('POST /customers', () => {
  it('201 with the customer and no password or hash', async () => {
    const body = newCustomer();
    const response = await request(server, 'POST', '/customers', { json: body });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ id: expect.any(Number), name: body.name, email: body.email, phone: body.phone, address: body.address });
    expect(JSON.stringify(response.body)).not.toMatch(/password|hash/i);
  });

  it('409 email_taken for an email already registered, in any case or spacing', async () => {
    const body = newCustomer();
    await request(server, 'POST', '/customers', { json: body });
    const again = await request(server, 'POST', '/customers', { json: { ...body, email: ` ${body.email.toUpperCase()} ` } });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'email_taken', status: 409, type: '/problems/email_taken' });
  });

  it('400 listing every bad field, as problem+json', async () => {
    const response = await request(server, 'POST', '/customers', {
      json: { name: '', email: 'not-an-email', phone: 'x', address: 'somewhere', password: 'short', role: 'mechanic' },
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.body.code).toBe('validation_failed');
    expect(response.body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
      'email',
      'name',
      'password',
      'phone',
      'role',
    ]);
  });
});

describe('POST /customers/login', () => {
  it('200 with a bearer token', async () => {
    const body = newCustomer();
    await request(server, 'POST', '/customers', { json: body });
    const response = await request(server, 'POST', '/customers/login', { json: { email: body.email, password: body.password } });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ token: expect.any(String), token_type: 'Bearer', expires_in: 3600 });
  });

  it('401 with the same message for a wrong password and an unknown email', async () => {
    const body = newCustomer();
    await request(server, 'POST', '/customers', { json: body });
    const wrong = await request(server, 'POST', '/customers/login', { json: { email: body.email, password: 'wrong password' } });
    const unknown = await request(server, 'POST', '/customers/login', { json: { email: 'nobody@example.com', password: body.password } });
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect(wrong.body.detail).toBe(unknown.body.detail);
    expect(wrong.body.code).toBe('invalid_credentials');
  });
});

describe('GET /customers', () => {
  it('200 with the paginated list for a mechanic; 400 for bad paging values', async () => {
    await registerCustomer(server);
    const page = await request(server, 'GET', '/customers?page=1&per_page=1', { token: mechanicToken });
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ page: 1, per_page: 1, items: [expect.objectContaining({ id: expect.any(Number) })] });
    expect(page.body.pages).toBe(page.body.total);
    for (const query of ['per_page=101', 'page=0', 'page=abc', 'per_page=', 'unknown=1']) {
      const bad = await request(server, 'GET', `/customers?${query}`, { token: mechanicToken });
      expect(bad.status, query).toBe(400);
    }
  });
});

describe('GET/PUT/DELETE /customers/{id}', () => {
  it('GET answers the account asked for; unknown ids 404, ids that are not numbers 400', async () => {
    const ada = await registerCustomer(server);
    expect((await request(server, 'GET', `/customers/${ada.id}`, { token: mechanicToken })).body).toMatchObject({ id: ada.id });
    expect((await request(server, 'GET', '/customers/99999', { token: mechanicToken })).status).toBe(404);
    expect((await request(server, 'GET', '/customers/abc', { token: mechanicToken })).status).toBe(400);
  });

  it("PUT changes a subset of your own fields; another account's email is 409", async () => {
    const ada = await registerCustomer(server);
    const bob = await registerCustomer(server);
    const changed = await request(server, 'PUT', `/customers/${ada.id}`, { token: ada.token, json: { address: '1 New Street' } });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ address: '1 New Street', email: ada.email });
    expect((await request(server, 'PUT', `/customers/${ada.id}`, { token: ada.token, json: { email: bob.email } })).status).toBe(409);
  });

  it('DELETE removes your own account (204) and its token stops working', async () => {
    const ada = await registerCustomer(server);
    const deleted = await request(server, 'DELETE', `/customers/${ada.id}`, { token: ada.token });
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBeUndefined();
    expect((await request(server, 'GET', `/customers/${ada.id}`, { token: mechanicToken })).status).toBe(404);
    expect((await request(server, 'GET', `/customers/${ada.id}`, { token: ada.token })).status).toBe(401);
  });
});

describe('changing credentials', () => {
  it('a new password, then a new email, each make the tokens issued before a 401; a new login works', async () => {
    const ada = await registerCustomer(server);
    const path = `/customers/${ada.id}`;
    expect((await request(server, 'PUT', path, { token: ada.token, json: { password: 'another long phrase' } })).status).toBe(200);
    expect((await request(server, 'GET', path, { token: ada.token })).status).toBe(401);
    const second = await request(server, 'POST', '/customers/login', { json: { email: ada.email, password: 'another long phrase' } });
    expect((await request(server, 'GET', path, { token: second.body.token })).status).toBe(200);

    const email = `renamed.${ada.email}`;
    expect((await request(server, 'PUT', path, { token: second.body.token, json: { email } })).status).toBe(200);
    expect((await request(server, 'GET', path, { token: second.body.token })).status).toBe(401);
    const third = await request(server, 'POST', '/customers/login', { json: { email, password: 'another long phrase' } });
    expect((await request(server, 'GET', path, { token: third.body.token })).body).toMatchObject({ email });
  });
});

describe('DELETE /customers/{id} with tickets worked on', () => {
  it('keeps the completed ticket for the shop under an anonymous customer; the person is gone', async () => {
    const erin = await registerCustomer(server, { name: 'Erin Erased' });
    const opened = await request(server, 'POST', '/service_tickets', {
      token: erin.token,
      json: { title: 'Timing belt', description: 'Replace', vin: '1HGCM82633A004352', service_date: '2026-12-01' },
    });
    const ticketPath = `/service_tickets/${opened.body.id}`;
    for (const status of ['IN_PROGRESS', 'COMPLETED']) {
      expect((await request(server, 'PUT', `${ticketPath}/edit`, { token: mechanicToken, json: { status, cost: '80.00' } })).status).toBe(
        200,
      );
    }
    const before = await request(server, 'GET', ticketPath, { token: mechanicToken });
    expect((await request(server, 'DELETE', `/customers/${erin.id}`, { token: erin.token })).status).toBe(204);
    expect(await request(server, 'GET', ticketPath, { token: mechanicToken })).toMatchObject({ status: 200, body: before.body });
    expect((await request(server, 'GET', `/customers/${erin.id}`, { token: mechanicToken })).status).toBe(404);
    const everyone = await request(server, 'GET', '/customers?per_page=100', { token: mechanicToken });
    expect(JSON.stringify(everyone.body)).not.toContain('Erin Erased');
    expect((await request(server, 'POST', '/customers/login', { json: { email: erin.email, password: PASSWORD } })).status).toBe(401);
    expect((await request(server, 'GET', '/customers/my-tickets', { token: erin.token })).status).toBe(401);
  });
});

describe('mechanic tokens and customer tokens stay apart', () => {
  it('a customer and a mechanic with the same id: each token acts only for its own role', async () => {
    // Customers and mechanics are numbered apart, so some pairs share an id; a token
    // that named only the id would open the other role's account of that number.
    let customer = await registerCustomer(server);
    let mechanic = await registerMechanic(server);
    while (customer.id !== mechanic.id) {
      if (customer.id < mechanic.id) customer = await registerCustomer(server);
      else mechanic = await registerMechanic(server);
    }
    const id = customer.id;

    const asMechanic = { token: mechanic.token };
    expect((await request(server, 'PUT', `/customers/${id}`, { ...asMechanic, json: { address: '2 Other Street' } })).status).toBe(403);
    expect((await request(server, 'DELETE', `/customers/${id}`, asMechanic)).status).toBe(403);
    expect((await request(server, 'GET', '/customers/my-tickets', asMechanic)).status).toBe(403);
    const ticket = { title: 'Noise', vin: '1HGCM82633A004352', service_date: '2026-12-01' };
    // Staff open tickets for a customer they name: the mechanic's token does not stand for the customer of its id.
    expect(await request(server, 'POST', '/service_tickets', { ...asMechanic, json: ticket })).toMatchObject({
      status: 400,
      body: { errors: [expect.objectContaining({ field: 'customer_id' })] },
    });

    const asCustomer = { token: customer.token };
    expect((await request(server, 'PUT', `/mechanics/${id}`, { ...asCustomer, json: { phone: '+1 555 0199' } })).status).toBe(403);
    expect((await request(server, 'DELETE', `/mechanics/${id}`, asCustomer)).status).toBe(403);
    expect((await request(server, 'GET', '/customers', asCustomer)).status).toBe(403);
    expect((await request(server, 'GET', `/mechanics/${id}`, asCustomer)).body).toEqual({ id, name: 'Grace Hopper', role: mechanic.role });

    // Each still acts for its own account.
    expect((await request(server, 'GET', `/customers/${id}`, asCustomer)).body).toMatchObject({ id, email: customer.email });
    expect((await request(server, 'GET', `/mechanics/${id}`, asMechanic)).body).toMatchObject({
      id,
      email: mechanic.email,
      salary: '58000.00',
    });
  });
});
