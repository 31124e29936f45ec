import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueVin } from '@mechanic-shop/core/testing';
import { registerCustomer, registerMechanic } from './accounts.ts';
import { request, startTestServer, type TestServer } from './server-harness.ts';

/*
 * Invoices, payments and refunds over REST (issue 18): the statuses and
 * problem codes of each route, as the issue writes them. The rules themselves
 * are core's caller tests (src/invoices, src/payments); who may call each route
 * is the authorization matrix's.
 */

type Account = Awaited<ReturnType<typeof registerCustomer>>;

let server: TestServer;
let owner: Account;
let writer: Account;
let customer: Account;
let stranger: Account;

beforeAll(async () => {
  server = await startTestServer();
  owner = await registerMechanic(server);
  writer = await registerMechanic(server, { role: 'service_writer' });
  customer = await registerCustomer(server);
  stranger = await registerCustomer(server);
});
afterAll(() => server.close());

async function succeeded(status: number, method: string, path: string, options: { token: string; json?: unknown }) {
  const response = await request(server, method, path, options);
  expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).toBe(status);
  return response.body;
}

/** A ticket of the customer's with one job (labor 1.00 h at 120.00), approved by the customer; its id. */
async function approvedTicket(): Promise<number> {
  const json = { title: 'Brakes squeal', service_date: '2026-12-01', vin: uniqueVin() };
  const { id } = await succeeded(201, 'POST', '/service_tickets', { token: customer.token, json });
  const withJob = await succeeded(201, 'POST', `/service_tickets/${id}/jobs`, { token: writer.token, json: { title: 'Front brakes' } });
  const jobId = withJob.jobs[0].id;
  const line = { type: 'labor', description: 'Replace pads', hours: '1.00' };
  const priced = await succeeded(201, 'POST', `/service_tickets/${id}/jobs/${jobId}/lines`, { token: writer.token, json: line });
  await succeeded(201, 'POST', `/service_tickets/${id}/approvals`, {
    token: customer.token,
    json: { estimate_version: priced.estimate_version, decisions: [{ job_id: jobId, decision: 'approve' }], signature_name: 'Ada' },
  });
  return id;
}

async function completedTicket(): Promise<number> {
  const id = await approvedTicket();
  for (const status of ['IN_PROGRESS', 'COMPLETED'])
    await succeeded(200, 'PUT', `/service_tickets/${id}/edit`, { token: writer.token, json: { status } });
  return id;
}

const invoice = (id: number) => request(server, 'POST', `/service_tickets/${id}/invoice`, { token: writer.token, json: {} });
const pay = (number: string, json: Record<string, unknown>, key: string | null = randomUUID()) =>
  request(server, 'POST', `/invoices/${encodeURIComponent(number)}/payments`, {
    token: writer.token,
    json,
    headers: key === null ? {} : { 'idempotency-key': key },
  });

describe('POST /service_tickets/{id}/invoice', () => {
  it("answers 201 with the invoice, and 409 with the issue's codes when the ticket cannot be invoiced", async () => {
    const id = await completedTicket();
    const issued = await invoice(id);
    expect(issued.status).toBe(201);
    expect(issued.body).toMatchObject({
      number: expect.stringMatching(/^INV-\d{6}$/),
      service_ticket_id: id,
      totals: { labor: '120.00', total: '120.00' },
      paid: '0.00',
      balance: '120.00',
      status: 'unpaid',
      payments: [],
    });
    expect((await invoice(id)).body).toMatchObject({ status: 409, code: 'already_invoiced' });
    expect((await invoice(await approvedTicket())).body).toMatchObject({ status: 409, code: 'ticket_not_completed' });

    const pending = await approvedTicket();
    await succeeded(200, 'PUT', `/service_tickets/${pending}/edit`, { token: writer.token, json: { status: 'IN_PROGRESS' } });
    await succeeded(201, 'POST', `/service_tickets/${pending}/jobs`, { token: writer.token, json: { title: 'Found: a leaking hose' } });
    await succeeded(200, 'PUT', `/service_tickets/${pending}/edit`, { token: writer.token, json: { status: 'COMPLETED' } });
    expect((await invoice(pending)).body).toMatchObject({ status: 409, code: 'pending_work' });

    // The ticket's estimate is frozen, and the ticket stays as the invoice's record.
    expect(
      (await request(server, 'POST', `/service_tickets/${id}/jobs`, { token: writer.token, json: { title: 'More' } })).body,
    ).toMatchObject({
      status: 409,
      code: 'ticket_invoiced',
    });
    expect((await request(server, 'DELETE', `/service_tickets/${id}`, { token: owner.token })).body).toMatchObject({
      status: 409,
      code: 'ticket_has_invoices',
    });
  });
});

