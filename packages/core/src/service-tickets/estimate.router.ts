import { MAX_TICKET_TOTAL_CENTS } from '../shared/limits.ts';
import { formatCents } from '../shared/money.ts';
import { route } from '../trpc/meta.ts';
import { mechanicProcedure, staffProcedure } from '../trpc/procedures.ts';
import { JobEdit, JobKeyInput, LineEdit, LineKey, NewJob, NewLine } from './estimate.schemas.ts';
import * as estimates from './estimate.service.ts';
import { ServiceTicket } from './service-ticket.schemas.ts';
import { ASSIGNED_TECHNICIANS_ONLY } from './service-ticket.service.ts';

const tags: ['estimates'] = ['estimates'];
const LIMIT = `A ticket's total is at most ${formatCents(MAX_TICKET_TOTAL_CENTS)} (409 amount_too_large).`;
const ANSWER =
  "Answers with the ticket, its jobs, lines and totals; every change raises the ticket's estimate_version, but for a job's cause and correction (the shop's notes).";

/** The jobs and lines of a ticket's estimate: procedures of the service-tickets router. */
export const estimateProcedures = {
  addJob: staffProcedure('owner', 'service_writer')
    .meta(
      route({
        method: 'POST',
        path: '/service_tickets/{id}/jobs',
        rateLimit: 'write',
        invalidates: ['serviceTickets'],
        tags,
        summary: 'Add a job to a ticket: what the customer came for',
        description: ANSWER,
        successStatus: 201,
        errors: ['transaction_conflict'],
      }),
    )
    .input(NewJob)
    .output(ServiceTicket)
    .mutation(({ ctx, input }) => estimates.addJob(ctx.services, ctx.caller, input)),

  editJob: mechanicProcedure
    .meta(
      route({
        method: 'PUT',
        path: '/service_tickets/{id}/jobs/{job_id}',
        rateLimit: 'write',
        invalidates: ['serviceTickets'],
        tags,
        summary: "Change a job's title, concern, cause, correction or pay type",
        description: ANSWER,
        ownership: `${ASSIGNED_TECHNICIANS_ONLY}, and only cause and correction`,
        errors: ['transaction_conflict'],
      }),
    )
    .input(JobEdit)
    .output(ServiceTicket)
    .mutation(({ ctx, input }) => estimates.editJob(ctx.services, ctx.caller, input)),

  deleteJob: staffProcedure('owner', 'service_writer')
    .meta(
      route({
        method: 'DELETE',
        path: '/service_tickets/{id}/jobs/{job_id}',
        rateLimit: 'write',
        invalidates: ['serviceTickets', 'inventory'],
        tags,
        summary: 'Delete a job with its lines; its part lines go back to stock',
        description: ANSWER,
        errors: ['quantity_too_large', 'transaction_conflict'],
      }),
    )
    .input(JobKeyInput)
    .output(ServiceTicket)
    .mutation(({ ctx, input }) => estimates.deleteJob(ctx.services, ctx.caller, input)),

  addLine: mechanicProcedure
    .meta(
      route({
        method: 'POST',
        path: '/service_tickets/{id}/jobs/{job_id}/lines',
        rateLimit: 'write',
        invalidates: ['serviceTickets', 'inventory'],
        tags,
        summary: 'Add a labor, part, fee or sublet line to a job',
        description:
          'labor: description, hours, rate (default: the shop labor rate), technician_id; part: inventory_id, quantity, ' +
          "unit_price (default: the item's price), taken from stock (409 when short); fee: description, amount; sublet: " +
          'description, amount, cost. Any line: taxable (default true), discount. ' +
          `${LIMIT} ${ANSWER}`,
        ownership: `${ASSIGNED_TECHNICIANS_ONLY}: labor and part lines, without rate, unit_price or discount (403)`,
        successStatus: 201,
        errors: ['insufficient_stock', 'amount_too_large', 'transaction_conflict'],
      }),
    )
    .input(NewLine)
    .output(ServiceTicket)
    .mutation(({ ctx, input }) => estimates.addLine(ctx.services, ctx.caller, input)),

  editLine: staffProcedure('owner', 'service_writer')
    .meta(
      route({
        method: 'PUT',
        path: '/service_tickets/{id}/jobs/{job_id}/lines/{line_id}',
        rateLimit: 'write',
        invalidates: ['serviceTickets', 'inventory'],
        tags,
        summary: "Change a line's fields; a part line's quantity moves stock by the difference",
        description: `Only the fields of the line's type (400 otherwise); discount: null takes the discount off. ${LIMIT} ${ANSWER}`,
        errors: ['insufficient_stock', 'quantity_too_large', 'amount_too_large', 'transaction_conflict'],
      }),
    )
    .input(LineEdit)
    .output(ServiceTicket)
    .mutation(({ ctx, input }) => estimates.editLine(ctx.services, ctx.caller, input)),

  deleteLine: staffProcedure('owner', 'service_writer')
    .meta(
      route({
        method: 'DELETE',
        path: '/service_tickets/{id}/jobs/{job_id}/lines/{line_id}',
        rateLimit: 'write',
        invalidates: ['serviceTickets', 'inventory'],
        tags,
        summary: 'Delete a line; a part line goes back to stock',
        description: ANSWER,
        errors: ['quantity_too_large', 'transaction_conflict'],
      }),
    )
    .input(LineKey)
    .output(ServiceTicket)
    .mutation(({ ctx, input }) => estimates.deleteLine(ctx.services, ctx.caller, input)),
};
