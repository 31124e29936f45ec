import { RECORDING_ERRORS } from '../approvals/approval.router.ts';
import { Approval } from '../approvals/approval.schemas.ts';
import { ById } from '../shared/schemas.ts';
import { route } from '../trpc/meta.ts';
import { publicProcedure, router, staffProcedure } from '../trpc/procedures.ts';
import { ApprovalLink, ByToken, EstimateForApproval, LinkApproval } from './approval-link.schemas.ts';
import * as approvalLinks from './approval-link.service.ts';

const tags: ['approval-links'] = ['approval-links'];

/** Said of both token routes: whoever holds the link acts as the ticket's customer, so the token is all that is checked. */
const TOKEN_HOLDER = "no login: the link's token stands for the ticket's customer";

const TOKEN_ERRORS = 'An unknown, expired or replaced token is a 410 link_expired alike (which tokens exist is not told)';

export const approvalLinkRouter = router({
  create: staffProcedure('owner', 'service_writer')
    .meta(
      route({
        method: 'POST',
        path: '/service_tickets/{id}/approval_link',
        rateLimit: 'write',
        invalidates: ['approvalLinks'],
        tags,
        summary: 'Send the customer a link to approve the estimate without logging in',
        description:
          "The link works APPROVAL_LINK_TTL_HOURS (72 by default) for the ticket's current estimate_version, and replaces the " +
          "ticket's earlier links. Its token is shown this once: only its hash is kept. A cancelled (409 ticket_cancelled) or " +
          'invoiced (409 ticket_invoiced) ticket takes no decisions, and gets no link.',
        successStatus: 201,
        errors: ['ticket_cancelled', 'ticket_invoiced', 'transaction_conflict'],
      }),
    )
    .input(ById)
    .output(ApprovalLink)
    .mutation(({ ctx, input }) => approvalLinks.createApprovalLink(ctx.services, ctx.caller, input.id)),

  view: publicProcedure
    .meta(
      route({
        method: 'GET',
        path: '/approvals/{token}',
        rateLimit: 'approvalLink',
        // The token is a secret: its answer is never kept, here or by anyone on the way.
        cache: 'no-store',
        tags,
        summary: 'The estimate an approval link is for: what the customer needs to decide, and nothing more',
        description:
          'The shop, the vehicle (year, make, model), the jobs with their lines, totals and authorization, the ticket’s totals, the ' +
          `estimate_version and when the link expires; no contact details, VIN, plate or internal costs. ${TOKEN_ERRORS}; once ` +
          'the estimate has changed since the link was made, 409 estimate_changed: the shop sends a new link.',
        ownership: TOKEN_HOLDER,
        errors: ['link_expired', 'estimate_changed'],
      }),
    )
    .input(ByToken)
    .output(EstimateForApproval)
    .query(({ ctx, input }) => approvalLinks.viewByLink(ctx.services, input.token)),

  approve: publicProcedure
    .meta(
      route({
        method: 'POST',
        path: '/approvals/{token}',
        rateLimit: 'approvalLink',
        invalidates: ['serviceTickets', 'approvals', 'inventory', 'vehicles'],
        tags,
        summary: "Record the customer's decisions on each job, through an approval link",
        description:
          "Recorded as the ticket's customer with method link, on the estimate_version the link is bound to, as " +
          `POST /service_tickets/{id}/approvals records any approval. ${TOKEN_ERRORS}; an estimate changed since the link was ` +
          'made is a 409 estimate_changed (with current_estimate_version), and nothing is recorded. The link works until it ' +
          'expires or is replaced: a later decision may change an earlier one.',
        ownership: TOKEN_HOLDER,
        successStatus: 201,
        errors: ['link_expired', ...RECORDING_ERRORS],
      }),
    )
    .input(LinkApproval)
    .output(Approval)
    .mutation(({ ctx, input }) => approvalLinks.approveByLink(ctx.services, ctx.request, input)),
});
