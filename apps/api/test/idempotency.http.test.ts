import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerCustomer, registerMechanic } from './accounts.ts';
import { request, startTestServer, type TestServer } from './server-harness.ts';

/**
 * Idempotency keys over HTTP: both doors honour the `Idempotency-Key` header of
 * a POST, replay with the route's own success status and `Idempotent-Replayed`,
 * and know one request by its input whichever door it came through. The rules
 * themselves are tested on every database in packages/core (idempotency.test.ts).
 */
let server: TestServer;
let owner: Awaited<ReturnType<typeof registerMechanic>>;

beforeAll(async () => {
  server = await startTestServer();
  owner = await registerMechanic(server);
});
afterAll(() => server.close());

const part = (name: string) => ({ part_name: name, price: '19.90', quantity: 5 });
/** A tRPC call of one procedure over HTTP, as the SDK's unbatched link sends it. */
const trpc = (path: string, input: unknown, headers: Record<string, string>) =>
  request(server, 'POST', `/trpc/${path}`, { token: owner.token, json: input, headers });
const countParts = async (name: string) =>
  (await request(server, 'GET', `/inventory?q=${encodeURIComponent(name)}`, { token: owner.token })).body.total as number;

describe('the Idempotency-Key header', () => {
  it('REST: a repeat is answered 201 with the first body and Idempotent-Replayed: true', async () => {
    const headers = { 'idempotency-key': randomUUID() };
    const body = part(`REST ${headers['idempotency-key']}`);
    const first = await request(server, 'POST', '/inventory', { token: owner.token, json: body, headers });
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const repeat = await request(server, 'POST', '/inventory', { token: owner.token, json: body, headers });
    expect(repeat.status).toBe(201);
    expect(repeat.headers.get('idempotent-replayed')).toBe('true');
    expect(repeat.body).toEqual(first.body);
    expect(await countParts(body.part_name)).toBe(1);
  });

  it('tRPC: a repeat of a mutation gets the first answer and Idempotent-Replayed: true', async () => {
    const headers = { 'idempotency-key': randomUUID() };
    const body = part(`tRPC ${headers['idempotency-key']}`);
    const first = await trpc('inventory.create', body, headers);
    expect(first.status).toBe(200);
    const repeat = await trpc('inventory.create', body, headers);
    expect(repeat.status).toBe(200);
    expect(repeat.headers.get('idempotent-replayed')).toBe('true');
    expect(repeat.body).toEqual(first.body);
    expect(await countParts(body.part_name)).toBe(1);
  });

  it('is one request on both doors: path parameters (strings on REST, numbers on tRPC) hash alike', async () => {
    const customer = await registerCustomer(server);
    const ticket = (
      await request(server, 'POST', '/service_tickets', {
        token: customer.token,
        json: { title: 'Noise', vin: '1HGCM82633A004352', service_date: '2026-12-01' },
      })
    ).body;
    const headers = { 'idempotency-key': randomUUID() };
    const job = { title: 'Diagnosis', concern: 'Rattle at idle' };
    const rest = await request(server, 'POST', `/service_tickets/${ticket.id}/jobs`, { token: owner.token, json: job, headers });
    expect(rest.status).toBe(201);
    const viaTrpc = await trpc('serviceTickets.addJob', { id: ticket.id, ...job }, headers);
    expect(viaTrpc.headers.get('idempotent-replayed')).toBe('true');
    expect(viaTrpc.body.result.data).toEqual(rest.body);
    expect(rest.body.jobs).toHaveLength(1);
  });

  it('refuses the same key with another body: 422 idempotency_key_reused', async () => {
    const headers = { 'idempotency-key': randomUUID() };
    await request(server, 'POST', '/inventory', { token: owner.token, json: part(`First ${headers['idempotency-key']}`), headers });
    const other = part(`Other ${headers['idempotency-key']}`);
    const reused = await request(server, 'POST', '/inventory', { token: owner.token, json: other, headers });
    expect(reused.status).toBe(422);
    expect(reused.headers.get('content-type')).toContain('application/problem+json');
    expect(reused.body).toMatchObject({ code: 'idempotency_key_reused', status: 422 });
    expect(await countParts(other.part_name)).toBe(0);
    const viaTrpc = await trpc('inventory.create', other, headers);
    expect(viaTrpc.status).toBe(422);
    expect(viaTrpc.body.error.data.reason).toBe('idempotency_key_reused');
  });

  it('replays a domain error with its status and the header', async () => {
    const headers = { 'idempotency-key': randomUUID() };
    const taken = { ...(await registerMechanic(server)), password: 'correct horse battery' };
    const body = { name: 'Dup', email: taken.email, phone: '+1 555 0100', address: '1 Way', salary: '1.00', password: taken.password };
    const first = await request(server, 'POST', '/mechanics', { token: owner.token, json: body, headers });
    expect(first.body.code).toBe('email_taken');
    const repeat = await request(server, 'POST', '/mechanics', { token: owner.token, json: body, headers });
    expect(repeat.status).toBe(409);
    expect(repeat.headers.get('idempotent-replayed')).toBe('true');
    expect({ ...repeat.body, request_id: undefined }).toEqual({ ...first.body, request_id: undefined });
  });

  it('must be 1 to 255 printable characters: 400 validation_failed naming the header', async () => {
    for (const key of ['', 'k'.repeat(256)]) {
      const refused = await request(server, 'POST', '/inventory', {
        token: owner.token,
        json: part('Bad key'),
        headers: { 'idempotency-key': key },
      });
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ code: 'validation_failed', errors: [{ field: 'Idempotency-Key' }] });
    }
  });

  it('is required on payments: 400 idempotency_key_required without one, on both doors', async () => {
    const payment = { amount: '10.00', method: 'cash' };
    const rest = await request(server, 'POST', '/invoices/INV-000001/payments', { token: owner.token, json: payment });
    expect(rest.status).toBe(400);
    expect(rest.body.code).toBe('idempotency_key_required');
    const viaTrpc = await trpc('payments.create', { number: 'INV-000001', ...payment }, {});
    expect(viaTrpc.status).toBe(400);
    expect(viaTrpc.body.error.data.reason).toBe('idempotency_key_required');
  });

  it('names one request: a tRPC batch of several calls carrying one is refused, every call with 400', async () => {
    const headers = { 'idempotency-key': randomUUID() };
    const batch = await request(server, 'POST', `/trpc/inventory.create,inventory.create?batch=1`, {
      token: owner.token,
      json: { 0: part('Batched one'), 1: part('Batched two') },
      headers,
    });
    expect(batch.status).toBe(400);
    expect(batch.body.map((call: { error: { data: { reason: string; fields: unknown } } }) => call.error.data)).toEqual([
      expect.objectContaining({ reason: 'validation_failed', fields: [expect.objectContaining({ field: 'Idempotency-Key' })] }),
      expect.objectContaining({ reason: 'validation_failed', fields: [expect.objectContaining({ field: 'Idempotency-Key' })] }),
    ]);
    expect(await countParts('Batched')).toBe(0);
    const single = await request(server, 'POST', `/trpc/inventory.create?batch=1`, {
      token: owner.token,
      json: { 0: part('Batched alone') },
      headers,
    });
    expect(single.status).toBe(200);
  });
});
