import { DEFAULT_RATE_LIMITS } from '@mechanic-shop/core';
import { testProvider } from '@mechanic-shop/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { registerCustomer, registerMechanic } from './accounts.ts';
import { request, startTestServer, type TestServer } from './server-harness.ts';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const sameExceptRequestId = (headers: Headers) => {
  const { 'x-request-id': _id, date: _date, ...rest } = Object.fromEntries(headers);
  return rest;
};

/** Cached public reads are answered by the REST layer itself (rest/cached-answers.ts): these pin down that nothing else changes. */
describe.skipIf(testProvider() !== 'sqlite')('cached public reads over REST', () => {
  it('answer with the same body and headers as the first, uncached, call', async () => {
    server = await startTestServer();
    await registerMechanic(server);
    const first = await request(server, 'GET', '/mechanics/top?limit=5');
    const second = await request(server, 'GET', '/mechanics/top?limit=5');
    expect(second.body).toEqual(first.body);
    expect(sameExceptRequestId(second.headers)).toEqual(sameExceptRequestId(first.headers));
    expect(
      (await request(server, 'GET', '/mechanics/top?limit=5', { headers: { 'if-none-match': first.headers.get('etag')! } })).status,
    ).toBe(304);
  });

  it('spend the same rate-limit budget', async () => {
    server = await startTestServer({ settings: { rateLimits: { ...DEFAULT_RATE_LIMITS, global: { points: 2, seconds: 60 } } } });
    expect((await request(server, 'GET', '/mechanics/top')).headers.get('ratelimit')).toMatch(/r=1;/);
    const cached = await request(server, 'GET', '/mechanics/top');
    expect(cached.headers.get('ratelimit')).toMatch(/r=0;/);
    const refused = await request(server, 'GET', '/mechanics/top');
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ code: 'rate_limited', detail: expect.stringMatching(/^Too many requests; retry in \d+ s$/) });
    expect(refused.headers.get('retry-after')).toBeTruthy();
  });

  it('never hand the anonymous answer to a caller with a token where the answer depends on who asks', async () => {
    server = await startTestServer();
    const mechanic = await registerMechanic(server);
    const customer = await registerCustomer(server);
    const anonymous = await request(server, 'GET', `/mechanics/${mechanic.id}`);
    expect(anonymous.body).toEqual({ id: mechanic.id, name: 'Grace Hopper', role: 'owner' });
    expect((await request(server, 'GET', `/mechanics/${mechanic.id}`, { token: mechanic.token })).body.email).toBe(mechanic.email);
    expect((await request(server, 'GET', `/mechanics/${mechanic.id}`, { token: customer.token })).body).toEqual(anonymous.body);
    expect((await request(server, 'GET', `/mechanics/${mechanic.id}`)).body).toEqual(anonymous.body);
  });

  it('are fresh after a write', async () => {
    server = await startTestServer();
    const mechanic = await registerMechanic(server);
    expect((await request(server, 'GET', `/mechanics/${mechanic.id}`)).body.name).toBe('Grace Hopper');
    await request(server, 'PUT', `/mechanics/${mechanic.id}`, { token: mechanic.token, json: { name: 'Grace B. Hopper' } });
    expect((await request(server, 'GET', `/mechanics/${mechanic.id}`)).body.name).toBe('Grace B. Hopper');
  });
});
