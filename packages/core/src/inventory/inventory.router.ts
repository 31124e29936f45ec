import { z } from 'zod';
import { ById } from '../shared/schemas.ts';
import { route } from '../trpc/meta.ts';
import { mechanicProcedure, router, staffProcedure } from '../trpc/procedures.ts';
import { InventoryChanges, InventoryItem, InventoryPage, InventoryQuery, NewInventoryItem } from './inventory.schemas.ts';
import * as inventory from './inventory.service.ts';

const tags: ['inventory'] = ['inventory'];

export const inventoryRouter = router({
  create: staffProcedure('owner', 'service_writer')
    .meta(
      route({
        method: 'POST',
        path: '/inventory',
        rateLimit: 'write',
        invalidates: ['inventory'],
        tags,
        summary: 'Add a part to the inventory',
        successStatus: 201,
      }),
    )
    .input(NewInventoryItem)
    .output(InventoryItem)
    .mutation(({ ctx, input }) => inventory.addInventoryItem(ctx.services, ctx.caller, input)),

  list: mechanicProcedure
    .meta(
      route({
        method: 'GET',
        path: '/inventory',
        rateLimit: 'read',
        cache: { scope: 'role', dependsOn: ['inventory'] },
        tags,
        summary: 'List the inventory, optionally searching part names',
      }),
    )
    .input(InventoryQuery)
    .output(InventoryPage)
    .query(({ ctx, input }) => inventory.listInventory(ctx.services, input)),

  byId: mechanicProcedure
    .meta(
      route({
        method: 'GET',
        path: '/inventory/{id}',
        rateLimit: 'read',
        cache: { scope: 'role', dependsOn: ['inventory'] },
        tags,
        summary: 'Get an inventory item',
      }),
    )
    .input(ById)
    .output(InventoryItem)
    .query(({ ctx, input }) => inventory.getInventoryItem(ctx.services, input.id)),

  update: staffProcedure('owner', 'service_writer')
    .meta(
      route({
        method: 'PUT',
        path: '/inventory/{id}',
        rateLimit: 'write',
        invalidates: ['inventory'],
        tags,
        summary: 'Change an inventory item (any subset of fields)',
      }),
    )
    .input(InventoryChanges)
    .output(InventoryItem)
    .mutation(({ ctx, input }) => inventory.updateInventoryItem(ctx.services, ctx.caller, input)),

  delete: staffProcedure('owner', 'service_writer')
    .meta(
      route({
        method: 'DELETE',
        path: '/inventory/{id}',
        rateLimit: 'write',
        invalidates: ['inventory'],
        tags,
        summary: 'Delete an inventory item',
        description: 'A part that is on service tickets cannot be deleted (409) until it is removed from them.',
        successStatus: 204,
        errors: ['inventory_in_use'],
      }),
    )
    .input(ById)
    .output(z.void())
    .mutation(({ ctx, input }) => inventory.deleteInventoryItem(ctx.services, ctx.caller, input.id)),
});
