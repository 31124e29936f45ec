import { z } from 'zod';
import { route } from '../trpc/meta.ts';
import { mechanicProcedure, router, staffProcedure } from '../trpc/procedures.ts';
import { ShopSettings, ShopSettingsEdit } from './shop.schemas.ts';
import * as shop from './shop.service.ts';

const tags: ['shop'] = ['shop'];

export const shopRouter = router({
  settings: mechanicProcedure
    .meta(
      route({
        method: 'GET',
        path: '/shop/settings',
        rateLimit: 'read',
        cache: { scope: 'role', dependsOn: ['shop'] },
        tags,
        summary: "The shop's settings: labor rate, tax rates, shop supplies",
      }),
    )
    .input(z.strictObject({}).optional())
    .output(ShopSettings)
    .query(({ ctx }) => shop.getSettings(ctx.services)),

  updateSettings: staffProcedure('owner')
    .meta(
      route({
        method: 'PUT',
        path: '/shop/settings',
        rateLimit: 'write',
        // Re-pricing sends approved jobs back to pending: ticket reads change too.
        invalidates: ['shop', 'serviceTickets'],
        tags,
        summary: "Change any of the shop's settings",
        description:
          'Percentages are decimal strings with at most three decimals, 0 to 100. A change to the tax rates or shop supplies ' +
          "re-prices every ticket and raises each ticket's estimate_version; the labor rate applies to new labor lines only.",
      }),
    )
    .input(ShopSettingsEdit)
    .output(ShopSettings)
    .mutation(({ ctx, input }) => shop.updateSettings(ctx.services, ctx.caller, input)),
});
