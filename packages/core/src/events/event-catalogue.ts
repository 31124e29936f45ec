import { z } from 'zod';
import { createSchema, type oas31 } from 'zod-openapi';
import { Customer } from '../customers/customer.schemas.ts';
import { InventoryItem } from '../inventory/inventory.schemas.ts';
import { Invoice } from '../invoices/invoice.schemas.ts';
import { Mechanic } from '../mechanics/mechanic.schemas.ts';
import { Payment, Refund } from '../payments/payment.schemas.ts';
import { Job } from '../service-tickets/estimate.schemas.ts';
import { ServiceTicket } from '../service-tickets/service-ticket.schemas.ts';
import { Vehicle } from '../vehicles/vehicle.schemas.ts';
import { Webhook } from '../webhooks/webhook.schemas.ts';
import { eventEnvelope } from './event.schemas.ts';
import { EVENT_TYPES, type EventType } from './outbox.ts';

/**
 * A staff account in events: who it is and its role, never its contact details
 * or salary (an integration is told that a role changed, not what staff earn).
 */
export const StaffEventData = Mechanic.pick({ id: true, name: true, role: true }).meta({
  id: 'StaffEventData',
  example: { id: 2, name: 'Grace Hopper', role: 'service_writer' },
});

/**
 * Each event type with its `data`: the subject's read model after the change,
 * the same schema its routes answer with. A customer's is the profile staff see
 * (name, email, phone, address), which texting and accounting integrations
 * need; passwords, token versions and approval-link tokens are in no read model.
 * A type missing here does not compile.
 */
export const EVENT_CATALOGUE = {
  'customer.created': { data: Customer, summary: 'A customer account was created (sign-up or by staff).' },
  'vehicle.created': { data: Vehicle, summary: 'A vehicle was added to a customer.' },
  'ticket.created': { data: ServiceTicket, summary: 'A service ticket was opened.' },
  'ticket.status_changed': { data: ServiceTicket, summary: "A service ticket's status changed." },
  'estimate.updated': { data: ServiceTicket, summary: "A ticket's estimate changed (jobs, lines, cost); estimate_version grew." },
  'job.approved': { data: Job, summary: 'The customer approved a job (one event per job decided).' },
  'job.declined': { data: Job, summary: 'The customer declined a job (one event per job decided).' },
  'invoice.issued': { data: Invoice, summary: 'An invoice was issued for a completed ticket.' },
  'invoice.voided': { data: Invoice, summary: 'An invoice was voided.' },
  'payment.received': { data: Payment, summary: 'A payment was recorded on an invoice.' },
  'payment.refunded': { data: Refund, summary: 'Money was given back on a payment (subject: the payment).' },
  'inventory.low_stock': {
    data: InventoryItem,
    summary: "A part's available stock fell to or below its reorder_point (once per crossing, not on every change below it).",
  },
  'staff.role_changed': { data: StaffEventData, summary: "A staff account's role changed." },
  'webhook.test': { data: Webhook, summary: 'Sent by POST /webhooks/{id}/test to that webhook only.' },
  'webhook.disabled': { data: Webhook, summary: 'A webhook was disabled after its deliveries kept failing.' },
} satisfies Record<EventType, { data: z.ZodType; summary: string }>;

/** The name of an event type's schema among the OpenAPI document's components: `TicketStatusChangedEvent`. */
export function eventSchemaName(type: EventType): string {
  return `${type
    .split(/[._]/)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('')}Event`;
}

/** The full event of one type (envelope and typed data): what a webhook receives and the feed lists. */
export function eventSchemaOf(type: EventType) {
  return z
    .object({ ...eventEnvelope, type: z.literal(type), data: EVENT_CATALOGUE[type].data })
    .meta({ id: eventSchemaName(type), description: EVENT_CATALOGUE[type].summary });
}

/**
 * The JSON Schemas of every event type (`eventSchemaName`) and of the
 * components they refer to (ServiceTicket, Invoice…), rendered as answers are
 * (output), for the `webhooks` of the OpenAPI document.
 */
export function eventCatalogueSchemas(): Record<string, oas31.SchemaObject> {
  const all = z.object(Object.fromEntries(EVENT_TYPES.map((type) => [type, eventSchemaOf(type)])));
  return createSchema(all, { io: 'output' }).components;
}
