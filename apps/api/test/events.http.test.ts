import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_TYPES, publishAllEvents } from '@mechanic-shop/core';
import { registerCustomer, registerMechanic } from './accounts.ts';
import { request, startTestServer, type TestServer } from './server-harness.ts';

/*
 * The feed, the audit trail and a ticket's history over REST: query strings
 * (comma lists, days and instants), owner-only access, and the event catalogue
 * in the OpenAPI document. The rows are written directly; the changes that
 * write them are tested in the core with their resources.
 */

let server: TestServer;
let owner: Awaited<ReturnType<typeof registerMechanic>>;
let writer: Awaited<ReturnType<typeof registerMechanic>>;
let customer: Awaited<ReturnType<typeof registerCustomer>>;
let ticketId: number;
let start: number;

beforeAll(async () => {
  server = await startTestServer();
  owner = await registerMechanic(server);
  writer = await registerMechanic(server);
  customer = await registerCustomer(server);
  const body = { title: 'Brakes squeal', vin: '1HGCM82633A004352', service_date: '2026-12-01' };
  ticketId = (await request(server, 'POST', '/service_tickets', { token: customer.token, json: body })).body.id;
  const { db } = server.app.services;
  await publishAllEvents(server.app.services);
  start = (await db.eventPublisher.findUniqueOrThrow({ where: { id: 1 } })).lastPosition;
  for (const type of ['invoice.issued', 'payment.received', 'payment.refunded']) {
    await db.event.create({ data: { type, subjectType: 'rest_test', subjectId: type, data: JSON.stringify({ type }) } });
  }
  await publishAllEvents(server.app.services);
  await db.auditEntry.create({
    data: {
      actorKind: 'staff',
      actorId: owner.id,
      subjectType: 'rest_test_ticket',
      subjectId: String(ticketId),
      serviceTicketId: ticketId,
      action: 'ticket.status_changed',
      changes: JSON.stringify({ status: { before: 'PENDING', after: 'IN_PROGRESS' } }),
      customerVisible: true,
    },
  });
});
afterAll(() => server.close());

describe('events and audit over REST', () => {
  it('GET /events takes a comma-separated types filter, a cursor and a limit', async () => {
    const page = await request(server, 'GET', `/events?after=${start}&types=payment.received,invoice.issued&limit=1`, {
      token: owner.token,
    });
    expect(page.status).toBe(200);
    expect(page.body.items.map((event: { type: string }) => event.type)).toEqual(['invoice.issued']);
    const next = await request(server, 'GET', `/events?after=${page.body.next_cursor}&types=payment.received,invoice.issued`, {
      token: owner.token,
    });
    expect(next.body.items.map((event: { type: string }) => event.type)).toEqual(['payment.received']);
    expect((await request(server, 'GET', '/events?types=nope', { token: owner.token })).status).toBe(400);
    expect((await request(server, 'GET', '/events', { token: writer.token })).status).toBe(403);
  });

  it('GET /audit filters by subject and by days', async () => {
    const day = new Date().toISOString().slice(0, 10);
    const found = await request(server, 'GET', `/audit?subject_type=rest_test_ticket&subject_id=${ticketId}&from=${day}&to=${day}`, {
      token: owner.token,
    });
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ total: 1, items: [{ action: 'ticket.status_changed', actor: { kind: 'staff', id: owner.id } }] });
    const none = await request(server, 'GET', '/audit?subject_type=rest_test_ticket&to=2000-01-01', { token: owner.token });
    expect(none.body.total).toBe(0);
  });

  it("GET /service_tickets/{id}/history for staff and for the ticket's customer", async () => {
    const forStaff = await request(server, 'GET', `/service_tickets/${ticketId}/history`, { token: writer.token });
    const forCustomer = await request(server, 'GET', `/service_tickets/${ticketId}/history`, { token: customer.token });
    expect(forStaff.status).toBe(200);
    expect(forCustomer.status).toBe(200);
    expect(forCustomer.body.items.map((entry: { action: string }) => entry.action)).toContain('ticket.status_changed');
  });

  it('lists every event type under the OpenAPI webhooks, each with its schema', async () => {
    const document = (await request(server, 'GET', '/openapi.json')).body;
    expect(Object.keys(document.webhooks)).toEqual([...EVENT_TYPES]);
    for (const type of EVENT_TYPES) {
      const ref: string = document.webhooks[type].post.requestBody.content['application/json'].schema.$ref;
      const schema = document.components.schemas[ref.split('/').pop()!];
      expect(schema.properties.type.const, type).toBe(type);
      expect(schema.properties.data, type).toBeDefined();
    }
  });
});
