import { resolveResponse } from '@trpc/server/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter, createContext, MAX_BATCH_SIZE, type RequestContext } from '@mechanic-shop/core';
import { registerCustomer, registerMechanic } from './accounts.ts';
import { request, startTestServer, type TestServer } from './server-harness.ts';

/**
 * The tRPC door answers a single query by GET itself (trpc-door.ts,
 * `answerQuery`) rather than through tRPC's `resolveResponse`. Each answer here
 * is compared with what resolveResponse answers to the same request, with the
 * same context: status, envelope, error shape and headers.
 */
let server: TestServer;
let customer: Awaited<ReturnType<typeof registerCustomer>>;
let other: Awaited<ReturnType<typeof registerCustomer>>;
let mechanic: Awaited<ReturnType<typeof registerMechanic>>;
let ticketId: number;

beforeAll(async () => {
  server = await startTestServer();
  mechanic = await registerMechanic(server);
  customer = await registerCustomer(server);
  other = await registerCustomer(server);
  const ticket = await request(server, 'POST', '/service_tickets', {
    token: customer.token,
    json: { title: 'Brakes', vin: '1HGCM82633A004352', service_date: '2026-12-01' },
  });
  ticketId = ticket.body.id as number;
});
afterAll(() => server.close());

/** What resolveResponse answers, as the door would call it, to a GET of `path`. */
async function reference(path: string, token: string | undefined) {
  const url = new URL(path, server.url);
  const authorization = token === undefined ? undefined : `Bearer ${token}`;
  const ctx: RequestContext = createContext(server.app.services, {
    clientIp: '127.0.0.1',
    authorization,
    requestId: 'reference',
    userAgent: '',
  });
  const response = await resolveResponse({
    router: appRouter,
    req: new Request(url, { headers: authorization ? { authorization } : {} }),
    path: url.pathname.slice('/trpc/'.length),
    maxBatchSize: MAX_BATCH_SIZE,
    error: null,
    createContext: async () => ctx,
    responseMeta: () => ({ headers: ctx.responseHeaders }),
  });
  return { status: response.status, headers: response.headers, body: withoutRequestId(await response.json()) };
}

/** The request id is each request's own. */
function withoutRequestId(body: unknown): unknown {
  const data = (body as { error?: { data?: { requestId?: string } } }).error?.data;
  if (data) delete data.requestId;
  return body;
}

const input = (value: unknown) => `?input=${encodeURIComponent(JSON.stringify(value))}`;

const CASES: Array<[string, () => { path: string; token?: string }]> = [
  ['a ticket, to its customer', () => ({ path: `/trpc/serviceTickets.byId${input({ id: ticketId })}`, token: customer.token })],
  ['a ticket, to staff', () => ({ path: `/trpc/serviceTickets.byId${input({ id: ticketId })}`, token: mechanic.token })],
  ['a ticket, to another customer', () => ({ path: `/trpc/serviceTickets.byId${input({ id: ticketId })}`, token: other.token })],
  ['no such ticket', () => ({ path: `/trpc/serviceTickets.byId${input({ id: 987_654 })}`, token: mechanic.token })],
  ['no token', () => ({ path: `/trpc/serviceTickets.byId${input({ id: ticketId })}` })],
  ['a token that is not one', () => ({ path: `/trpc/serviceTickets.byId${input({ id: ticketId })}`, token: 'not.a.token' })],
  ['an invalid input', () => ({ path: `/trpc/serviceTickets.byId${input({ id: 'seven' })}`, token: mechanic.token })],
  ['an unknown field', () => ({ path: `/trpc/serviceTickets.byId${input({ id: ticketId, extra: 1 })}`, token: mechanic.token })],
  ['no input', () => ({ path: '/trpc/serviceTickets.byId', token: mechanic.token })],
  ['an empty input', () => ({ path: '/trpc/serviceTickets.byId?input=', token: mechanic.token })],
  ['a null input', () => ({ path: `/trpc/mechanics.top${input(null)}` })],
  ['a public read without input', () => ({ path: '/trpc/mechanics.top' })],
  ['a page', () => ({ path: `/trpc/serviceTickets.list${input({ page: 1 })}`, token: mechanic.token })],
];

describe('a single query by GET over /trpc', () => {
  it.each(CASES)('%s: answered as resolveResponse answers it', async (_name, make) => {
    const { path, token } = make();
    const expected = await reference(path, token);
    const actual = await request(server, 'GET', path, { token });
    expect(actual.status).toBe(expected.status);
    expect(withoutRequestId(actual.body)).toEqual(expected.body);
    expect(actual.headers.get('content-type')).toBe(expected.headers.get('content-type'));
    expect(actual.headers.get('www-authenticate')).toBe(expected.headers.get('www-authenticate'));
    expect(actual.headers.get('vary')).toBe(`${expected.headers.get('vary')}, Authorization`);
    expect(actual.headers.get('cache-control')).toBe('private, no-store');
  });

  it('leaves what it does not answer itself to resolveResponse: a mutation, a batch, broken JSON', async () => {
    const mutation = await request(server, 'GET', `/trpc/customers.register${input({})}`);
    expect(mutation.status).toBe(405);
    expect(mutation.headers.get('allow')).toBe('POST');
    const batch = await request(server, 'GET', `/trpc/mechanics.top,mechanics.top?batch=1&input=${encodeURIComponent('{"0":{},"1":{}}')}`);
    expect(batch.status).toBe(200);
    expect(batch.body).toHaveLength(2);
    const broken = await request(server, 'GET', '/trpc/mechanics.top?input=%7Bnot-json');
    expect(broken.status).toBe((await reference('/trpc/mechanics.top?input=%7Bnot-json', undefined)).status);
  });
});
