import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerCustomer, registerMechanic } from './accounts.ts';
import { request, startTestServer, type TestServer } from './server-harness.ts';

let server: TestServer;
let mechanic: Awaited<ReturnType<typeof registerMechanic>>;
let customer: Awaited<ReturnType<typeof registerCustomer>>;
let stranger: Awaited<ReturnType<typeof registerCustomer>>;

const ticketBody = { title: 'Brakes squeal', description: 'Front', vin: '1HGCM82633A004352', service_date: '2026-12-01' };

beforeAll(async () => {
  server = await startTestServer();
  mechanic = await registerMechanic(server);
  customer = await registerCustomer(server);
  stranger = await registerCustomer(server);
});
afterAll(() => server.close());

describe('service tickets over REST', () => {
  it('POST /service_tickets (customer) → 201 with the ticket; GET by id for owner and mechanic', async () => {
    const created = await request(server, 'POST', '/service_tickets', { token: customer.token, json: ticketBody });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ customer_id: customer.id, status: 'PENDING', parts_total: '0.00' });
    const path = `/service_tickets/${created.body.id}`;
    expect((await request(server, 'GET', path, { token: customer.token })).status).toBe(200);
    expect((await request(server, 'GET', path, { token: mechanic.token })).body).toEqual(created.body);
  });

  it('GET /service_tickets filters by status and customer_id (mechanics); GET /customers/my-tickets for the caller', async () => {
    await request(server, 'POST', '/service_tickets', { token: customer.token, json: ticketBody });
    const list = await request(server, 'GET', `/service_tickets?status=PENDING&customer_id=${customer.id}&per_page=5`, {
      token: mechanic.token,
    });
    expect(list.status).toBe(200);
    expect(
      list.body.items.every(
        (ticket: { customer_id: number; status: string }) => ticket.customer_id === customer.id && ticket.status === 'PENDING',
      ),
    ).toBe(true);
    expect((await request(server, 'GET', '/service_tickets?status=DONE', { token: mechanic.token })).status).toBe(400);
    const mine = await request(server, 'GET', '/customers/my-tickets', { token: customer.token });
    expect(mine.status).toBe(200);
    expect(mine.body.total).toBeGreaterThan(0);
    expect((await request(server, 'GET', '/customers/my-tickets', { token: stranger.token })).body.total).toBe(0);
  });

  it('PUT /service_tickets/{id}/edit is all or nothing', async () => {
    const ticket = (await request(server, 'POST', '/service_tickets', { token: customer.token, json: ticketBody })).body;
    const bad = await request(server, 'PUT', `/service_tickets/${ticket.id}/edit`, {
      token: mechanic.token,
      json: { add_ids: [mechanic.id, 987_654], status: 'IN_PROGRESS' },
    });
    expect(bad.status).toBe(404);
    expect(bad.body.detail).toContain('987654');
    expect(bad.body.errors).toEqual([{ field: 'add_ids.1', message: 'No mechanic with id 987654' }]);
    expect((await request(server, 'GET', `/service_tickets/${ticket.id}`, { token: mechanic.token })).body).toEqual(ticket);
    const good = await request(server, 'PUT', `/service_tickets/${ticket.id}/edit`, {
      token: mechanic.token,
      json: { add_ids: [mechanic.id], status: 'IN_PROGRESS' },
    });
    expect(good.status).toBe(200);
    expect(good.body.mechanics.map((m: { id: number }) => m.id)).toEqual([mechanic.id]);
  });

  it('parts: POST /service_tickets/{id}/parts and DELETE …/parts/{inventory_id}', async () => {
    const item = (
      await request(server, 'POST', '/inventory', { token: mechanic.token, json: { part_name: 'Wiper', price: '12.34', quantity: 5 } })
    ).body;
    const ticket = (await request(server, 'POST', '/service_tickets', { token: customer.token, json: ticketBody })).body;
    const added = await request(server, 'POST', `/service_tickets/${ticket.id}/parts`, {
      token: mechanic.token,
      json: { inventory_id: item.id, quantity: 2 },
    });
    expect(added.status).toBe(200);
    expect(added.body.parts).toEqual([
      { inventory_id: item.id, part_name: 'Wiper', quantity: 2, unit_price: '12.34', line_total: '24.68' },
    ]);
    const short = await request(server, 'POST', `/service_tickets/${ticket.id}/parts`, {
      token: mechanic.token,
      json: { inventory_id: item.id, quantity: 4 },
    });
    expect(short).toMatchObject({ status: 409, body: { code: 'insufficient_stock' } });
    expect((await request(server, 'DELETE', `/inventory/${item.id}`, { token: mechanic.token })).status).toBe(409);
    expect((await request(server, 'DELETE', `/service_tickets/${ticket.id}/parts/${item.id}`, { token: mechanic.token })).status).toBe(204);
    expect((await request(server, 'GET', `/inventory/${item.id}`, { token: mechanic.token })).body.quantity).toBe(5);
  });
});

