import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueVin } from '@mechanic-shop/core/testing';
import { registerCustomer, registerMechanic } from './accounts.ts';
import { request, startTestServer, type TestServer } from './server-harness.ts';

/*
 * Approvals over REST and tRPC (issue 17): the record the customer's decision
 * makes, with the client's address and user agent, and the refusals a client
 * acts on (problem+json, with the current estimate_version on a stale one).
 */

type Staff = Awaited<ReturnType<typeof registerMechanic>>;

let server: TestServer;
let serviceWriter: Staff;
let technician: Staff;
let customer: Awaited<ReturnType<typeof registerCustomer>>;

beforeAll(async () => {
  server = await startTestServer();
  // The shop's first account opens it, as its owner; the service writer does the desk's work here.
  await registerMechanic(server);
  [serviceWriter, technician, customer] = await Promise.all([
    registerMechanic(server, { role: 'service_writer' }),
    registerMechanic(server, { role: 'technician' }),
    registerCustomer(server),
  ]);
});
afterAll(() => server.close());

/** The body of a set-up request, which must answer `status`. */
async function made(status: number, method: string, path: string, { token, json }: { token: string; json?: unknown }) {
  const { status: answered, body } = await request(server, method, path, { token, json });
  expect(answered, `${method} ${path} answered ${JSON.stringify(body)}`).toBe(status);
  return body;
}

/** A ticket of the customer with one job of an hour's labor, assigned to the technician: its id, the job's and the version. */
async function estimatedTicket(): Promise<{ id: number; jobId: number; version: number }> {
  const opened = await made(201, 'POST', '/service_tickets', {
    token: customer.token,
    json: { title: 'Brakes squeal', description: 'Front', vin: uniqueVin(), service_date: '2026-12-01' },
  });
  await made(201, 'POST', '/assignments', {
    token: serviceWriter.token,
    json: { service_ticket_id: opened.id, mechanic_id: technician.id },
  });
  const withJob = await made(201, 'POST', `/service_tickets/${opened.id}/jobs`, {
    token: serviceWriter.token,
    json: { title: 'Front brakes' },
  });
  const jobId = withJob.jobs[0].id;
  const priced = await made(201, 'POST', `/service_tickets/${opened.id}/jobs/${jobId}/lines`, {
    token: serviceWriter.token,
    json: { type: 'labor', description: 'Replace pads', hours: '1.00' },
  });
  return { id: opened.id, jobId, version: priced.estimate_version };
}

const approving = (jobId: number, version: number) => ({
  estimate_version: version,
  decisions: [{ job_id: jobId, decision: 'approve' }],
  signature_name: 'Ada Lovelace',
});

describe('POST /service_tickets/{id}/approvals', () => {
  it('201: the record, with who, how, the amount, the client address and user agent; listed by GET, newest first', async () => {
    const { id, jobId, version } = await estimatedTicket();
    const response = await request(server, 'POST', `/service_tickets/${id}/approvals`, {
      token: customer.token,
      json: approving(jobId, version),
      headers: { 'user-agent': 'ShopPortal/2.1 (iPhone)' },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body).toEqual({
      id: expect.any(Number),
      service_ticket_id: id,
      estimate_version: version,
      method: 'portal',
      recorded_by: { kind: 'customer', id: customer.id },
      contact_name: null,
      contact_phone: null,
      signature_name: 'Ada Lovelace',
      decisions: [{ job_id: jobId, job_title: 'Front brakes', decision: 'approve', reason: null, amount: '120.00' }],
      approved_amount: '120.00',
      client_ip: expect.stringMatching(/127\.0\.0\.1/),
      user_agent: 'ShopPortal/2.1 (iPhone)',
      created_at: expect.any(String),
    });
    const byPhone = await made(201, 'POST', `/service_tickets/${id}/approvals`, {
      token: serviceWriter.token,
      json: { ...approving(jobId, version), method: 'phone', contact_name: 'Ada Lovelace', contact_phone: '+44 20 7946 0000' },
    });
    const listed = await made(200, 'GET', `/service_tickets/${id}/approvals`, { token: technician.token });
    expect(listed).toMatchObject({ items: [{ id: byPhone.id }, { id: response.body.id }], total: 2 });
    const ticket = await made(200, 'GET', `/service_tickets/${id}`, { token: customer.token });
    expect(ticket.jobs[0]).toMatchObject({ authorization: 'approved', approval_id: byPhone.id, decided_at: byPhone.created_at });
    expect(ticket.estimate_version).toBe(version);
  });

  it('409 estimate_changed carries the current version, over REST (a problem member) and tRPC (error.data.details)', async () => {
    const { id, jobId, version } = await estimatedTicket();
    await made(201, 'POST', `/service_tickets/${id}/jobs/${jobId}/lines`, {
      token: serviceWriter.token,
      json: { type: 'fee', description: 'Disposal', amount: '5.00' },
    });
    const stale = await request(server, 'POST', `/service_tickets/${id}/approvals`, {
      token: customer.token,
      json: approving(jobId, version),
    });
    expect(stale.status).toBe(409);
    expect(stale.headers.get('content-type')).toBe('application/problem+json');
    expect(stale.body).toMatchObject({
      type: '/problems/estimate_changed',
      status: 409,
      code: 'estimate_changed',
      current_estimate_version: version + 1,
    });

    const overTrpc = await request(server, 'POST', '/trpc/approvals.create', {
      token: customer.token,
      json: { id, ...approving(jobId, version) },
    });
    expect(overTrpc.status).toBe(409);
    expect(overTrpc.body.error.data).toMatchObject({ reason: 'estimate_changed', details: { current_estimate_version: version + 1 } });
    expect((await made(200, 'GET', `/service_tickets/${id}/approvals`, { token: customer.token })).total).toBe(0);
  });

  it('400 for a phone approval without the person and number, naming them; 403 for a technician', async () => {
    const { id, jobId, version } = await estimatedTicket();
    const path = `/service_tickets/${id}/approvals`;
    const phone = await request(server, 'POST', path, {
      token: serviceWriter.token,
      json: { ...approving(jobId, version), method: 'phone' },
    });
    expect(phone).toMatchObject({
      status: 400,
      body: { code: 'validation_failed', errors: [{ field: 'contact_name' }, { field: 'contact_phone' }] },
    });
    const byTechnician = await request(server, 'POST', path, {
      token: technician.token,
      json: { ...approving(jobId, version), method: 'in_person' },
    });
    expect(byTechnician).toMatchObject({ status: 403, body: { code: 'forbidden' } });
  });

  it('404 for a job not on the ticket, naming it', async () => {
    const { id, version } = await estimatedTicket();
    const other = await estimatedTicket();
    const response = await request(server, 'POST', `/service_tickets/${id}/approvals`, {
      token: customer.token,
      json: approving(other.jobId, version),
    });
    expect(response).toMatchObject({ status: 404, body: { code: 'not_found', errors: [{ field: 'decisions.0.job_id' }] } });
    expect(response.body.detail).toContain(String(other.jobId));
  });
});
