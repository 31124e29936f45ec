import type { ProblemCode } from '../errors.ts';
import { route } from '../trpc/meta.ts';
import { authenticatedProcedure, router } from '../trpc/procedures.ts';
import { Approval, ApprovalPage, ApprovalQuery, NewApproval } from './approval.schemas.ts';
import * as approvals from './approval.service.ts';

const tags: ['approvals'] = ['approvals'];

/** What recording an approval may answer, however it arrives (here, or by an approval link). */
export const RECORDING_ERRORS: ProblemCode[] = [
  'estimate_changed',
  'ticket_cancelled',
  'ticket_invoiced',
  'already_revived',
  'insufficient_stock',
  'quantity_too_large',
  'amount_too_large',
  'transaction_conflict',
];

export const approvalRouter = router({
  create: authenticatedProcedure
    .meta(
      route({
        method: 'POST',
        path: '/service_tickets/{id}/approvals',
        rateLimit: 'write',
        // Jobs change state (the ticket), declined parts go back to stock, and a vehicle's history shows declined work.
        invalidates: ['serviceTickets', 'approvals', 'inventory', 'vehicles'],
        tags,
        summary: "Record the customer's approval: their decision on each job of the estimate version they saw",
        description:
          "estimate_version must be the ticket's current one, else 409 estimate_changed with current_estimate_version, and " +
          'nothing is recorded. Every job named must be on the ticket (404 naming it); a decision may change an earlier one. ' +
          'Approving a declined job takes its parts from stock again (409 when short); declining one puts them back, and sets ' +
          "its follow_up_on (today + the shop's declined_follow_up_days). A decision leaves estimate_version as it is. " +
          'A cancelled ticket takes none (409 ticket_cancelled), nor an invoiced one (409 ticket_invoiced).',
        ownership:
          "a customer, their own tickets only (another customer's is a 404), method portal, without method or contact fields " +
          "(400); owners and service writers on the customer's behalf, with method (phone: contact_name and contact_phone); " +
          'technicians: 403',
        successStatus: 201,
        errors: RECORDING_ERRORS,
      }),
    )
    .input(NewApproval)
    .output(Approval)
    .mutation(({ ctx, input }) => approvals.createApproval(ctx.services, ctx.caller, ctx.request, input)),

  list: authenticatedProcedure
    .meta(
      route({
        method: 'GET',
        path: '/service_tickets/{id}/approvals',
        rateLimit: 'read',
        cache: { scope: 'caller', dependsOn: ['approvals', 'serviceTickets'] },
        tags,
        summary: "A ticket's approvals, newest first",
        description: 'Approvals are never edited or deleted (only with their ticket).',
        ownership: "staff (any role); a customer, their own tickets only (another customer's is a 404)",
      }),
    )
    .input(ApprovalQuery)
    .output(ApprovalPage)
    .query(({ ctx, input }) => approvals.listApprovals(ctx.services, ctx.caller, input)),
});
