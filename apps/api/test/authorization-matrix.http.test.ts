import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter, type ProblemCode, type Role } from '@mechanic-shop/core';
import { TEST_JWT_SECRET, testTokenSettings } from '@mechanic-shop/core/testing';
import { restRoutesOf } from '../src/rest/routes.ts';
import { newCustomer, newMechanic, PASSWORD, registerCustomer, registerMechanic } from './accounts.ts';
import { request, startTestServer, type JsonResponse, type TestServer } from './server-harness.ts';

/*
 * OWASP API1 (object level) and API5 (function level) authorization: every REST
 * route, called by every kind of caller, answers exactly the status below, and
 * a refused caller gets problem details without anybody's data.
 */

/**
 * Who calls. The three tokens that must not authenticate are a mechanic's token
 * (the strongest one to forge) made expired with the right key, or signed with
 * another key. "owner" is the customer whose objects the call involves;
 * "mechanic" is the mechanic the call involves (on `/mechanics/{id}`: that
 * account). The two "other" accounts are bystanders.
 */
const CALLERS = ['none', 'garbage', 'expired', 'otherKey', 'owner', 'otherCustomer', 'mechanic', 'otherMechanic'] as const;
type Caller = (typeof CALLERS)[number];
/** One status per caller, in the order of `CALLERS`. */
type StatusPerCaller<Callers extends readonly Caller[]> = { readonly [Index in keyof Callers]: number };
type Statuses = StatusPerCaller<typeof CALLERS>;

// Aligned by hand: the table is read by columns.
// prettier-ignore
const EXPECTED_STATUS = {
  //                                                   no token  garbage  expired  other key  owner  other customer  mechanic  other mechanic
  'POST /customers':                                   [201,     201,     201,     201,       201,   201,            201,      201],
  'POST /customers/login':                             [200,     200,     200,     200,       200,   200,            200,      200],
  'GET /customers':                                    [401,     401,     401,     401,       403,   403,            200,      200],
  'GET /customers/my-tickets':                         [401,     401,     401,     401,       200,   200,            403,      403],
  'GET /customers/{id}':                               [401,     401,     401,     401,       200,   403,            200,      200],
  'PUT /customers/{id}':                               [401,     401,     401,     401,       200,   403,            403,      403],
  'DELETE /customers/{id}':                            [401,     401,     401,     401,       204,   403,            403,      403],
  'POST /mechanics':                                   [401,     401,     401,     401,       403,   403,            201,      201],
  'POST /mechanics/login':                             [200,     200,     200,     200,       200,   200,            200,      200],
  'GET /mechanics':                                    [200,     200,     200,     200,       200,   200,            200,      200],
  'GET /mechanics/top':                                [200,     200,     200,     200,       200,   200,            200,      200],
  'GET /mechanics/{id}':                               [200,     200,     200,     200,       200,   200,            200,      200],
  'PUT /mechanics/{id}':                               [401,     401,     401,     401,       403,   403,            200,      403],
  'DELETE /mechanics/{id}':                            [401,     401,     401,     401,       403,   403,            204,      403],
  'POST /service_tickets':                             [401,     401,     401,     401,       201,   201,            403,      403],
  'GET /service_tickets':                              [401,     401,     401,     401,       403,   403,            200,      200],
  'GET /service_tickets/{id}':                         [401,     401,     401,     401,       200,   404,            200,      200],
  'PUT /service_tickets/{id}/edit':                    [401,     401,     401,     401,       403,   403,            200,      200],
  'DELETE /service_tickets/{id}':                      [401,     401,     401,     401,       403,   403,            204,      204],
  'POST /service_tickets/{id}/parts':                  [401,     401,     401,     401,       403,   403,            200,      200],
  'DELETE /service_tickets/{id}/parts/{inventory_id}': [401,     401,     401,     401,       403,   403,            204,      204],
  'POST /inventory':                                   [401,     401,     401,     401,       403,   403,            201,      201],
  'GET /inventory':                                    [401,     401,     401,     401,       403,   403,            200,      200],
  'GET /inventory/{id}':                               [401,     401,     401,     401,       403,   403,            200,      200],
  'PUT /inventory/{id}':                               [401,     401,     401,     401,       403,   403,            200,      200],
  'DELETE /inventory/{id}':                            [401,     401,     401,     401,       403,   403,            204,      204],
  'POST /assignments':                                 [401,     401,     401,     401,       403,   403,            201,      201],
  'GET /assignments':                                  [401,     401,     401,     401,       403,   403,            200,      200],
  'DELETE /assignments':                               [401,     401,     401,     401,       403,   403,            204,      204],
} satisfies Record<string, Statuses>;

