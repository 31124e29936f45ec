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
  staffProcedure,
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
  owner: staffProcedure('owner')
    .meta(probe)
    .output(z.literal('ok'))
    .query(() => 'ok' as const),
  ownerOrWriter: staffProcedure('owner', 'service_writer')
    .meta(probe)
    .output(z.literal('ok'))
    .query(() => 'ok' as const),
});
const BUILDERS = ['public', 'authenticated', 'customer', 'mechanic', 'owner', 'ownerOrWriter'] as const;
const callerOf = createCallerFactory(probeRouter);

let app: TestApp;
let tokens: Record<keyof typeof EXPECTED, string | undefined>;
beforeAll(async () => {
  app = await createTestApp();
  const owner = await signUpMechanic(app);
  const writer = await signUpMechanic(app, { role: 'service_writer' });
  const technician = await signUpMechanic(app, { role: 'technician' });
  const customer = await signUpCustomer(app);
  tokens = {
    none: undefined,
    garbage: 'not-a-token',
    customer: customer.token,
    owner: owner.token,
    serviceWriter: writer.token,
    technician: technician.token,
  };
});
afterAll(() => app.close());

/** What each caller gets from each builder: the answer, or the problem code. */
const EXPECTED = {
  none: {
    public: 'ok',
    authenticated: 'unauthenticated',
    customer: 'unauthenticated',
    mechanic: 'unauthenticated',
    owner: 'unauthenticated',
    ownerOrWriter: 'unauthenticated',
  },
  garbage: {
    public: 'ok',
    authenticated: 'unauthenticated',
    customer: 'unauthenticated',
    mechanic: 'unauthenticated',
    owner: 'unauthenticated',
    ownerOrWriter: 'unauthenticated',
  },
  customer: { public: 'ok', authenticated: 'ok', customer: 'ok', mechanic: 'forbidden', owner: 'forbidden', ownerOrWriter: 'forbidden' },
  owner: { public: 'ok', authenticated: 'ok', customer: 'forbidden', mechanic: 'ok', owner: 'ok', ownerOrWriter: 'ok' },
  serviceWriter: { public: 'ok', authenticated: 'ok', customer: 'forbidden', mechanic: 'ok', owner: 'forbidden', ownerOrWriter: 'ok' },
  technician: { public: 'ok', authenticated: 'ok', customer: 'forbidden', mechanic: 'ok', owner: 'forbidden', ownerOrWriter: 'forbidden' },
} as const;

describe('the procedure builders', () => {
  it.each(Object.keys(EXPECTED) as Array<keyof typeof EXPECTED>)(
    'let through or refuse a caller with %s token as their access rule says',
    async (who) => {
      const token = tokens[who];
      const caller = callerOf(
        createContext(app.services, {
          clientIp: '127.0.0.1',
          authorization: token && `Bearer ${token}`,
          requestId: 'probe',
          userAgent: '',
        }),
      );
      const outcomes: Record<string, string> = {};
      for (const access of BUILDERS) {
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

describe('staffProcedure', () => {
  it('names the roles in its meta (for the docs) and in its 403', async () => {
    expect(probeRouter.owner._def.meta).toMatchObject({ access: 'mechanic', staffRoles: ['owner'] });
    expect(probeRouter.ownerOrWriter._def.meta).toMatchObject({ access: 'mechanic', staffRoles: ['owner', 'service_writer'] });
    expect(probeRouter.mechanic._def.meta).not.toHaveProperty('staffRoles');
    const caller = callerOf(
      createContext(app.services, {
        clientIp: '127.0.0.1',
        authorization: `Bearer ${tokens.technician}`,
        requestId: 'probe',
        userAgent: '',
      }),
    );
    await expect(caller.ownerOrWriter()).rejects.toThrow('This route is for owners and service writers; this account is a technician');
  });
});
