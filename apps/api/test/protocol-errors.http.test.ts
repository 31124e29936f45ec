import { connect } from 'node:net';
import { appRouter, MAX_INPUT_DEPTH } from '@mechanic-shop/core';
import { testProvider } from '@mechanic-shop/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeTable } from '../src/rest/routes.ts';
import { newCustomer, registerCustomer, registerMechanic } from './accounts.ts';
import { request, startTestServer, type TestServer } from './server-harness.ts';
import { uniqueVin } from '@mechanic-shop/core/testing';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const problemJson = 'application/problem+json';

describe('errors of the REST door are problem details', () => {
  it('415 for a body that is not JSON', async () => {
    const response = await request(server, 'POST', '/customers', {
      rawBody: 'name=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(response.status).toBe(415);
    expect(response.headers.get('content-type')).toBe(problemJson);
    expect(response.body.code).toBe('unsupported_media_type');
  });

  it('a POST that needs no body takes none: no Content-Type is no input, not a 415', async () => {
    const owner = await registerMechanic(server, { role: 'owner' });
    for (const extra of ['', 'Content-Length: 0\r\n']) {
      const { status, body } = await rawExchange(
        `POST /service_tickets/999999/invoice HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${owner.token}\r\n${extra}Connection: close\r\n\r\n`,
      );
      expect(status).toBe(404);
      expect(JSON.parse(body).code).toBe('not_found');
    }
  });

  it('400 malformed_json for broken JSON, with or without a charset', async () => {
    for (const contentType of ['application/json', 'application/json; charset=utf-8']) {
      const response = await request(server, 'POST', '/customers', { rawBody: '{"name": ', headers: { 'content-type': contentType } });
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('malformed_json');
    }
  });

  it('a JSON body with a charset parameter is read like any other', async () => {
    const response = await request(server, 'POST', '/customers', {
      rawBody: JSON.stringify(newCustomer()),
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    expect(response.status).toBe(201);
  });

  it('400 for a body nested deeper than the limit, and no 500 however deep', async () => {
    const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const post = (depth: number) =>
      request(server, 'POST', '/customers', { rawBody: `{"name":${nested(depth)}}`, headers: { 'content-type': 'application/json' } });
    const withinLimit = await post(MAX_INPUT_DEPTH - 1);
    expect(withinLimit).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
    expect(withinLimit.body.errors).toContainEqual(expect.objectContaining({ field: 'name' }));
    for (const depth of [MAX_INPUT_DEPTH, 5_000, 40_000]) {
      const tooDeep = await post(depth);
      expect(tooDeep).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
      expect(tooDeep.body.detail).toContain(`at most ${MAX_INPUT_DEPTH} levels`);
    }
  });

  it('413 for a body over the limit', async () => {
    const response = await request(server, 'POST', '/customers', { json: { ...newCustomer(), name: 'x'.repeat(200 * 1024) } });
    expect(response.status).toBe(413);
    expect(response.body.code).toBe('payload_too_large');
  });

  it('404 for an unknown route and 405 with Allow for a known path', async () => {
    const missing = await request(server, 'GET', '/no/such/route');
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('route_not_found');
    const wrongMethod = await request(server, 'DELETE', '/customers');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST, GET');
  });

  it('431 for a request line or headers over the size limit and 400 for malformed HTTP, as problem details', async () => {
    const tooLong = await exchange(`GET /customers/${'9'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(tooLong).toMatchObject({ status: 431, contentType: problemJson, body: { status: 431, code: 'headers_too_large' } });
    const malformed = await exchange('GET customers HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(malformed).toMatchObject({ status: 400, contentType: problemJson, body: { status: 400, code: 'malformed_request' } });
  });

  it('answers a path with dot segments or backslashes with 404, rather than serving the route it resolves to', async () => {
    const mechanic = await registerMechanic(server);
    const customer = await registerCustomer(server);
    const ticket = await request(server, 'POST', '/service_tickets', {
      token: customer.token,
      json: { title: 'Brakes', vin: uniqueVin(), service_date: '2026-12-01' },
    });
    const ticketPath = `/service_tickets/${ticket.body.id}`;
    for (const path of [`${ticketPath}/parts/%2e%2e`, `${ticketPath}/parts/.%2E`, `${ticketPath}/parts/..`, `${ticketPath}/x\\..`]) {
      const response = await exchange(
        `DELETE ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${mechanic.token}\r\nConnection: close\r\n\r\n`,
      );
      expect(response, path).toMatchObject({ status: 404, contentType: problemJson, body: { code: 'route_not_found' } });
    }
    expect((await request(server, 'GET', ticketPath, { token: mechanic.token })).status).toBe(200);
  });

  it('serves absolute-form targets by their path, and answers asterisk-form ones with 404, not 500', async () => {
    const absolute = await exchange('GET http://elsewhere.example/mechanics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(absolute).toMatchObject({ status: 200, body: { page: 1 } });
    for (const method of ['OPTIONS', 'GET']) {
      const asterisk = await exchange(`${method} * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      expect(asterisk).toMatchObject({ status: 404, contentType: problemJson, body: { code: 'route_not_found' } });
    }
  });

  it('every response carries a request id, and a sensible incoming one is echoed', async () => {
    const fresh = await request(server, 'GET', '/healthz');
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const echoed = await request(server, 'GET', '/mechanics', { headers: { 'x-request-id': 'trace-abc-12345' } });
    expect(echoed.headers.get('x-request-id')).toBe('trace-abc-12345');
    const refused = await request(server, 'GET', '/mechanics', { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(refused.headers.get('x-request-id')).not.toBe('bad id with spaces');
  });

  it('ETag on GET and 304 for a matching If-None-Match', async () => {
    const first = await request(server, 'GET', '/mechanics');
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^".+"$/);
    const again = await request(server, 'GET', '/mechanics', { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
  });
});

describe('the REST door is strict about input trpc-to-openapi would drop', () => {
  const errorsOf = (response: { body: { errors?: Array<{ field: string }> } }) => response.body.errors?.map(({ field }) => field);

  it('a query parameter named like a member of Object.prototype is an unknown field, not a 500', async () => {
    for (const query of ['constructor=x', 'toString=1', 'hasOwnProperty=1', '__proto__=x', '__proto__=a&__proto__=b']) {
      const response = await request(server, 'GET', `/mechanics?${query}`);
      expect(response, query).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
      expect(errorsOf(response), query).toEqual([query.split('=')[0]]);
    }
  });

  it('a body that is not a JSON object, a path parameter in the body or the query, and a query string with a body are 400s', async () => {
    const body = newCustomer();
    const created = await request(server, 'POST', '/customers', { json: body });
    const { token } = (await request(server, 'POST', '/customers/login', { json: { email: body.email, password: body.password } })).body;
    const path = `/customers/${created.body.id}`;
    for (const rawBody of ['[]', '[{"name":"X"}]', 'null', '42', 'true', '"name"']) {
      const response = await request(server, 'PUT', path, { token, rawBody, headers: { 'content-type': 'application/json' } });
      expect(response, rawBody).toMatchObject({ status: 400, body: { errors: [{ field: '(body)', message: 'Expected a JSON object' }] } });
    }
    const idInBody = await request(server, 'PUT', path, { token, json: { id: created.body.id + 1, name: 'Mallory' } });
    expect(idInBody.status).toBe(400);
    expect(errorsOf(idInBody)).toEqual(['id']);
    const idInQuery = await request(server, 'GET', `${path}?id=${created.body.id + 1}`, { token });
    expect(errorsOf(idInQuery)).toEqual(['id']);
    const queryWithBody = await request(server, 'POST', '/customers?role=mechanic', { json: newCustomer() });
    expect(queryWithBody.status).toBe(400);
    expect(errorsOf(queryWithBody)).toEqual(['role']);
    expect((await request(server, 'GET', path, { token })).body).toEqual(created.body);
  });
});

describe('health and readiness', () => {
  it('/healthz says the process is up; /readyz that the database answers', async () => {
    expect(await request(server, 'GET', '/healthz')).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(await request(server, 'GET', '/readyz')).toMatchObject({ status: 200, body: { status: 'ready', database: testProvider() } });
  });
});

describe('logs', () => {
  it('one JSON line per request with method, route template, status, duration and request id', async () => {
    const response = await request(server, 'GET', '/mechanics/12345');
    const line = server.logs.find((entry) => entry.request_id === response.headers.get('x-request-id'));
    expect(line).toMatchObject({ method: 'GET', route: '/mechanics/{id}', status: 404, duration_ms: expect.any(Number) });
  });

  it('never contain passwords or tokens', async () => {
    const body = newCustomer();
    await request(server, 'POST', '/customers', { json: body });
    const login = await request(server, 'POST', '/customers/login', { json: { email: body.email, password: body.password } });
    await request(server, 'GET', '/customers/1', { token: login.body.token });
    const text = JSON.stringify(server.logs);
    expect(text).not.toContain(body.password);
    expect(text).not.toContain(login.body.token);
  });
});

/** Sends raw bytes (requests no HTTP client would send) and reads the one answer until the server closes. */
async function exchange(text: string): Promise<{ status: number; contentType: string | undefined; body: any }> {
  const { status, headers, body } = await rawExchange(text);
  return { status, contentType: headers['content-type']?.[0], body: body ? JSON.parse(body) : undefined };
}

/** The raw answer to raw bytes: status, every header line by lower-cased name (repeats kept), and the bytes after the head. */
function rawExchange(text: string): Promise<{ status: number; headers: Record<string, string[]>; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(new URL(server.url).port), '127.0.0.1', () => socket.write(text));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const headEnd = raw.indexOf('\r\n\r\n');
      const [statusLine = '', ...lines] = raw.slice(0, headEnd).split('\r\n');
      const headers: Record<string, string[]> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        (headers[line.slice(0, colon).trim().toLowerCase()] ??= []).push(line.slice(colon + 1).trim());
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: raw.slice(headEnd + 4) });
    });
  });
}