type Route = keyof typeof EXPECTED_STATUS;

interface Account {
  id: number;
  email: string;
  token: string;
}

/**
 * The accounts of one call, and what the others must not see. Calls share four
 * accounts and never change them: a call that changes or deletes an account
 * gets one of its own (`ownerOfItsOwn`, `mechanicOfItsOwn`), and each set-up makes the
 * objects its call reads or consumes. So no call depends on another's.
 */
interface Scene {
  owner: Account;
  mechanic: Account;
  otherCustomer: Account;
  otherMechanic: Account;
  /** Values only the owner and mechanics may see: the owner's account, and the tickets made for them. */
  ownerData: string[];
  /** Values only mechanics may see: the mechanics' contact details. */
  staffData: string[];
  /** Values only one account may see: each mechanic's salary (no owner role yet). */
  ownData: Partial<Record<Caller, string[]>>;
}

interface Call {
  path: string;
  json?: unknown;
}

/** Per route, a request that succeeds for the authorized callers; its set-up makes what the call reads or consumes. */
const REQUESTS: Record<Route, (scene: Scene) => Call | Promise<Call>> = {
  'POST /customers': () => ({ path: '/customers', json: newCustomer() }),
  'POST /customers/login': ({ owner }) => ({ path: '/customers/login', json: { email: owner.email, password: PASSWORD } }),
  'GET /customers': () => ({ path: '/customers' }),
  'GET /customers/my-tickets': async (scene) => {
    await openTicket(scene);
    return { path: '/customers/my-tickets' };
  },
  'GET /customers/{id}': ({ owner }) => ({ path: `/customers/${owner.id}` }),
  'PUT /customers/{id}': async (scene) => ({ path: `/customers/${(await ownerOfItsOwn(scene)).id}`, json: { phone: '+44 20 7946 0001' } }),
  'DELETE /customers/{id}': async (scene) => {
    const owner = await ownerOfItsOwn(scene);
    await openTicket(scene);
    return { path: `/customers/${owner.id}` };
  },
  'POST /mechanics': () => ({ path: '/mechanics', json: newMechanic() }),
  'POST /mechanics/login': ({ mechanic }) => ({ path: '/mechanics/login', json: { email: mechanic.email, password: PASSWORD } }),
  'GET /mechanics': () => ({ path: '/mechanics' }),
  'GET /mechanics/top': () => ({ path: '/mechanics/top' }),
  'GET /mechanics/{id}': ({ mechanic }) => ({ path: `/mechanics/${mechanic.id}` }),
  'PUT /mechanics/{id}': async (scene) => ({ path: `/mechanics/${(await mechanicOfItsOwn(scene)).id}`, json: { phone: '+1 555 0101' } }),
  'DELETE /mechanics/{id}': async (scene) => ({ path: `/mechanics/${(await mechanicOfItsOwn(scene)).id}` }),
  'POST /service_tickets': () => ({ path: '/service_tickets', json: ticketBody() }),
  'GET /service_tickets': async (scene) => {
    await openTicket(scene);
    return { path: `/service_tickets?customer_id=${scene.owner.id}` };
  },
  'GET /service_tickets/{id}': async (scene) => ({ path: `/service_tickets/${await openTicket(scene)}` }),
  'PUT /service_tickets/{id}/edit': async (scene) => ({
    path: `/service_tickets/${await openTicket(scene)}/edit`,
    json: { add_ids: [scene.mechanic.id], status: 'IN_PROGRESS', cost: '120.00' },
  }),
  'DELETE /service_tickets/{id}': async (scene) => ({ path: `/service_tickets/${await openTicket(scene)}` }),
  'POST /service_tickets/{id}/parts': async (scene) => ({
    path: `/service_tickets/${await openTicket(scene)}/parts`,
    json: { inventory_id: await stockPart(scene), quantity: 2 },
  }),
  'DELETE /service_tickets/{id}/parts/{inventory_id}': async (scene) => {
    const ticketId = await openTicket(scene);
    const partId = await stockPart(scene);
    await made(200, 'POST', `/service_tickets/${ticketId}/parts`, {
      token: scene.mechanic.token,
      json: { inventory_id: partId, quantity: 2 },
    });
    return { path: `/service_tickets/${ticketId}/parts/${partId}` };
  },
  'POST /inventory': () => ({ path: '/inventory', json: partBody() }),
  'GET /inventory': async (scene) => {
    await stockPart(scene);
    return { path: '/inventory' };
  },
  'GET /inventory/{id}': async (scene) => ({ path: `/inventory/${await stockPart(scene)}` }),
  'PUT /inventory/{id}': async (scene) => ({ path: `/inventory/${await stockPart(scene)}`, json: { price: '52.00', quantity: 7 } }),
  'DELETE /inventory/{id}': async (scene) => ({ path: `/inventory/${await stockPart(scene)}` }),
  'POST /assignments': async (scene) => ({
    path: '/assignments',
    json: { service_ticket_id: await openTicket(scene), mechanic_id: scene.mechanic.id },
  }),
  'GET /assignments': async (scene) => ({ path: `/assignments?service_ticket_id=${await assignMechanic(scene)}` }),
  'DELETE /assignments': async (scene) => ({
    path: `/assignments?service_ticket_id=${await assignMechanic(scene)}&mechanic_id=${scene.mechanic.id}`,
  }),
};

