import { z } from 'zod';
import { MAX_QUANTITY, MAX_TICKET_TOTAL_CENTS } from '../shared/limits.ts';
import { formatCents } from '../shared/money.ts';
import { ById } from '../shared/schemas.ts';
import { route } from '../trpc/meta.ts';
import { authenticatedProcedure, mechanicProcedure, router, staffProcedure } from '../trpc/procedures.ts';
import {
  NewPartLine,
  NewServiceTicket,
  PartLineKey,
  ServiceTicket,
  ServiceTicketEdit,
  ServiceTicketPage,
  ServiceTicketQuery,
  SERVICE_TICKET_VIEW_SOURCES,
} from './service-ticket.schemas.ts';
import * as estimates from './estimate.service.ts';
import { estimateProcedures } from './estimate.router.ts';
import * as serviceTickets from './service-ticket.service.ts';

const tags: ['service-tickets'] = ['service-tickets'];

export const serviceTicketRouter = router({
  open: authenticatedProcedure
    .meta(
      route({
        method: 'POST',
        path: '/service_tickets',
        rateLimit: 'write',
        invalidates: ['serviceTickets', 'vehicles'],
        tags,
        summary: 'Open a service ticket for your vehicle; owners and service writers open one for a customer',
        description:
          'With vehicle_id (one of your vehicles, else 404) or vin (your vehicle with that VIN, added if you have none; ' +
          "another customer's VIN is a 409). Staff send customer_id with the customer's vehicle (409 when it is another's). " +
          'odometer_in is recorded as a reading.',
        ownership: 'technicians: 403; customers: for themselves (no customer_id); staff name the customer',
        successStatus: 201,
        errors: ['invalid_vin', 'vin_taken', 'vehicle_owner_mismatch', 'odometer_rollback'],
      }),
    )
    .input(NewServiceTicket)
    .output(ServiceTicket)
    .mutation(({ ctx, input }) => serviceTickets.openTicket(ctx.services, ctx.caller, input)),

  list: mechanicProcedure
    .meta(
      route({
        method: 'GET',
        path: '/service_tickets',
        rateLimit: 'read',
        // Per caller: owners and service writers see what sublet work costs, technicians do not.
        cache: { scope: 'caller', dependsOn: SERVICE_TICKET_VIEW_SOURCES },
        tags,
        summary: 'List service tickets, by status or customer',
      }),
    )
    .input(ServiceTicketQuery)
    .output(ServiceTicketPage)
    .query(({ ctx, input }) => serviceTickets.listTickets(ctx.services, ctx.caller, input)),

  byId: authenticatedProcedure
    .meta(
      route({
        method: 'GET',
        path: '/service_tickets/{id}',
        rateLimit: 'read',
        cache: { scope: 'caller', dependsOn: SERVICE_TICKET_VIEW_SOURCES },
        tags,
        summary: 'Get a service ticket with its mechanics and parts',
        ownership: "a customer sees their own tickets only (another customer's ticket is a 404)",
      }),
    )
    .input(ById)
    .output(ServiceTicket)
    .query(({ ctx, input }) => serviceTickets.getTicket(ctx.services, ctx.caller, input.id)),

  edit: mechanicProcedure
    .meta(
      route({
        method: 'PUT',
        path: '/service_tickets/{id}/edit',
        rateLimit: 'write',
        invalidates: ['serviceTickets', 'assignments', 'mechanics', 'vehicles'],
        tags,
        summary: 'Add and remove mechanics, change the status or the cost, record odometer readings, in one transaction',
        description:
          'Unknown mechanic ids are a 404 naming them, and nothing changes. Status moves: PENDING → IN_PROGRESS or CANCELLED; ' +
          'IN_PROGRESS → PENDING, COMPLETED or CANCELLED; CANCELLED → PENDING; COMPLETED is final. A ticket with jobs starts ' +
          '(IN_PROGRESS) only with an approved one (409 no_approved_work). odometer_in and ' +
          'odometer_out (when the ticket is or becomes COMPLETED) are recorded as readings, which never go down.',
        ownership: `${serviceTickets.ASSIGNED_TECHNICIANS_ONLY}, and only their status`,
        errors: ['invalid_status_transition', 'no_approved_work', 'amount_too_large', 'odometer_rollback', 'transaction_conflict'],
      }),
    )
    .input(ServiceTicketEdit)
    .output(ServiceTicket)
    .mutation(({ ctx, input }) => serviceTickets.editTicket(ctx.services, ctx.caller, input)),

  delete: staffProcedure('owner')
    .meta(
      route({
        method: 'DELETE',
        path: '/service_tickets/{id}',
        rateLimit: 'write',
        invalidates: ['serviceTickets', 'assignments', 'mechanics', 'approvals'],
        tags,
        summary: 'Delete a service ticket with its assignments and part lines',
        description:
          'Its parts are not put back in stock (they were used); remove the part lines first if they were not. ' +
          'A ticket that was invoiced stays as the record of its invoices (409).',
        successStatus: 204,
        errors: ['ticket_has_invoices'],
      }),
    )
    .input(ById)
    .output(z.void())
    .mutation(({ ctx, input }) => serviceTickets.deleteTicket(ctx.services, input.id)),

  addPart: mechanicProcedure
    .meta(
      route({
        method: 'POST',
        path: '/service_tickets/{id}/parts',
        rateLimit: 'write',
        invalidates: ['serviceTickets', 'inventory'],
        tags,
        summary: "Put parts from stock on a ticket's first job",
        description:
          'The part goes to the first job, a new "General" one when the ticket has none. ' +
          `Adding a part already on the ticket adds to its quantity (at most ${MAX_QUANTITY} on one line). The quantity is taken ` +
          `from stock (409 when short). A ticket's total is at most ${formatCents(MAX_TICKET_TOTAL_CENTS)}.`,
        ownership: serviceTickets.ASSIGNED_TECHNICIANS_ONLY,
        errors: ['insufficient_stock', 'quantity_too_large', 'amount_too_large', 'transaction_conflict'],
      }),
    )
    .input(NewPartLine)
    .output(ServiceTicket)
    .mutation(({ ctx, input }) => estimates.addPartLine(ctx.services, ctx.caller, input)),

  removePart: mechanicProcedure
    .meta(
      route({
        method: 'DELETE',
        path: '/service_tickets/{id}/parts/{inventory_id}',
        rateLimit: 'write',
        invalidates: ['serviceTickets', 'inventory'],
        tags,
        summary: 'Take a part off a ticket (every line of it), back into stock',
        description: `Stock holds at most ${MAX_QUANTITY} units of a part: a line that would take it past that stays on the ticket (409).`,
        ownership: serviceTickets.ASSIGNED_TECHNICIANS_ONLY,
        successStatus: 204,
        errors: ['quantity_too_large', 'transaction_conflict'],
      }),
    )
    .input(PartLineKey)
    .output(z.void())
    .mutation(({ ctx, input }) => estimates.removePartLine(ctx.services, ctx.caller, input.id, input.inventory_id)),

  ...estimateProcedures,
});
