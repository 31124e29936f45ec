import { createScratchDatabase, testProvider, uniqueVin } from '@mechanic-shop/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { newCustomer, newMechanic } from './accounts.ts';
import { startApiProcess, type ApiProcess } from './process-harness.ts';
import { request } from './server-harness.ts';

const provider = testProvider();
const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const TICKETS = 16;

/** An API process on the database, ready; both start at once, and their migration runs take turns on the migration lock. */
async function startInstance(databaseUrl: string): Promise<ApiProcess> {
  const api = await startApiProcess({ DATABASE_URL: databaseUrl, RATE_LIMIT: 'off' });
  cleanups.push(() => api.stop());
  await api.waitForLog((line) => line.msg === 'ready');
  return api;
}

/**
 * Invoice numbers from two API processes on one database, as behind a load
 * balancer: no number twice, none skipped, one live invoice per ticket. Each
 * instance has its own connections; only the database orders them. (SQLite is
 * one process's file: several instances need a server database.)
 */
describe.skipIf(provider === 'sqlite')(`invoicing through two API processes on one ${provider}`, () => {
  it('numbers every invoice once, without gaps, and issues one invoice per ticket', async () => {
    const scratch = await createScratchDatabase(provider);
    cleanups.push(() => scratch.drop());
    const [a, b] = await Promise.all([startInstance(scratch.url), startInstance(scratch.url)]);

    const founder = newMechanic();
    expect((await request(a, 'POST', '/mechanics', { json: founder })).status).toBe(201);
    const token = (await request(b, 'POST', '/mechanics/login', { json: { email: founder.email, password: founder.password } })).body.token;
    const customer = (await request(a, 'POST', '/customers', { json: newCustomer() })).body;

    // Completed tickets without jobs: each is invoiced for its flat cost.
    const tickets: number[] = [];
    for (let index = 0; index < TICKETS; index++) {
      const json = { customer_id: customer.id, vin: uniqueVin(), title: `Ticket ${index}`, service_date: '2026-12-01' };
      const { id } = (await request(a, 'POST', '/service_tickets', { token, json })).body;
      await request(b, 'PUT', `/service_tickets/${id}/edit`, { token, json: { cost: `${index + 1}.00`, status: 'IN_PROGRESS' } });
      await request(a, 'PUT', `/service_tickets/${id}/edit`, { token, json: { status: 'COMPLETED' } });
      tickets.push(id);
    }

    // Every ticket invoiced twice at once, once through each instance.
    const invoice = (api: ApiProcess, id: number) => request(api, 'POST', `/service_tickets/${id}/invoice`, { token, json: {} });
    const answers = await Promise.all(tickets.flatMap((id) => [invoice(a, id), invoice(b, id)]));
    const issued = answers.filter((answer) => answer.status === 201).map((answer) => answer.body);
    const refused = answers.filter((answer) => answer.status !== 201).map((answer) => answer.body.code);
    expect(refused).toEqual(Array.from({ length: TICKETS }, () => 'already_invoiced'));
    expect(issued.map((row) => row.service_ticket_id).sort((x, y) => x - y)).toEqual(tickets);
    const numbers = issued.map((row) => row.number).sort();
    expect(numbers).toEqual(Array.from({ length: TICKETS }, (_, index) => `INV-${String(index + 1).padStart(6, '0')}`));

    expect(await a.stop()).toBe(0);
    expect(await b.stop()).toBe(0);
  }, 120_000); // Two processes to start and migrate, and every ticket set up over HTTP.
});