let server: TestServer;
let shared: Scene;

beforeAll(async () => {
  server = await startTestServer();
  // The first mechanic opens the shop: from then on, only mechanics register mechanics.
  const otherMechanic = await registerMechanic(server);
  const mechanic = await registerMechanic(server);
  const owner = await registerOwner();
  const otherCustomer = await registerCustomer(server);
  // Salaries nobody else has, to look for in answers.
  const salaries = { mechanic: '61234.57', otherMechanic: '72345.68' };
  for (const [account, salary] of [
    [mechanic, salaries.mechanic],
    [otherMechanic, salaries.otherMechanic],
  ] as const) {
    await made(200, 'PUT', `/mechanics/${account.id}`, { token: account.token, json: { salary } });
  }
  shared = {
    owner,
    mechanic,
    otherCustomer,
    otherMechanic,
    ownerData: [owner.name, owner.email],
    staffData: [mechanic.email, otherMechanic.email],
    ownData: { mechanic: [salaries.mechanic], otherMechanic: [salaries.otherMechanic] },
  };
});
afterAll(() => server.close());

let vinSerial = 0;
const ticketBody = () => ({
  title: `Brakes squeal ${randomUUID()}`,
  description: 'Front',
  vin: `1HGCM826${String(++vinSerial).padStart(9, '0')}`,
  service_date: '2026-12-01',
});
const partBody = () => ({ part_name: 'Brake pad set', description: 'Front, ceramic', price: '49.90', quantity: 5 });

/** The scene of one call: the shared accounts, until the call's set-up replaces one. */
const stage = (): Scene => ({ ...shared, ownerData: [...shared.ownerData], staffData: [...shared.staffData] });

/** A customer with a name nobody else has, to look for in answers. */
async function registerOwner() {
  const name = `Owner ${randomUUID()}`;
  return { ...(await registerCustomer(server, { name })), name };
}

/** For a call that changes or deletes the owner's account: an owner of its own. */
async function ownerOfItsOwn(scene: Scene): Promise<Account> {
  const owner = await registerOwner();
  scene.ownerData.push(owner.name, owner.email);
  return (scene.owner = owner);
}

/** For a call that changes or deletes the mechanic's account: a mechanic of its own. */
async function mechanicOfItsOwn(scene: Scene): Promise<Account> {
  const mechanic = await registerMechanic(server);
  scene.staffData.push(mechanic.email);
  return (scene.mechanic = mechanic);
}

