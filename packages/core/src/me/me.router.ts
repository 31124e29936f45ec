import { z } from 'zod';
import { route } from '../trpc/meta.ts';
import { authenticatedProcedure, router } from '../trpc/procedures.ts';
import { Me } from './me.schemas.ts';
import { whoAmI } from './me.service.ts';

export const meRouter = router({
  get: authenticatedProcedure
    .meta(
      route({
        method: 'GET',
        path: '/me',
        rateLimit: 'read',
        // Per caller: each token is someone else. A staff account's answer shows its role, which owners change; any
        // answer shows the shop's name and currency.
        cache: { scope: 'caller', dependsOn: ['customers', 'mechanics', 'shop'] },
        tags: ['me'],
        summary: 'Who this token logs in as: a customer, or a staff account and its role',
      }),
    )
    // No parameters, and none slipped in: an unknown query field is a 400, as everywhere.
    .input(z.strictObject({}).optional())
    .output(Me)
    .query(({ ctx }) => whoAmI(ctx.services, ctx.caller)),
});
