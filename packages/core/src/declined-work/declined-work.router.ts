import { route } from '../trpc/meta.ts';
import { mechanicProcedure, router, staffProcedure } from '../trpc/procedures.ts';
import { ServiceTicket } from '../service-tickets/service-ticket.schemas.ts';
import { DeclinedJobPage, DeclinedWorkQuery, ReviveDeclinedJob } from './declined-work.schemas.ts';
import * as declinedWork from './declined-work.service.ts';

const tags: ['declined-work'] = ['declined-work'];

export const declinedWorkRouter = router({
  list: mechanicProcedure
    .meta(
      route({
        method: 'GET',
        path: '/declined_work',
        rateLimit: 'read',
        // Jobs and their lines (priced with the shop's settings), their tickets' vehicles and customers.
        cache: { scope: 'role', dependsOn: ['serviceTickets', 'vehicles', 'customers', 'inventory', 'shop'] },
        tags,
        summary: 'List declined jobs to follow up, the longest due first',
        description:
          'Jobs customers declined and the shop has not revived, with their vehicle, customer, amount (the job priced on its own, ' +
          'tax included) and reason; filtered by customer, vehicle, or follow-ups due on or before due_before.',
      }),
    )
    .input(DeclinedWorkQuery)
    .output(DeclinedJobPage)
    .query(({ ctx, input }) => declinedWork.listDeclinedWork(ctx.services, input)),

  revive: staffProcedure('owner', 'service_writer')
    .meta(
      route({
        method: 'POST',
        path: '/declined_work/{job_id}/revive',
        rateLimit: 'write',
        invalidates: ['serviceTickets', 'inventory'],
        tags,
        summary: 'Bring a declined job back as new work, at today’s prices, on an open ticket of its vehicle or a new one',
        description:
          'Copies the job (title, concern, pay type) and its lines: labor at the shop’s current labor rate, parts at their current price ' +
          'and taken from stock (409 when short), fees and sublet work as they were, discounts kept. With service_ticket_id, into that ' +
          'ticket (PENDING or IN_PROGRESS, so not invoiced, of the same vehicle); otherwise into a new PENDING ticket for the vehicle, titled ' +
          'after the job and booked today. The copy is pending the customer’s approval; the declined job leaves the follow-up list.',
        successStatus: 201,
        errors: [
          'job_not_declined',
          'already_revived',
          'ticket_not_open',
          'vehicle_mismatch',
          'insufficient_stock',
          'amount_too_large',
          'transaction_conflict',
        ],
      }),
    )
    .input(ReviveDeclinedJob)
    .output(ServiceTicket)
    .mutation(({ ctx, input }) => declinedWork.reviveDeclinedJob(ctx.services, ctx.caller, input)),
});