/** A set-up request that must succeed with `status`; its body. */
async function made(status: number, method: string, path: string, options: { token: string; json?: unknown }) {
  const response = await request(server, method, path, options);
  if (response.status !== status) throw new Error(`set-up ${method} ${path}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** A ticket of the scene's owner; its id. */
async function openTicket(scene: Scene): Promise<number> {
  const body = ticketBody();
  scene.ownerData.push(body.title, body.vin);
  return (await made(201, 'POST', '/service_tickets', { token: scene.owner.token, json: body })).id;
}

/** An inventory item with stock; its id. */
async function stockPart(scene: Scene): Promise<number> {
  return (await made(201, 'POST', '/inventory', { token: scene.mechanic.token, json: partBody() })).id;
}

/** The scene's mechanic assigned to a ticket of the owner; the ticket's id. */
async function assignMechanic(scene: Scene): Promise<number> {
  const ticketId = await openTicket(scene);
  await made(201, 'POST', '/assignments', {
    token: scene.mechanic.token,
    json: { service_ticket_id: ticketId, mechanic_id: scene.mechanic.id },
  });
  return ticketId;
}

const ANOTHER_SECRET = 'another-secret-that-is-at-least-32-bytes-long';

/** A token like the server's own for `principal`, signed with `secret`, valid for an hour from `issuedAt` (seconds). */
function forgeToken(principal: { role: Role; id: number }, secret: string, issuedAt: number): Promise<string> {
  return new SignJWT({ role: principal.role, ver: 0 })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(String(principal.id))
    .setIssuer(testTokenSettings.issuer)
    .setAudience(testTokenSettings.audience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + 3600)
    .sign(new TextEncoder().encode(secret));
}

const now = () => Math.floor(Date.now() / 1000);

async function tokenOf(caller: Caller, scene: Scene): Promise<string | undefined> {
  const mechanic = { role: 'mechanic' as const, id: scene.mechanic.id };
  switch (caller) {
    case 'none':
      return undefined;
    case 'garbage':
      return 'not-a-token';
    case 'expired':
      return forgeToken(mechanic, TEST_JWT_SECRET, now() - 2 * 3600);
    case 'otherKey':
      return forgeToken(mechanic, ANOTHER_SECRET, now());
    default:
      return scene[caller].token;
  }
}

/** RFC 6750 §3: what each rejected kind of token is told. */
const CHALLENGES: Partial<Record<Caller, string>> = {
  none: 'Bearer',
  garbage: 'Bearer error="invalid_token", error_description="invalid"',
  expired: 'Bearer error="invalid_token", error_description="expired"',
  otherKey: 'Bearer error="invalid_token", error_description="invalid"',
};

const REFUSALS: Record<number, ProblemCode> = { 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found' };
const MECHANICS: ReadonlySet<Caller> = new Set(['mechanic', 'otherMechanic']);
const PROBLEM_FIELDS = new Set(['type', 'title', 'status', 'detail', 'code', 'errors', 'request_id']);

function expectNoDataFor(caller: Caller, scene: Scene, response: JsonResponse) {
  const text = JSON.stringify(response.body ?? null);
  const hidden = [
    ...(MECHANICS.has(caller) ? [] : scene.staffData),
    ...(MECHANICS.has(caller) || caller === 'owner' ? [] : scene.ownerData),
    ...Object.entries(scene.ownData).flatMap(([account, values]) => (account === caller ? [] : values)),
  ];
  for (const value of hidden) expect(text, `shows ${value}`).not.toContain(value);
}

function expectRefusal(caller: Caller, response: JsonResponse, status: number) {
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  expect(response.body).toMatchObject({ status, code: REFUSALS[status] });
  expect(Object.keys(response.body).filter((field) => !PROBLEM_FIELDS.has(field))).toEqual([]);
  if (status === 401) expect(response.headers.get('www-authenticate')).toBe(CHALLENGES[caller]);
}

describe('the authorization matrix', () => {
  it('has one row for each REST route', () => {
    const routes = restRoutesOf(appRouter).map(({ method, path }) => `${method} ${path}`);
    const rows = Object.keys(EXPECTED_STATUS);
    // Named, not counted: the failure says which row to add or remove.
    expect({
      'routes without a row': routes.filter((route) => !rows.includes(route)),
      'rows without a route': rows.filter((row) => !routes.includes(row)),
    }).toEqual({ 'routes without a row': [], 'rows without a route': [] });
  });

  it('refuses the forged tokens for what they test only: forged with the right key and time, a token works', async () => {
    const token = await forgeToken({ role: 'mechanic', id: shared.mechanic.id }, TEST_JWT_SECRET, now());
    expect((await request(server, 'GET', '/customers', { token })).status).toBe(200);
  });

  it("answers another customer's ticket as a ticket that does not exist: ids reveal nothing", async () => {
    const ticketId = await openTicket(stage());
    const missingId = ticketId + 1_000_000;
    const answer = async (id: number) => {
      const { status, body } = await request(server, 'GET', `/service_tickets/${id}`, { token: shared.otherCustomer.token });
      return { status, body: { ...body, detail: body.detail.replace(String(id), '{id}'), request_id: undefined } };
    };
    expect(await answer(ticketId)).toEqual(await answer(missingId));
  });

  describe.each(Object.keys(EXPECTED_STATUS) as Route[])('%s', (route) => {
    const method = route.slice(0, route.indexOf(' '));
    const cases = CALLERS.map((caller, index) => ({ caller, status: EXPECTED_STATUS[route][index]! }));
    it.each(cases)('$caller → $status', async ({ caller, status }) => {
      const scene = stage();
      const call = await REQUESTS[route](scene);
      const response = await request(server, method, call.path, { token: await tokenOf(caller, scene), json: call.json });
      expect(response.status, JSON.stringify(response.body)).toBe(status);
      expectNoDataFor(caller, scene, response);
      if (status >= 400) expectRefusal(caller, response, status);
    });
  });
});