describe('media types', () => {
  it('are case-insensitive; other JSON-like types are a clear 415', async () => {
    const accepted = await request(server, 'POST', '/customers', {
      rawBody: JSON.stringify(newCustomer()),
      headers: { 'content-type': 'Application/JSON; Charset=UTF-8' },
    });
    expect(accepted.status).toBe(201);
    const refused = await request(server, 'POST', '/customers', {
      rawBody: JSON.stringify(newCustomer()),
      headers: { 'content-type': 'application/merge-patch+json' },
    });
    expect(refused.status).toBe(415);
    expect(refused.body.detail).toBe('Send the body as application/json (got "application/merge-patch+json")');
  });

  it('a validation problem names the bad fields in its detail', async () => {
    const response = await request(server, 'POST', '/customers', { json: { ...newCustomer(), email: 'nope' } });
    expect(response.body.detail).toMatch(/email/);
  });
});

describe('the tRPC door', () => {
  it('refuses batches of more than 50 calls', async () => {
    const paths = (count: number) => Array.from({ length: count }, () => 'mechanics.top').join(',');
    const input = (count: number) =>
      encodeURIComponent(JSON.stringify(Object.fromEntries(Array.from({ length: count }, (_, index) => [index, {}]))));
    expect((await request(server, 'GET', `/trpc/${paths(50)}?batch=1&input=${input(50)}`)).status).toBe(200);
    expect((await request(server, 'GET', `/trpc/${paths(51)}?batch=1&input=${input(51)}`)).status).toBe(400);
  });

  it('answers with a Content-Length, not chunked', async () => {
    const response = await request(server, 'GET', `/trpc/mechanics.top?input=${encodeURIComponent('{}')}`);
    expect(response.status).toBe(200);
    expect(Number(response.headers.get('content-length'))).toBe(JSON.stringify(response.body).length);
  });

  it('413 for a body over the limit, 400 for broken JSON', async () => {
    const tooLarge = await request(server, 'POST', '/trpc/customers.register', {
      json: { ...newCustomer(), name: 'x'.repeat(200 * 1024) },
    });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.error.data.code).toBe('PAYLOAD_TOO_LARGE');
    const broken = await request(server, 'POST', '/trpc/customers.register', {
      rawBody: '{"name": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(broken.status).toBe(400);
    expect(broken.body.error.data.code).toBe('BAD_REQUEST');
  });
});

describe('input nesting on the tRPC door', () => {
  // Brackets need no percent-encoding in a query: 4,000 levels fit in the request line.
  const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
  const reasonOf = (body: any) => body?.error?.data?.reason;

  it('400 for a query input 4,000 levels deep, single or batched, on a public procedure', async () => {
    const single = await request(server, 'GET', `/trpc/mechanics.top?input=${nested(4_000)}`);
    expect(single.status).toBe(400);
    expect(reasonOf(single.body)).toBe('validation_failed');
    expect(single.body.error.message).toContain(`at most ${MAX_INPUT_DEPTH} levels`);
    const batch = await request(server, 'GET', `/trpc/mechanics.top,mechanics.top?batch=1&input={"0":{},"1":${nested(4_000)}}`);
    expect(batch.body[0].result.data.items).toBeInstanceOf(Array);
    expect(reasonOf(batch.body[1])).toBe('validation_failed');
  });

  it('400 for a mutation body 4,000 levels deep, and for one just over the limit', async () => {
    for (const depth of [MAX_INPUT_DEPTH + 1, 4_000]) {
      const response = await request(server, 'POST', '/trpc/customers.register', {
        rawBody: `{"name":${nested(depth - 1)}}`,
        headers: { 'content-type': 'application/json' },
      });
      expect(response.status, String(depth)).toBe(400);
      expect(response.body.error.message).toContain(`at most ${MAX_INPUT_DEPTH} levels`);
    }
  });
});

describe('HTTP hygiene', () => {
  it('answers HEAD on every GET route like GET, with the same headers and no body', async () => {
    // An owner: some reads (the sales report) are the owner's.
    const mechanic = await registerMechanic(server, { role: 'owner' });
    const customer = await registerCustomer(server);
    const ticket = await request(server, 'POST', '/service_tickets', {
      token: customer.token,
      json: { title: 'Brakes', vin: uniqueVin(), service_date: '2026-12-01' },
    });
    const part = await request(server, 'POST', '/inventory', { token: mechanic.token, json: { part_name: 'Fuse', price: 1, quantity: 1 } });
    const link = await request(server, 'POST', `/service_tickets/${ticket.body.id}/approval_link`, { token: mechanic.token, json: {} });
    // Another ticket of the customer's, done and invoiced, for the invoice routes.
    const done = await request(server, 'POST', '/service_tickets', {
      token: customer.token,
      json: { title: 'Fuse', vin: uniqueVin(), service_date: '2026-12-01' },
    });
    for (const status of ['IN_PROGRESS', 'COMPLETED'])
      await request(server, 'PUT', `/service_tickets/${done.body.id}/edit`, { token: mechanic.token, json: { status } });
    const invoice = await request(server, 'POST', `/service_tickets/${done.body.id}/invoice`, { token: mechanic.token });
    const idOf: Record<string, number> = {
      customers: customer.id,
      mechanics: mechanic.id,
      service_tickets: ticket.body.id,
      inventory: part.body.id,
      vehicles: ticket.body.vehicle.id,
      // A public address needs no lookup, and the test server delivers nothing.
      webhooks: (
        await request(server, 'POST', '/webhooks', {
          token: mechanic.token,
          json: { url: 'https://93.184.216.34/hook', event_types: ['ticket.created'] },
        })
      ).body.id,
    };
    const getRoutes = [...routeTable(appRouter).byProcedure.values()]
      .filter((route) => route.method === 'GET')
      .map((route) => ({
        path: route.path
          .replace('{id}', String(idOf[route.path.split('/')[1]!]))
          .replace('{vin}', ticket.body.vin)
          .replace('{token}', link.body.token)
          .replace('{number}', invoice.body.number)
          // The one GET with required query parameters.
          .concat(route.path === '/reports/sales' ? '?from=2026-01-01&to=2026-12-31' : ''),
        token: route.meta.access === 'customer' ? customer.token : mechanic.token,
      }));
    expect(getRoutes.length).toBeGreaterThanOrEqual(10);
    const fixed = [
      '/healthz',
      '/readyz',
      '/openapi.json',
      '/docs',
      '/docs/scalar.js',
      '/problems/not_found',
      `/trpc/mechanics.top?input=${encodeURIComponent('{}')}`,
    ];
    for (const { path, token } of [...getRoutes, ...fixed.map((path) => ({ path, token: mechanic.token }))]) {
      const exchangeWith = (method: string) =>
        rawExchange(`${method} ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nConnection: close\r\n\r\n`);
      const get = await exchangeWith('GET');
      const head = await exchangeWith('HEAD');
      expect(get.status, path).toBe(200);
      expect(head.status, path).toBe(200);
      expect(head.body, path).toBe('');
      const comparable = ({ headers }: { headers: Record<string, string[]> }) => {
        const { 'x-request-id': _id, date: _date, ...rest } = headers;
        return rest;
      };
      expect(comparable(head), path).toEqual(comparable(get));
    }
  });

  it('X-Content-Type-Options: nosniff on every answer: successes, problems, tRPC, fixed routes and parser-level refusals', async () => {
    for (const path of ['/mechanics', '/no/such/route', '/customers', '/trpc/mechanics.top', '/healthz', '/docs', '/problems/not_found']) {
      expect((await request(server, 'GET', path)).headers.get('x-content-type-options'), path).toBe('nosniff');
    }
    const malformed = await rawExchange('GET customers HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(malformed.status).toBe(400);
    expect(malformed.headers['x-content-type-options']).toEqual(['nosniff']);
  });

  it('tRPC GET answers are never stored and vary with the token', async () => {
    const response = await request(server, 'GET', `/trpc/mechanics.top?input=${encodeURIComponent('{}')}`);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(response.headers.get('vary')).toMatch(/\bAuthorization\b/);
  });

  it('the problem types are the codes only, not the members every object has', async () => {
    expect((await request(server, 'GET', '/problems/not_found')).body).toMatchObject({ code: 'not_found', status: 404 });
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const response = await request(server, 'GET', `/problems/${name}`);
      expect(response.status, name).toBe(404);
      expect(response.body.code, name).toBe('route_not_found');
    }
  });

  it('a streamed tRPC answer (trpc-accept: application/jsonl) has exactly one framing header', async () => {
    // tRPC streams batches only.
    const input = encodeURIComponent('{"0":{}}');
    const answer = await rawExchange(
      `GET /trpc/mechanics.top?batch=1&input=${input} HTTP/1.1\r\nHost: x\r\ntrpc-accept: application/jsonl\r\nConnection: close\r\n\r\n`,
    );
    expect(answer.status, answer.body).toBe(200);
    expect(answer.headers['transfer-encoding']).toBeUndefined();
    expect(answer.headers['content-length']).toEqual([String(Buffer.byteLength(answer.body))]);
    expect(answer.body).toContain('items');
  });
});
