import { z } from 'zod';
import { EventActor, EventSubject } from '../events/event.schemas.ts';
import { CalendarDate, DatabaseText, Id, IdParam, paginated, PaginationInput } from '../shared/schemas.ts';

export const AuditEntry = z
  .object({
    id: Id,
    occurred_at: z.iso.datetime(),
    actor: EventActor,
    subject: EventSubject,
    service_ticket_id: Id.nullable().meta({ description: 'The ticket whose history it belongs to, if any.' }),
    action: z.string().meta({ description: 'What happened, e.g. ticket.status_changed, line.updated, mechanic.updated.' }),
    changes: z
      .record(z.string(), z.object({ before: z.unknown(), after: z.unknown() }))
      .meta({ description: 'Each field that changed, with its value before and after (null where there was none).' }),
  })
  .meta({
    id: 'AuditEntry',
    example: {
      id: 31,
      occurred_at: '2026-11-30T09:12:00.000Z',
      actor: { kind: 'staff', id: 2 },
      subject: { type: 'service_ticket', id: '7' },
      service_ticket_id: 7,
      action: 'ticket.status_changed',
      changes: { status: { before: 'PENDING', after: 'IN_PROGRESS' } },
    },
  });
export type AuditEntry = z.output<typeof AuditEntry>;

export const AuditPage = paginated(AuditEntry, 'AuditPage');
export type AuditPage = z.output<typeof AuditPage>;

/** A bound of a period: an instant, or a day (UTC), which `from` takes from its start and `to` to its end. */
const Bound = (description: string, example: string) =>
  z.union([z.iso.datetime({ offset: true }), CalendarDate]).meta({ description, example });

export const AuditQuery = PaginationInput.extend({
  subject_type: DatabaseText(1, 32).meta({ description: 'e.g. service_ticket, mechanic, customer.', example: 'mechanic' }).optional(),
  subject_id: DatabaseText(1, 64).meta({ description: 'With subject_type: one subject.', example: '2' }).optional(),
  actor_id: IdParam.meta({ description: 'Changes made by this account (see actor_kind).', example: 2 }).optional(),
  actor_kind: z.enum(['customer', 'staff']).meta({ description: 'With actor_id: which kind of account.', example: 'staff' }).optional(),
  from: Bound('Changes at or after this instant (or from the start of this day, UTC).', '2026-11-01').optional(),
  to: Bound('Changes at or before this instant (or to the end of this day, UTC).', '2026-11-30T23:59:59Z').optional(),
}).meta({ examples: [{ subject_type: 'mechanic', subject_id: '2', from: '2026-11-01', to: '2026-11-30', page: 1, per_page: 20 }] });
export type AuditQuery = z.output<typeof AuditQuery>;

export const TicketHistoryQuery = PaginationInput.extend({ id: IdParam }).meta({ examples: [{ id: 7, page: 1, per_page: 20 }] });
export type TicketHistoryQuery = z.output<typeof TicketHistoryQuery>;
