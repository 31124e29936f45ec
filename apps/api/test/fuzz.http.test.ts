import { createHmac, randomBytes } from 'node:crypto';
import { Agent } from 'node:http';
import type { Role } from '@mechanic-shop/core';
import { testProvider, testTokenSettings } from '@mechanic-shop/core/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { everyRestRoute } from '../src/documents-routes.ts';
import { fuzzCase, preview, type FuzzCase, type FuzzWorld } from './fuzz/cases.ts';
import { FIXTURES, idNamesOf, openFuzzShop, type FuzzShop } from './fuzz/fixtures.ts';
import { send, type FuzzResponse } from './fuzz/http.ts';
import { operationsOf, type Operation } from './fuzz/openapi.ts';
import { createRandom } from './fuzz/random.ts';
import { databaseSnapshotter, differences, type DatabaseSnapshot } from './fuzz/snapshot.ts';
import { request, startTestServer, type TestServer } from './server-harness.ts';

/*
 * Walks the OpenAPI document the server serves and sends every REST operation
 * hostile variations of a valid request (see fuzz/cases.ts). Every answer must
 * come, be below 500, and be problem+json with a code when it is a 4xx; a
 * request the documented contract refuses must not be accepted; and a refused
 * request (or any read) must leave every table as it was.
 *
 * `pnpm fuzz` runs it longer with a random seed. The seed is printed, and with
 * it each failing request in full: FUZZ_SEED and FUZZ_CASES_PER_OPERATION
 * replay the run.
 */
const CASES_PER_OPERATION = Number(process.env.FUZZ_CASES_PER_OPERATION ?? 50);
const SEED = process.env.FUZZ_SEED === 'random' ? randomBytes(6).toString('hex') : (process.env.FUZZ_SEED ?? 'mechanic-shop');
/** Far beyond any answer of a healthy server; only a hang takes this long. */
const NO_ANSWER_AFTER_MS = 15_000;
const MAX_BODY_BYTES = 100 * 1024;

let server: TestServer;
let shop: FuzzShop;
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

beforeAll(async () => {
  server = await startTestServer();
  shop = await openFuzzShop(server);
});
afterAll(async () => {
  agent.destroy();
  await server.close();
});

/** A JWT signed with HS256; the test server's key unless another is given. */
function jwt(
  claims: Record<string, unknown>,
  header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' },
  key = testTokenSettings.secret,
) {
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const unsigned = `${encode(header)}.${encode(claims)}`;
  return `${unsigned}.${createHmac('sha256', key).update(unsigned).digest('base64url')}`;
}

function badAuthorizations(): FuzzWorld['badAuthorizations'] {
  const now = Math.floor(Date.now() / 1000);
  const claims = { iss: testTokenSettings.issuer, aud: testTokenSettings.audience, iat: now, exp: now + 600, sub: '1', role: 'mechanic' };
  const bearer = (label: string, token: string) => ({ label, value: `Bearer ${token}` });
  return [
    bearer('a malformed token', 'not.a.jwt'),
    bearer('an 8 KB token', 'a'.repeat(8_000)),
    { label: 'an empty bearer token', value: 'Bearer ' },
    { label: 'Basic credentials', value: `Basic ${Buffer.from('admin:admin').toString('base64')}` },
    bearer('an alg:none token', `${jwt(claims, { alg: 'none', typ: 'JWT' }).split('.').slice(0, 2).join('.')}.`),
    bearer('a token signed with another key', jwt(claims, undefined, 'another key that is at least 32 bytes long')),
    bearer('a token whose header says HS512', jwt(claims, { alg: 'HS512', typ: 'JWT' })),
    bearer('an expired token', jwt({ ...claims, iat: now - 7_200, exp: now - 3_600 })),
    bearer('a token for role admin', jwt({ ...claims, role: 'admin' })),
    bearer('a token for an account that does not exist', jwt({ ...claims, sub: '2147483647' })),
    bearer('a token with an injected subject', jwt({ ...claims, sub: '1 OR 1=1' })),
    bearer('a token with a prototype subject', jwt({ ...claims, sub: '__proto__', role: '__proto__' })),
    bearer('a token for another audience', jwt({ ...claims, aud: 'someone-else' })),
  ];
}

/** The roles whose tokens an operation accepts (empty: anyone), from the route's access rule. */
function rolesOf(operation: Operation): Role[] {
  const route = everyRestRoute().find(({ method, path }) => method === operation.method && path === operation.path);
  if (!route) throw new Error(`${operation.method} ${operation.path} is in the document but not in the router`);
  const access = route.meta.access ?? 'public';
  return access === 'public' ? [] : access === 'authenticated' ? ['customer', 'mechanic'] : [access];
}

/** What is wrong with the form of an answer, whatever its status: none is 5xx, 4xx are problem details, 2xx JSON (or a PDF document). */
function malformationOf(response: FuzzResponse): string | undefined {
  if (response.status >= 500) return `answered ${response.status}`;
  if (response.status >= 400) return isProblem(response) ? undefined : `a ${response.status} that is not problem+json with a code`;
  if (response.status === 204 || response.status === 304) return response.text === '' ? undefined : `a ${response.status} with a body`;
  if (response.headers['content-type'] === 'application/pdf')
    return response.text.startsWith('%PDF-') ? undefined : 'a PDF that is not one';
  if (!String(response.headers['content-type']).startsWith('application/json')) return `a ${response.status} that is not JSON`;
  try {
    JSON.parse(response.text);
  } catch {
    return `a ${response.status} whose body is not JSON`;
  }
  return BCRYPT_HASH.test(response.text) ? 'the answer shows a password hash' : undefined;
}

