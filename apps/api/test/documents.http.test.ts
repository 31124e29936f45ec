import { mkdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPoppler, moneyFigures, pdfPageToPng, pdfText, showsAmount, uniqueVin } from '@mechanic-shop/core/testing';
import { registerCustomer, registerMechanic } from './accounts.ts';
import { request, startTestServer, type TestServer } from './server-harness.ts';

/*
 * The printable documents over HTTP: application/pdf with their headers, the
 * same access as their JSON routes, problem details for every refusal, and the
 * figures of the JSON in the text poppler reads back. Page 1 of each is kept as
 * a PNG in test/artifacts/ (git-ignored) to look at.
 */

const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));

let server: TestServer;
let owner: Awaited<ReturnType<typeof registerMechanic>>;
let customer: Awaited<ReturnType<typeof registerCustomer>>;
let otherCustomer: Awaited<ReturnType<typeof registerCustomer>>;
let ticketId: number;
let invoiceNumber: string;

/** A set-up request that must succeed; its body. */
async function made(method: string, path: string, json?: unknown, headers: Record<string, string> = {}) {
  const response = await request(server, method, path, { token: owner.token, json, headers });
  if (response.status >= 300) throw new Error(`set-up ${method} ${path}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

beforeAll(async () => {
  server = await startTestServer();
  owner = await registerMechanic(server);
  customer = await registerCustomer(server, { name: 'Ada Lovelace' });
  otherCustomer = await registerCustomer(server);
  await made('PUT', '/shop/settings', {
    shop_name: 'Hopper Motors',
    tax_rates: { parts: '8.875', fees: '8.875' },
    shop_supplies: { percent_of_labor: '5', cap: '35.00', taxable: true },
  });
  const part = await made('POST', '/inventory', { part_name: 'Brake pad set', description: 'Front', price: '49.90', quantity: 10 });
  ticketId = (
    await made('POST', '/service_tickets', {
      title: 'Brakes squeal',
      service_date: '2026-12-01',
      vin: uniqueVin(),
      customer_id: customer.id,
      odometer_in: 182_340,
    })
  ).id;
  const jobId = (await made('POST', `/service_tickets/${ticketId}/jobs`, { title: 'Front brakes', concern: 'Squeal when stopping' }))
    .jobs[0].id;
  const lines = `/service_tickets/${ticketId}/jobs/${jobId}/lines`;
  await made('POST', lines, { type: 'labor', description: 'Replace front pads', hours: '1.50', discount: { percent: '10' } });
  await made('POST', lines, { type: 'part', inventory_id: part.id, quantity: 2 });
  await made('POST', lines, { type: 'fee', description: 'Disposal', amount: '5.00', taxable: false });
  const { estimate_version } = await made('GET', `/service_tickets/${ticketId}`);
  await made('POST', `/service_tickets/${ticketId}/approvals`, {
    estimate_version,
    decisions: [{ job_id: jobId, decision: 'approve' }],
    signature_name: 'Ada Lovelace',
    method: 'in_person',
  });
  await made('PUT', `/service_tickets/${ticketId}/edit`, { status: 'IN_PROGRESS' });
  await made('PUT', `/service_tickets/${ticketId}/edit`, { status: 'COMPLETED', odometer_out: 182_352 });
  invoiceNumber = (await made('POST', `/service_tickets/${ticketId}/invoice`, {})).number;
  await made(
    'POST',
    `/invoices/${invoiceNumber}/payments`,
    { amount: '100.00', method: 'card', reference: 'ch_3MmlLr' },
    {
      'idempotency-key': randomUUID(),
    },
  );
});
afterAll(() => server.close());

/** A GET of a document: its status, headers and bytes. */
async function download(path: string, token?: string, method = 'GET') {
  const response = await fetch(`${server.url}${path}`, { method, headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

const DOCUMENTS = [
  { name: 'invoice', pdf: () => `/invoices/${invoiceNumber}/pdf`, json: () => `/invoices/${invoiceNumber}` },
  { name: 'estimate', pdf: () => `/service_tickets/${ticketId}/estimate/pdf`, json: () => `/service_tickets/${ticketId}` },
];

describe.each(DOCUMENTS)('the $name PDF', ({ name, pdf, json }) => {
  it('answers application/pdf, inline under its number, never kept by a cache', async () => {
    const { status, headers, bytes } = await download(pdf(), customer.token);
    expect(status).toBe(200);
    expect(headers.get('content-type')).toBe('application/pdf');
    expect(headers.get('content-disposition')).toBe(
      `inline; filename="${name === 'invoice' ? invoiceNumber : `estimate-${ticketId}`}.pdf"`,
    );
    expect(headers.get('cache-control')).toBe('private, no-store');
    expect(headers.get('x-request-id')).toBeTruthy();
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const head = await download(pdf(), customer.token, 'HEAD');
    expect([head.status, head.headers.get('content-type'), head.bytes.length]).toEqual([200, 'application/pdf', 0]);
  });

  it.runIf(hasPoppler)('prints every figure of its JSON, digit for digit (page 1 kept as a PNG in test/artifacts/)', async () => {
    const { bytes } = await download(pdf(), customer.token);
    const { body } = await request(server, 'GET', json(), { token: customer.token });
    const text = pdfText(bytes);
    expect(moneyFigures(body).filter(({ amount }) => !showsAmount(text, amount))).toEqual([]);
    expect(text).toContain('Hopper Motors');
    expect(text).toContain('Ada Lovelace');
    mkdirSync(ARTIFACTS, { recursive: true });
    pdfPageToPng(bytes, `${ARTIFACTS}${name}-page-1`);
  });

  it("goes to whoever may read its JSON: the customer's own, staff; another customer's is a 404, no token a 401", async () => {
    expect((await download(pdf(), owner.token)).status).toBe(200);
    for (const [token, status, code] of [
      [otherCustomer.token, 404, 'not_found'],
      [undefined, 401, 'unauthenticated'],
      ['not-a-token', 401, 'unauthenticated'],
    ] as const) {
      const refused = await request(server, 'GET', pdf(), { token });
      const asJson = await request(server, 'GET', json(), { token });
      expect(refused.status).toBe(status);
      expect(refused.headers.get('content-type')).toBe('application/problem+json');
      expect(refused.body).toMatchObject({ status, code, request_id: refused.headers.get('x-request-id') });
      expect(refused.headers.get('www-authenticate')).toBe(asJson.headers.get('www-authenticate'));
      expect(asJson.status).toBe(status);
    }
  });

  it('refuses a query string, and other methods with 405', async () => {
    const withQuery = await request(server, 'GET', `${pdf()}?download=1`, { token: owner.token });
    expect(withQuery.body).toMatchObject({
      status: 400,
      code: 'validation_failed',
      errors: [{ field: 'download', message: 'Unknown field' }],
    });
    const posted = await request(server, 'POST', pdf(), { token: owner.token, json: {} });
    expect(posted.body).toMatchObject({ status: 405, code: 'method_not_allowed' });
    expect(posted.headers.get('allow')).toBe('GET');
  });
});

describe('document paths', () => {
  it('are checked as their JSON routes check them', async () => {
    const badId = await request(server, 'GET', '/service_tickets/abc/estimate/pdf', { token: owner.token });
    expect(badId.body).toMatchObject({ status: 400, code: 'validation_failed', errors: [{ field: 'id' }] });
    const unknown = await request(server, 'GET', '/invoices/INV-999999/pdf', { token: owner.token });
    expect(unknown.body).toMatchObject({ status: 404, code: 'not_found', detail: expect.stringContaining('INV-999999') });
  });
});
