import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerCustomer, registerMechanic } from './accounts.ts';
import { request, startTestServer, type TestServer } from './server-harness.ts';

let server: TestServer;
let mechanic: Awaited<ReturnType<typeof registerMechanic>>;
beforeAll(async () => {
  server = await startTestServer();
  mechanic = await registerMechanic(server);
});
afterAll(() => server.close());

describe('HTTP caching of REST GETs', () => {
  it('public answers are public but always revalidated; token-dependent ones are private and vary on Authorization', async () => {
    const top = await request(server, 'GET', '/mechanics/top');
    expect(top.headers.get('cache-control')).toBe('public, no-cache');
    const list = await request(server, 'GET', '/mechanics', { token: mechanic.token });
    expect(list.headers.get('cache-control')).toBe('private, no-cache');
    expect(list.headers.get('vary')).toBe('Authorization');
    const write = await request(server, 'POST', '/inventory', { token: mechanic.token, json: { part_name: 'Fuse', price: 1 } });
    expect(write.headers.get('etag')).toBeNull();
  });

  it('answers If-None-Match with 304 until a write changes the answer', async () => {
    const first = await request(server, 'GET', '/mechanics/top');
    const etag = first.headers.get('etag')!;
    expect((await request(server, 'GET', '/mechanics/top', { headers: { 'if-none-match': etag } })).status).toBe(304);
    const customer = await registerCustomer(server);
    const ticket = await request(server, 'POST', '/service_tickets', {
      token: customer.token,
      json: { title: 'x', vin: '1HGCM82633A004352', service_date: '2026-12-01' },
    });
    await request(server, 'POST', '/assignments', {
      token: mechanic.token,
      json: { service_ticket_id: ticket.body.id, mechanic_id: mechanic.id },
    });
    const changed = await request(server, 'GET', '/mechanics/top', { headers: { 'if-none-match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
  });
});