const BCRYPT_HASH = /\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}/;

function isProblem(response: FuzzResponse): boolean {
  if (!String(response.headers['content-type']).startsWith('application/problem+json')) return false;
  try {
    const body = JSON.parse(response.text) as { code?: unknown; status?: unknown };
    return typeof body.code === 'string' && body.status === response.status;
  } catch {
    return false;
  }
}

/** Everything needed to see and replay a failing case, tokens replaced by whose they are. */
function describeCase(operation: Operation, index: number, fuzz: FuzzCase, response: FuzzResponse | undefined, problem: string): string {
  const { authorization: _token, ...headers } = fuzz.request.headers;
  return [
    `${operation.method} ${operation.path} case #${index} (${fuzz.mutations.join('; ')}) as ${fuzz.caller}: ${problem}`,
    `  request:  ${fuzz.request.method} ${preview(fuzz.request.target, 300)} ${JSON.stringify(headers)}`,
    ...(fuzz.request.body === undefined ? [] : [`  body:     ${preview(fuzz.request.body, 300)}`]),
    ...(response
      ? [`  response: ${response.status} ${response.headers['content-type'] ?? '(no content-type)'} ${preview(response.text, 300)}`]
      : []),
  ].join('\n');
}

it('has a fixture for every kind of id the operations take, and none for ids they no longer take', async () => {
  const used = idNamesOf(operationsOf((await request(server, 'GET', '/openapi.json')).body));
  const filled = FIXTURES.flatMap((fixture) => fixture.names);
  expect({
    'ids without a fixture in apps/api/test/fuzz/fixtures.ts': used.filter((name) => !filled.includes(name)),
    'fixture names no operation uses': filled.filter((name) => !used.includes(name)),
  }).toEqual({ 'ids without a fixture in apps/api/test/fuzz/fixtures.ts': [], 'fixture names no operation uses': [] });
});

it(
  'answers hostile input on every REST operation with a 4xx problem, never a 5xx or a hang, and refused requests change no data',
  async () => {
    const document = await request(server, 'GET', '/openapi.json');
    const operations = operationsOf(document.body);
    expect(operations.length).toBeGreaterThan(20);
    const replay = `FUZZ_SEED=${SEED} FUZZ_CASES_PER_OPERATION=${CASES_PER_OPERATION} pnpm fuzz --project ${testProvider()}`;
    console.log(`fuzz: ${CASES_PER_OPERATION} cases for each of ${operations.length} operations; replay with ${replay}`);

    const { db, provider } = server.app.services;
    const snapshotDatabase = await databaseSnapshotter(db, provider);
    const world: FuzzWorld = {
      // A getter: restoring the shop may register new callers.
      get tokens() {
        return { customer: shop.callers.customer.token, mechanic: shop.callers.mechanic.token };
      },
      badAuthorizations: badAuthorizations(),
      idsFor: shop.idsFor,
    };
    let uniqueValues = 0;
    let requests = 0;
    const failures: string[] = [];
    const acceptedWrites = new Map<string, number>();
    let snapshot: DatabaseSnapshot = await snapshotDatabase();

    for (const operation of operations) {
      const random = createRandom(`${SEED} ${operation.method} ${operation.path}`);
      const roles = rolesOf(operation);
      const isRead = operation.method === 'GET';
      for (let index = 0; index < CASES_PER_OPERATION; index++) {
        const fuzz = fuzzCase({ operation, roles, world, random, unique: () => ++uniqueValues, maxBodyBytes: MAX_BODY_BYTES });
        const fail = (problem: string, response?: FuzzResponse) => failures.push(describeCase(operation, index, fuzz, response, problem));
        let response: FuzzResponse;
        requests++;
        try {
          response = await send(server.url, agent, fuzz.request, NO_ANSWER_AFTER_MS);
        } catch (error) {
          fail((error as Error).message);
          continue;
        }
        const accepted = response.status < 400;
        const malformation = malformationOf(response);
        if (malformation) fail(malformation, response);
        else if (accepted && fuzz.mustReject) fail(`accepted with ${response.status} although ${fuzz.mustReject}`, response);

        // Reads are checked once per operation, after all its cases: no accepted write comes between them.
        if (isRead) continue;
        const after = await snapshotDatabase();
        const changed = differences(snapshot, after);
        if (changed.length > 0 && !accepted) fail(`changed data although it was refused: ${changed.join('; ')}`, response);
        snapshot = after;
        if (accepted) {
          const key = `${operation.method} ${operation.path}`;
          acceptedWrites.set(key, (acceptedWrites.get(key) ?? 0) + 1);
          await shop.restore();
          snapshot = await snapshotDatabase();
        }
      }
      if (isRead) {
        const after = await snapshotDatabase();
        const changed = differences(snapshot, after);
        if (changed.length > 0)
          failures.push(`${operation.method} ${operation.path}: one of its cases changed data: ${changed.join('; ')}`);
        snapshot = after;
      }
    }

    console.log(
      `fuzz: ${requests} requests; accepted writes: ${[...acceptedWrites].map(([key, count]) => `${key} ×${count}`).join(', ') || 'none'}`,
    );
    expect((await request(server, 'GET', '/healthz')).status).toBe(200);
    const errorLogs = server.logs
      .filter((line) => Number(line.level) >= 50)
      .map((line) => `${String(line.msg)} ${JSON.stringify(line.err)}`);
    expect(failures, `${failures.length} failures (${replay}); the first 30:\n\n${failures.slice(0, 30).join('\n\n')}`).toEqual([]);
    expect(errorLogs).toEqual([]);
  },
  CASES_PER_OPERATION * 5_000,
);
