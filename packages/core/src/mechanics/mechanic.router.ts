import { z } from 'zod';
import { logIn } from '../auth/accounts.ts';
import { ById, MechanicCredentials, PaginationInput, Token } from '../shared/schemas.ts';
import { route } from '../trpc/meta.ts';
import { mechanicProcedure, publicProcedure, router, staffProcedure } from '../trpc/procedures.ts';
import { Mechanic, MechanicChanges, MechanicPage, NewMechanic, RoleChange, TopMechanics, TopMechanicsQuery } from './mechanic.schemas.ts';
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
        summary: 'Add a staff account, with any role (technician unless said)',
        description:
          "Open to anyone only while the shop has no mechanic: that request creates the shop's first account, its owner, " +
          "whatever role it asks for. Afterwards it needs an owner's token (none → 401, any other token → 403).",
        successStatus: 201,
        tokenEffect: "Required once the shop has its first mechanic: only the shop's owners add staff.",
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
        // Per caller: which salaries it shows depends on who asks.
        cache: { scope: 'caller', dependsOn: ['mechanics'] },
        tags,
        summary: 'List mechanics',
        tokenEffect:
          "With a staff token: contact details, and salaries (an owner sees everyone's, other staff their own); otherwise id, name and role.",
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
        // Per caller: whether it shows the salary depends on who asks.
        cache: { scope: 'caller', dependsOn: ['mechanics'] },
        tags,
        summary: 'Get a mechanic',
        tokenEffect:
          "With a staff token: contact details, and the salary to an owner or on the caller's own account; otherwise id, name and role.",
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
        summary: 'Change a staff account (any subset of fields)',
        description: 'A new password or email revokes every token issued before it: log in again.',
        ownership: 'own contact details and password; an owner changes any account, salaries included',
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
        summary: 'Delete a staff account',
        ownership: "own account; an owner deletes any account; the shop's last mechanic and last owner cannot be deleted",
        successStatus: 204,
        errors: ['last_mechanic', 'last_owner'],
      }),
    )
    .input(ById)
    .output(z.void())
    .mutation(({ ctx, input }) => mechanics.deleteMechanic(ctx.services, ctx.caller, input.id)),

  changeRole: staffProcedure('owner')
    .meta(
      route({
        method: 'PUT',
        path: '/mechanics/{id}/role',
        rateLimit: 'write',
        invalidates: ['mechanics'],
        tags,
        summary: "Change a staff account's role",
        description: 'Applies from the next request of that account, with the tokens it holds. The shop keeps at least one owner.',
        errors: ['last_owner'],
      }),
    )
    .input(RoleChange)
    .output(Mechanic)
    .mutation(({ ctx, input }) => mechanics.changeMechanicRole(ctx.services, ctx.caller, input)),
});
