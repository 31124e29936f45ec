import { route } from '../trpc/meta.ts';
import { authenticatedProcedure, router, staffProcedure } from '../trpc/procedures.ts';
import { AuditPage, AuditQuery, TicketHistoryQuery } from './audit.schemas.ts';
import * as audit from './audit.service.ts';

/*
 * Audit entries are written by the changes themselves, in their transactions,
 * so no route here writes, and their answers are never cached: no route's
 * invalidation could cover every write that adds an entry.
 */
export const auditRouter = router({
  list: staffProcedure('owner')
    .meta(
      route({
        method: 'GET',
        path: '/audit',
        rateLimit: 'read',
        cache: 'no-store',
        tags: ['audit'],
        summary: 'The audit trail: who changed what, when, with the fields before and after',
        description:
          'Every resource, staff role and salary changes included; newest first. Filter by subject (subject_type and ' +
          'subject_id), by actor (actor_id, with actor_kind to tell a customer from a staff account) and by period (from and ' +
          'to: instants, or days in UTC, both included). Entries are never changed or deleted.',
      }),
    )
    .input(AuditQuery)
    .output(AuditPage)
    .query(({ ctx, input }) => audit.listAudit(ctx.services, input)),

  ticketHistory: authenticatedProcedure
    .meta(
      route({
        method: 'GET',
        path: '/service_tickets/{id}/history',
        rateLimit: 'read',
        cache: 'no-store',
        tags: ['audit'],
        summary: "A ticket's history: every change to it, its jobs, lines, approvals, invoice and payments",
        description:
          'Newest first: who, when, what, and the fields before and after. Staff see every entry, also of a deleted ticket; ' +
          'the ticket’s customer sees status changes, approvals, the invoice and payments, without staff-only fields ' +
          '(client_ip, user_agent, contact_name, contact_phone).',
        ownership: "a customer sees their own tickets' history only (another's is a 404)",
      }),
    )
    .input(TicketHistoryQuery)
    .output(AuditPage)
    .query(({ ctx, input }) => audit.ticketHistory(ctx.services, ctx.caller, input)),
});
