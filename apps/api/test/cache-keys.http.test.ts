import { appRouter, type Principal } from '@mechanic-shop/core';
import { testProvider } from '@mechanic-shop/core/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { restAnswerKey } from '../src/rest/cached-answers.ts';
import { restRoutesOf } from '../src/rest/routes.ts';
import { registerCustomer, registerMechanic } from './accounts.ts';
import { request, startTestServer, type TestServer } from './server-harness.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

/** Every REST read with a cache policy, found from the router: a new cached route is checked without a word here. */
const cachedReads = restRoutesOf(appRouter).filter(
  (route) => route.method === 'GET' && route.meta.cache && route.meta.cache !== 'no-store',
);

/**
 * The REST fast path (rest/cached-answers.ts) finds an answer only under the key
 * the cache middleware stored it under, behind trpc-to-openapi; keys that drift
 * apart would not fail a single request, only make the fast path miss forever.
 */
describe.skipIf(testProvider() !== 'sqlite')('cache keys', () => {
  it('covers the cached reads', () => {
    expect(cachedReads.map((route) => route.path)).toContain('/mechanics/top');
  });

  it.each(cachedReads.map((route) => [`${route.method} ${route.path}`, route] as const))(
    '%s: the REST fast path computes the key the cache middleware looks up',
    async (_name, route) => {
      // A staff account with the route's first role (the sales report is the owner's).
      const mechanic = await registerMechanic(server, route.meta.staffRoles ? { role: route.meta.staffRoles[0] } : {});
      const customer = await registerCustomer(server);
      const caller: { token: string; principal: Principal } =
        route.meta.access === 'customer'
          ? { token: customer.token, principal: { role: 'customer', id: customer.id } }
          : { token: mechanic.token, principal: { role: 'mechanic', id: mechanic.id, staffRole: mechanic.role } };
      // Repeated and coercible query values, the cases where trpc-to-openapi's input is easy to rebuild wrongly.
      // The one cached read with required query parameters gets them too.
      const required = route.path === '/reports/sales' ? '&from=2026-01-01&to=2026-01-31' : '';
      const url = new URL(`${route.path.replace(/\{\w+\}/g, String(mechanic.id))}?page=1&z=b&z=a&limit=03${required}`, server.url);
      const lookedUp = vi.spyOn(server.app.services.cache, 'get');
      try {
        await request(server, 'GET', `${url.pathname}${url.search}`, { token: caller.token });
        expect(lookedUp.mock.calls.map(([key]) => key)).toContain(restAnswerKey(route, url, caller.principal));
      } finally {
        lookedUp.mockRestore();
      }
    },
  );
});
