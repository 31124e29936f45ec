import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { signUpCustomer, signUpMechanic } from '../testing/fixtures.ts';
import type { AppError } from '../errors.ts';
import { createTestApp, type TestApp } from '../testing/index.ts';
import { createContext } from './context.ts';
import { route } from './meta.ts';
import {
  authenticatedProcedure,
  createCallerFactory,
  customerProcedure,
  mechanicProcedure,
  publicProcedure,
  router,
} from './procedures.ts';

/**
 * The procedure builders enforce their access rule, whatever the route: a
 * resource's router only picks a builder. Which route uses which builder, and
 * the ownership rules on top, are the HTTP authorization matrix's to prove
 * (apps/api/test/authorization-matrix.http.test.ts).
 */
const probe = route({ method: 'GET', path: '/probe', rateLimit: 'read', cache: 'no-store', tags: ['probe'], summary: 'Probe' });
const probeRouter = router({
  public: publicProcedure
    .meta(probe)
    .output(z.literal('ok'))
    .query(() => 'ok' as const),
  authenticated: authenticatedProcedure
    .meta(probe)
    .output(z.literal('ok'))
    .query(() => 'ok' as const),
  customer: customerProcedure
    .meta(probe)
    .output(z.literal('ok'))
    .query(() => 'ok' as const),
  mechanic: mechanicProcedure
    .meta(probe)
    .output(z.literal('ok'))
    .query(() => 'ok' as const),
});
const callerOf = createCallerFactory(probeRouter);

let app: TestApp;
let tokens: Record<'none' | 'garbage' | 'customer' | 'mechanic', string | undefined>;
beforeAll(async () => {
  app = await createTestApp();
  const [mechanic, customer] = [await signUpMechanic(app), await signUpCustomer(app)];
  tokens = { none: undefined, garbage: 'not-a-token', customer: customer.token, mechanic: mechanic.token };
});
afterAll(() => app.close());

/** What each caller gets from each builder: the answer, or the problem code. */
const EXPECTED = {
  none: { public: 'ok', authenticated: 'unauthenticated', customer: 'unauthenticated', mechanic: 'unauthenticated' },
  garbage: { public: 'ok', authenticated: 'unauthenticated', customer: 'unauthenticated', mechanic: 'unauthenticated' },
  customer: { public: 'ok', authenticated: 'ok', customer: 'ok', mechanic: 'forbidden' },
  mechanic: { public: 'ok', authenticated: 'ok', customer: 'forbidden', mechanic: 'ok' },
} as const;

describe('the procedure builders', () => {
  it.each(Object.keys(EXPECTED) as Array<keyof typeof EXPECTED>)(
    'let through or refuse a caller with %s token as their access rule says',
    async (who) => {
      const token = tokens[who];
      const caller = callerOf(
        createContext(app.services, { clientIp: '127.0.0.1', authorization: token && `Bearer ${token}`, requestId: 'probe' }),
      );
      const outcomes: Record<string, string> = {};
      for (const access of ['public', 'authenticated', 'customer', 'mechanic'] as const) {
        try {
          outcomes[access] = await caller[access]();
        } catch (error) {
          outcomes[access] = (error as AppError).problem;
        }
      }
      expect(outcomes).toEqual(EXPECTED[who]);
    },
  );
});
