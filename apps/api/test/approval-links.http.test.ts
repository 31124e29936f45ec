import { DEFAULT_RATE_LIMITS } from '@mechanic-shop/core';
import { uniqueVin } from '@mechanic-shop/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTrustedProxies } from '../src/http/client-ip.ts';
import { registerCustomer, registerMechanic } from './accounts.ts';
import { request, startTestServer, type TestServer } from './server-harness.ts';

/*
 * Approval links over HTTP (issue 17): the estimate a link shows and hides,
 * deciding through it, the 410 of a replaced or unknown link and the 409 of a
 * changed estimate as problem details, and the routes' own strict rate limit.
 * Each test is a client of its own (X-Forwarded-For from a trusted proxy), so
 * that the limit of one does not spill into another.
 */

const APPROVAL_LINK_LIMIT = 6;

let server: TestServer;
let writer: Awaited<ReturnType<typeof registerMechanic>>;
let customer: Awaited<ReturnType<typeof registerCustomer>>;
let clientSerial = 0;

beforeAll(async () => {
  server = await startTestServer({
    settings: { rateLimits: { ...DEFAULT_RATE_LIMITS, approvalLink: { points: APPROVAL_LINK_LIMIT, seconds: 600 } } },
    trustedProxies: parseTrustedProxies('loopback'),
  });
  await registerMechanic(server);
  writer = await registerMechanic(server, { role: 'service_writer' });
  customer = await registerCustomer(server, { phone: '+44 20 7946 0777', address: '7 Difference Engine Lane' });
});
afterAll(() => server.close());

/** Requests from a client address of their own. */
function client() {
  clientSerial += 1;
  const headers = { 'x-forwarded-for': `198.51.100.${clientSerial}`, 'user-agent': 'LinkTest/1.0' };
  return (method: string, path: string, options: { json?: unknown; token?: string } = {}) =>
    request(server, method, path, { ...options, headers });
}

/** A ticket of the customer with a job priced by a sublet line at a cost, and a link for it: the ids and the link. */
async function linkedTicket() {
  const staff = client();
  const ticket = await staff('POST', '/service_tickets', {
    token: customer.token,
    json: { title: 'Windshield', vin: uniqueVin(), service_date: '2026-12-01' },
  });
  const withJob = await staff('POST', `/service_tickets/${ticket.body.id}/jobs`, { token: writer.token, json: { title: 'Windshield' } });
  const jobId: number = withJob.body.jobs[0].id;
  await staff('POST', `/service_tickets/${ticket.body.id}/jobs/${jobId}/lines`, {
    token: writer.token,
    json: { type: 'sublet', description: 'Glass by Clear View', amount: '400.00', cost: '271.39' },
  });
  const link = await staff('POST', `/service_tickets/${ticket.body.id}/approval_link`, { token: writer.token, json: {} });
  expect(link.status).toBe(201);
  return { ticketId: ticket.body.id as number, vin: ticket.body.vin as string, jobId, link: link.body as { token: string; url: string } };
}

describe('GET /approvals/{token}', () => {
  it('shows the estimate without contact details, VIN or costs, and is never stored', async () => {
    const { vin, link } = await linkedTicket();
    const response = await client()('GET', `/approvals/${link.token}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(response.body).toMatchObject({
      jobs: [{ title: 'Windshield', authorization: 'pending', lines: [{ type: 'sublet', net: '400.00' }] }],
    });
    const text = JSON.stringify(response.body);
    for (const secret of [customer.email, '+44 20 7946 0777', '7 Difference Engine Lane', vin, '271.39']) {
      expect(text, secret).not.toContain(secret);
    }
  });

  it('is 410 link_expired, as problem details, for a replaced link and for a token that never was, alike', async () => {
    const { ticketId, link } = await linkedTicket();
    await client()('POST', `/service_tickets/${ticketId}/approval_link`, { token: writer.token, json: {} });
    const send = client();
    const replaced = await send('GET', `/approvals/${link.token}`);
    const unknown = await send('GET', `/approvals/${'x'.repeat(43)}`);
    for (const response of [replaced, unknown]) {
      expect(response.status).toBe(410);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(response.body).toMatchObject({ status: 410, code: 'link_expired' });
    }
    expect({ ...replaced.body, request_id: undefined }).toEqual({ ...unknown.body, request_id: undefined });
    const posted = await send('POST', `/approvals/${link.token}`, {
      json: { decisions: [{ job_id: 1, decision: 'approve' }], signature_name: 'Ada' },
    });
    expect(posted.status).toBe(410);
  });
});

describe('POST /approvals/{token}', () => {
  it("records the decisions as the ticket's customer, method link, with the client's address and user agent", async () => {
    const { ticketId, jobId, link } = await linkedTicket();
    const response = await client()('POST', `/approvals/${link.token}`, {
      json: { decisions: [{ job_id: jobId, decision: 'approve' }], signature_name: 'Ada Lovelace' },
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      service_ticket_id: ticketId,
      method: 'link',
      recorded_by: { kind: 'customer', id: customer.id },
      client_ip: `198.51.100.${clientSerial}`,
      user_agent: 'LinkTest/1.0',
      decisions: [{ job_id: jobId, decision: 'approve' }],
    });
  });

  it('is 409 estimate_changed with the current version once the estimate changed since the link was sent', async () => {
    const { ticketId, jobId, link } = await linkedTicket();
    const changed = await client()('POST', `/service_tickets/${ticketId}/jobs/${jobId}/lines`, {
      token: writer.token,
      json: { type: 'fee', description: 'Disposal', amount: '5.00' },
    });
    const response = await client()('POST', `/approvals/${link.token}`, {
      json: { decisions: [{ job_id: jobId, decision: 'approve' }], signature_name: 'Ada Lovelace' },
    });
    expect(response.status).toBe(409);
    expect(response.body).toMatchObject({ code: 'estimate_changed', current_estimate_version: changed.body.estimate_version });
  });
});

describe('the approval-link rate limit', () => {
  it('is its own and strict: RateLimit fields name it, and the request after it is a 429 on either token route', async () => {
    const send = client();
    const first = await send('GET', '/approvals/guess-0');
    expect(first.status).toBe(410);
    expect(first.headers.get('ratelimit-policy')).toContain(`"approval-link";q=${APPROVAL_LINK_LIMIT};w=600`);
    expect(first.headers.get('ratelimit')).toMatch(new RegExp(`"approval-link";r=${APPROVAL_LINK_LIMIT - 1};t=\\d+`));
    for (let guess = 1; guess < APPROVAL_LINK_LIMIT; guess++) expect((await send('GET', `/approvals/guess-${guess}`)).status).toBe(410);

    const refused = await send('GET', '/approvals/guess-last');
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('rate_limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const posted = await send('POST', '/approvals/guess-last', {
      json: { decisions: [{ job_id: 1, decision: 'approve' }], signature_name: 'Eve' },
    });
    expect(posted.status).toBe(429);
    // Over tRPC too: one budget per client, whichever door.
    const overTrpc = await send('GET', `/trpc/approvalLinks.view?input=${encodeURIComponent(JSON.stringify({ token: 'guess-trpc' }))}`);
    expect(overTrpc.status).toBe(429);
    // The client's other requests are not held up.
    expect((await send('GET', '/mechanics/top')).status).toBe(200);
  });
});