describe('hardening over REST', () => {
  it('a service date outside 1900-01-01 … 2200-12-31 is a 400 naming the field', async () => {
    for (const service_date of ['0069-01-01', '0000-01-01', '2201-01-01']) {
      const refused = await request(server, 'POST', '/service_tickets', { token: customer.token, json: { ...ticketBody, service_date } });
      expect(refused).toMatchObject({
        status: 400,
        body: { code: 'validation_failed', errors: [expect.objectContaining({ field: 'service_date' })] },
      });
    }
  });

  it('?q= searches part names literally: %, _ and \\ are not wildcards', async () => {
    for (const part_name of ['Hw pad', 'Hw p%d', 'Hw a_b', 'Hw c\\d']) {
      await request(server, 'POST', '/inventory', { token: mechanic.token, json: { part_name, price: '1.00' } });
    }
    const names = async (q: string) =>
      (await request(server, 'GET', `/inventory?q=${encodeURIComponent(q)}`, { token: mechanic.token })).body.items.map(
        (item: { part_name: string }) => item.part_name,
      );
    expect(await names('%')).toEqual(['Hw p%d']);
    expect(await names('_')).toEqual(['Hw a_b']);
    expect(await names('P%D')).toEqual(['Hw p%d']);
    expect(await names('\\')).toEqual(['Hw c\\d']);
  });

  it('sums past their limits are 409s with a problem code, never a database overflow', async () => {
    const item = (
      await request(server, 'POST', '/inventory', {
        token: mechanic.token,
        json: { part_name: 'Bulk', price: '1000000.00', quantity: 1_000_000 },
      })
    ).body;
    const ticket = (await request(server, 'POST', '/service_tickets', { token: customer.token, json: ticketBody })).body;
    const parts = `/service_tickets/${ticket.id}/parts`;
    expect(await request(server, 'POST', parts, { token: mechanic.token, json: { inventory_id: item.id, quantity: 1_001 } })).toMatchObject(
      {
        status: 409,
        body: { code: 'amount_too_large' },
      },
    );
    expect(
      (await request(server, 'POST', '/inventory', { token: mechanic.token, json: { part_name: 'X', price: '1000000.01' } })).status,
    ).toBe(400);
  });
});

describe('inventory over REST', () => {
  it('create, update, search and delete a part', async () => {
    const created = await request(server, 'POST', '/inventory', { token: mechanic.token, json: { part_name: 'Filter', price: 9.99 } });
    expect(created).toMatchObject({ status: 201, body: { price: '9.99', quantity: 0 } });
    expect(
      (await request(server, 'PUT', `/inventory/${created.body.id}`, { token: mechanic.token, json: { quantity: 3 } })).body.quantity,
    ).toBe(3);
    expect((await request(server, 'GET', '/inventory?q=FILT', { token: mechanic.token })).body.items.length).toBeGreaterThan(0);
    expect((await request(server, 'DELETE', `/inventory/${created.body.id}`, { token: mechanic.token })).status).toBe(204);
  });
});

describe('assignments and the top mechanics over REST', () => {
  it('POST 201, duplicate 409, GET filtered, DELETE by query 204 then 404', async () => {
    const ticket = (await request(server, 'POST', '/service_tickets', { token: customer.token, json: ticketBody })).body;
    const pair = { service_ticket_id: ticket.id, mechanic_id: mechanic.id };
    expect((await request(server, 'POST', '/assignments', { token: mechanic.token, json: pair })).status).toBe(201);
    expect((await request(server, 'POST', '/assignments', { token: mechanic.token, json: pair })).status).toBe(409);
    const listed = await request(server, 'GET', `/assignments?service_ticket_id=${ticket.id}`, { token: mechanic.token });
    expect(listed.body.items).toEqual([expect.objectContaining(pair)]);
    const query = `/assignments?service_ticket_id=${ticket.id}&mechanic_id=${mechanic.id}`;
    expect((await request(server, 'DELETE', query, { token: mechanic.token })).status).toBe(204);
    expect((await request(server, 'DELETE', query, { token: mechanic.token })).status).toBe(404);
  });

  it('GET /mechanics/top is public and routed before /mechanics/{id}', async () => {
    const top = await request(server, 'GET', '/mechanics/top?limit=3');
    expect(top.status).toBe(200);
    expect(top.body.items[0]).toEqual({ id: mechanic.id, name: 'Grace Hopper', ticket_count: expect.any(Number) });
    expect((await request(server, 'GET', '/mechanics/top?limit=500')).status).toBe(400);
  });
});