describe('GET /invoices, /invoices/{number}, /customers/my-invoices', () => {
  it("answer staff and the invoice's customer; another customer's number is a 404", async () => {
    const { body: issued } = await invoice(await completedTicket());
    expect((await request(server, 'GET', `/invoices/${issued.number}`, { token: customer.token })).body).toEqual(issued);
    expect((await request(server, 'GET', `/invoices/${issued.number}`, { token: stranger.token })).body).toMatchObject({
      status: 404,
      code: 'not_found',
    });
    const mine = await request(server, 'GET', '/customers/my-invoices?per_page=100', { token: customer.token });
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((item: { number: string }) => item.number)).toContain(issued.number);
    const list = await request(server, 'GET', `/invoices?status=unpaid&customer_id=${customer.id}&from=2026-01-01&per_page=100`, {
      token: writer.token,
    });
    expect(list.status).toBe(200);
    expect(list.body.items.map((item: { number: string }) => item.number)).toContain(issued.number);
    for (const query of ['status=late', 'from=2026-02-30', 'from=2026-12-02&to=2026-12-01', 'per_page=101']) {
      expect((await request(server, 'GET', `/invoices?${query}`, { token: writer.token })).body, query).toMatchObject({
        status: 400,
        code: 'validation_failed',
      });
    }
  });

  it('take a number whose prefix holds a slash, percent-encoded in the path', async () => {
    await succeeded(200, 'PUT', '/shop/settings', { token: owner.token, json: { invoice_prefix: 'HM/2026-' } });
    const { body: issued } = await invoice(await completedTicket());
    await succeeded(200, 'PUT', '/shop/settings', { token: owner.token, json: { invoice_prefix: 'INV-' } });
    expect(issued.number).toMatch(/^HM\/2026-\d{6}$/);
    const read = await request(server, 'GET', `/invoices/${encodeURIComponent(issued.number)}`, { token: owner.token });
    expect(read.status, JSON.stringify(read.body)).toBe(200);
    expect(read.body.number).toBe(issued.number);
    expect((await pay(issued.number, { amount: '1.00', method: 'cash' })).status).toBe(201);
  });
});

describe('POST /invoices/{number}/void', () => {
  it('answers 200 with the void invoice, then 409 invoice_void; 409 invoice_has_payments while it holds money', async () => {
    const { body: issued } = await invoice(await completedTicket());
    const path = `/invoices/${issued.number}/void`;
    const payment = await pay(issued.number, { amount: '5.00', method: 'cash' });
    expect((await request(server, 'POST', path, { token: owner.token, json: { reason: 'Duplicate' } })).body).toMatchObject({
      status: 409,
      code: 'invoice_has_payments',
    });
    const refunded = await request(server, 'POST', `/payments/${payment.body.id}/refunds`, {
      token: owner.token,
      json: { amount: '5.00', reason: 'Paid twice' },
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(refunded.status).toBe(201);
    const voided = await request(server, 'POST', path, { token: owner.token, json: { reason: 'Duplicate' } });
    expect(voided.status).toBe(200);
    expect(voided.body).toMatchObject({ number: issued.number, status: 'void', void_reason: 'Duplicate' });
    expect((await request(server, 'POST', path, { token: owner.token, json: { reason: 'Again' } })).body).toMatchObject({
      status: 409,
      code: 'invoice_void',
    });
  });
});

describe('POST /invoices/{number}/payments and POST /payments/{id}/refunds', () => {
  it('answer 201; an Idempotency-Key is required, and a retry with it replays the first answer', async () => {
    const { body: issued } = await invoice(await completedTicket());
    expect((await pay(issued.number, { amount: '10.00', method: 'cash' }, null)).body).toMatchObject({
      status: 400,
      code: 'idempotency_key_required',
    });
    const key = randomUUID();
    const first = await pay(issued.number, { amount: '20.00', method: 'card', reference: 'ch_1' }, key);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ amount: '20.00', refunded: '0.00', left: '20.00', invoice: { paid: '20.00', balance: '100.00' } });
    const retry = await pay(issued.number, { amount: '20.00', method: 'card', reference: 'ch_1' }, key);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);

    const refund = (json: Record<string, unknown>) =>
      request(server, 'POST', `/payments/${first.body.id}/refunds`, {
        token: owner.token,
        json,
        headers: { 'idempotency-key': randomUUID() },
      });
    const refunded = await refund({ amount: '5.00', reason: 'Goodwill' });
    expect(refunded.status).toBe(201);
    expect(refunded.body).toMatchObject({
      payment: { refunded: '5.00', left: '15.00' },
      invoice: { paid: '15.00', status: 'partially_paid' },
    });
    expect((await refund({ amount: '15.01', reason: 'Too much' })).body).toMatchObject({ status: 409, code: 'refund_too_large' });
  });

  it('refuse an overpayment (409), a zero amount and a card number as reference (400)', async () => {
    const { body: issued } = await invoice(await completedTicket());
    expect((await pay(issued.number, { amount: '120.01', method: 'cash' })).body).toMatchObject({ status: 409, code: 'overpayment' });
    expect((await pay(issued.number, { amount: '0.00', method: 'cash' })).body).toMatchObject({ status: 400, code: 'validation_failed' });
    const card = await pay(issued.number, { amount: '1.00', method: 'card', reference: '4111 1111 1111 1111' });
    expect(card.body).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(JSON.stringify(card.body)).not.toContain('4111 1111 1111 1111');
    expect((await pay('INV-999999', { amount: '1.00', method: 'cash' })).body).toMatchObject({ status: 404, code: 'not_found' });
    expect((await pay(issued.number, { amount: '120.00', method: 'check' })).body).toMatchObject({
      invoice: { paid: '120.00', balance: '0.00', status: 'paid' },
    });
  });
});
