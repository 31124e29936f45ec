import { z } from 'zod';
import type { Resource } from '../cache/response-cache.ts';
import { route } from '../trpc/meta.ts';
import { mechanicProcedure, router, staffProcedure } from '../trpc/procedures.ts';
import { Assignment, AssignmentKey, AssignmentPage, AssignmentQuery, NewAssignment } from './assignment.schemas.ts';
import * as assignments from './assignment.service.ts';

const tags: ['assignments'] = ['assignments'];
/** An assignment also moves its ticket's `updated_at` and its mechanic's ticket count. */
const invalidates: Resource[] = ['assignments', 'serviceTickets', 'mechanics'];

export const assignmentRouter = router({
  create: staffProcedure('owner', 'service_writer')
    .meta(
      route({
        method: 'POST',
        path: '/assignments',
        rateLimit: 'write',
        invalidates,
        tags,
        summary: 'Assign a mechanic to a service ticket',
        successStatus: 201,
        errors: ['not_found', 'assignment_exists', 'transaction_conflict'],
      }),
    )
    .input(NewAssignment)
    .output(Assignment)
    .mutation(({ ctx, input }) => assignments.assignMechanic(ctx.services, ctx.caller, input)),

  list: mechanicProcedure
    .meta(
      route({
        method: 'GET',
        path: '/assignments',
        rateLimit: 'read',
        cache: { scope: 'role', dependsOn: ['assignments'] },
        tags,
        summary: 'List assignments, by ticket or mechanic',
      }),
    )
    .input(AssignmentQuery)
    .output(AssignmentPage)
    .query(({ ctx, input }) => assignments.listAssignments(ctx.services, input)),

  delete: staffProcedure('owner', 'service_writer')
    .meta(
      route({
        method: 'DELETE',
        path: '/assignments',
        rateLimit: 'write',
        invalidates,
        tags,
        summary: 'Remove a mechanic from a service ticket',
        successStatus: 204,
        errors: ['not_found', 'transaction_conflict'],
      }),
    )
    .input(AssignmentKey)
    .output(z.void())
    .mutation(({ ctx, input }) => assignments.unassignMechanic(ctx.services, ctx.caller, input)),
});
