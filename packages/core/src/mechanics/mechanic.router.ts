import { z } from 'zod';
import { logIn } from '../auth/accounts.ts';
import { ById, MechanicCredentials, PaginationInput, Token } from '../shared/schemas.ts';
import { route } from '../trpc/meta.ts';
import { mechanicProcedure, publicProcedure, router } from '../trpc/procedures.ts';
import { Mechanic, MechanicChanges, MechanicPage, NewMechanic, TopMechanics, TopMechanicsQuery } from './mechanic.schemas.ts';
import * as mechanics from './mechanic.service.ts';

const tags: ['mechanics'] = ['mechanics'];

export const mechanicRouter = router({
  register: publicProcedure
    .meta(
      route({
        method: 'POST',
        path: '/mechanics',
        rateLimit: 'register',
        invalidates: ['mechanics'],
        tags,
        summary: 'Register a mechanic',
        description:
          "Open to anyone only while the shop has no mechanic: that request creates the shop's first account. " +
          'Afterwards it needs a mechanic token (none → 401, a customer token → 403).',
        successStatus: 201,
        tokenEffect: 'Required once the shop has its first mechanic: only mechanics register mechanics.',
        errors: ['email_taken'],
      }),
    )
    .input(NewMechanic)
    .output(Mechanic)
    .mutation(async ({ ctx, input }) => mechanics.registerMechanic(ctx.services, (await ctx.authenticate()).principal, input)),

  logIn: publicProcedure
    .meta(
      route({
        method: 'POST',
        path: '/mechanics/login',
        rateLimit: 'login',
        invalidates: [],
        tags,
        summary: 'Log in as a mechanic',
        errors: ['invalid_credentials'],
      }),
    )
    .input(MechanicCredentials)
    .output(Token)
    .mutation(({ ctx, input }) => logIn(ctx.services, 'mechanic', input)),

  list: publicProcedure
    .meta(
      route({
        method: 'GET',
        path: '/mechanics',
        rateLimit: 'read',
        // Per caller: each mechanic sees their own salary only.
        cache: { scope: 'caller', dependsOn: ['mechanics'] },
        tags,
        summary: 'List mechanics',
        tokenEffect:
          "With a mechanic token the list shows colleagues' contact details and the caller's own salary (nobody else's); otherwise id and name.",
      }),
    )
    .input(PaginationInput)
    .output(MechanicPage)
    .query(async ({ ctx, input }) => mechanics.listMechanics(ctx.services, (await ctx.authenticate()).principal, input)),

  // Before `byId`: REST paths match in order, and `{id}` would take "top".
  top: publicProcedure
    .meta(
      route({
        method: 'GET',
        path: '/mechanics/top',
        rateLimit: 'read',
        cache: { scope: 'public', dependsOn: ['mechanics', 'assignments'] },
        tags,
        summary: 'Mechanics by the number of service tickets they worked on',
      }),
    )
    .input(TopMechanicsQuery)
    .output(TopMechanics)
    .query(({ ctx, input }) => mechanics.topMechanics(ctx.services, input.limit)),

  byId: publicProcedure
    .meta(
      route({
        method: 'GET',
        path: '/mechanics/{id}',
        rateLimit: 'read',
        // Per caller: each mechanic sees their own salary only.
        cache: { scope: 'caller', dependsOn: ['mechanics'] },
        tags,
        summary: 'Get a mechanic',
        tokenEffect:
          "With a mechanic token it shows contact details, and the salary on the caller's own account only; otherwise id and name.",
      }),
    )
    .input(ById)
    .output(Mechanic)
    .query(async ({ ctx, input }) => mechanics.getMechanic(ctx.services, (await ctx.authenticate()).principal, input.id)),

  update: mechanicProcedure
    .meta(
      route({
        method: 'PUT',
        path: '/mechanics/{id}',
        rateLimit: 'write',
        invalidates: ['mechanics'],
        tags,
        summary: 'Change your mechanic account (any subset of fields)',
        description: 'A new password or email revokes every token issued before it: log in again.',
        ownership: 'own account only',
        errors: ['email_taken'],
      }),
    )
    .input(MechanicChanges)
    .output(Mechanic)
    .mutation(({ ctx, input }) => mechanics.updateMechanic(ctx.services, ctx.caller, input)),

  delete: mechanicProcedure
    .meta(
      route({
        method: 'DELETE',
        path: '/mechanics/{id}',
        rateLimit: 'write',
        invalidates: ['mechanics', 'assignments'],
        tags,
        summary: 'Delete your mechanic account',
        ownership: "own account only; the shop's last mechanic cannot be deleted",
        successStatus: 204,
        errors: ['last_mechanic'],
      }),
    )
    .input(ById)
    .output(z.void())
    .mutation(({ ctx, input }) => mechanics.deleteMechanic(ctx.services, ctx.caller, input.id)),
});
