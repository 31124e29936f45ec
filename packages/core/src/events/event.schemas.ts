import { z } from 'zod';
import { Id } from '../shared/schemas.ts';
import { EVENT_TYPES } from './outbox.ts';

/** Most events one feed page holds. */
export const EVENT_PAGE_MAX = 100;

export const EventTypeName = z.enum(EVENT_TYPES).meta({ id: 'EventType', example: 'ticket.status_changed' });

export const EventActor = z
  .object({ kind: z.enum(['customer', 'staff']), id: Id })
  .nullable()
  .meta({ id: 'EventActor', description: 'Who made the change (a customer or a staff account); null for the system.' });

export const EventSubject = z
  .object({
    type: z
      .string()
      .meta({ description: 'service_ticket, job, invoice, payment, customer, vehicle, inventory_item, mechanic or webhook.' }),
    id: z.string().meta({ description: "The subject's id as text (an invoice's is its number)." }),
  })
  .meta({ id: 'EventSubject' });

/** The envelope of every event, in the feed and in webhook bodies; `data` is typed per event type in the `webhooks` section. */
export const eventEnvelope = {
  id: z.string().meta({ description: 'evt_<n>: also the webhook-id header of its deliveries (receivers deduplicate on it).' }),
  occurred_at: z.iso.datetime(),
  actor: EventActor,
  subject: EventSubject,
};

const EVENT_EXAMPLE = {
  id: 'evt_42',
  type: 'customer.created',
  occurred_at: '2026-11-30T09:12:00.000Z',
  actor: { kind: 'staff', id: 2 },
  subject: { type: 'customer', id: '3' },
  data: { id: 3, name: 'Ada Lovelace', email: 'ada@example.com', phone: '+44 20 7946 0000', address: '12 Analytical Row, London' },
};

export const Event = z
  .object({
    ...eventEnvelope,
    type: EventTypeName,
    data: z
      .record(z.string(), z.unknown())
      .meta({ description: "The subject's public read model after the change; its schema per type is in the document's webhooks." }),
  })
  .meta({ id: 'Event', example: EVENT_EXAMPLE });
export type Event = z.output<typeof Event>;

/** A feed cursor: opaque to clients; the position of the last event seen ("0" before the first). */
const Cursor = z
  .string()
  .regex(/^\d{1,10}$/, 'Expected a next_cursor from an earlier page')
  .meta({ description: 'The next_cursor of the previous page; leave out to start from the first event.', example: '0' });

export const EventFeedQuery = z
  .strictObject({
    after: Cursor.optional(),
    types: z
      .string()
      .meta({ description: 'Only these event types, comma-separated.', example: 'ticket.created,invoice.issued' })
      .transform((text) => text.split(',').map((type) => type.trim()))
      .pipe(z.array(EventTypeName).min(1))
      .optional(),
    limit: z.coerce
      .number<number>()
      .int()
      .min(1)
      .max(EVENT_PAGE_MAX)
      .default(EVENT_PAGE_MAX)
      .meta({ description: `Events per page, at most ${EVENT_PAGE_MAX}.`, example: 50 }),
  })
  .meta({ examples: [{ after: '0', types: 'ticket.created,invoice.issued', limit: 50 }] });
export type EventFeedQuery = z.output<typeof EventFeedQuery>;

export const EventFeed = z
  .object({
    items: z.array(Event),
    next_cursor: z.string().meta({
      description:
        'Pass as `after` for the events after these. Stable: events appear in commit order, and none is ever inserted before ' +
        'a cursor already handed out. When the page is empty it is the cursor you sent: poll again with it later.',
    }),
  })
  .meta({ id: 'EventFeed', example: { items: [EVENT_EXAMPLE], next_cursor: '42' } });
export type EventFeed = z.output<typeof EventFeed>;
