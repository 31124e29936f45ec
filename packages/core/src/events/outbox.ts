import type { Principal } from '../auth/tokens.ts';
import type { Transaction } from '../db/client.ts';

/**
 * The event catalogue: every type an integration can subscribe to or read from
 * the feed. The OpenAPI document lists each with its `data` schema (see
 * event-catalogue.ts), so adding a type here without its schema fails there.
 */
export const EVENT_TYPES = [
  'customer.created',
  'vehicle.created',
  'ticket.created',
  'ticket.status_changed',
  'estimate.updated',
  'job.approved',
  'job.declined',
  'invoice.issued',
  'invoice.voided',
  'payment.received',
  'payment.refunded',
  'inventory.low_stock',
  'staff.role_changed',
  'webhook.test',
  'webhook.disabled',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/**
 * Who made a change: the caller's principal, an explicit kind and id (a
 * customer approving by link has no principal), or null for the system.
 */
export type EventActor = Principal | { kind: 'customer' | 'staff'; id: number } | null;

/** What a change is about: `type` in snake case (`service_ticket`, `invoice`…), `id` as the API shows it. */
export interface EventSubject {
  type: string;
  id: string | number;
}

function actorColumns(actor: EventActor): { actorKind: 'customer' | 'staff' | null; actorId: number | null } {
  if (actor === null) return { actorKind: null, actorId: null };
  if ('kind' in actor) return { actorKind: actor.kind, actorId: actor.id };
  return { actorKind: actor.role === 'customer' ? 'customer' : 'staff', actorId: actor.id };
}

/** The `actor` of an event or audit entry as the API shows it, from its stored columns. */
export function actorView(kind: 'customer' | 'staff' | null, id: number | null): { kind: 'customer' | 'staff'; id: number } | null {
  return kind === null || id === null ? null : { kind, id };
}

/** Called after `emitEvent` so that the in-process publisher runs soon after the commit (see publisher.ts). */
const emittedListeners = new Set<() => void>();

/** Subscribes to "an event was written"; returns the unsubscribe function. */
export function onEventEmitted(listener: () => void): () => void {
  emittedListeners.add(listener);
  return () => emittedListeners.delete(listener);
}

/**
 * Writes an event in the caller's transaction (the transactional outbox): it
 * commits with the change or not at all. It has no position until the
 * publisher gives it one, so the feed and the deliveries see events in commit
 * order, never a gap that a slower transaction fills later.
 */
export async function emitEvent(
  tx: Transaction,
  event: { type: EventType; actor: EventActor; subject: EventSubject; data: unknown },
): Promise<void> {
  await tx.event.create({
    data: {
      type: event.type,
      ...actorColumns(event.actor),
      subjectType: event.subject.type,
      subjectId: String(event.subject.id),
      data: JSON.stringify(event.data),
    },
    select: { id: true },
  });
  for (const listener of emittedListeners) listener();
}

/** `{ field: { before, after } }`: what an audit entry says changed. */
export type FieldChanges = Record<string, { before: unknown; after: unknown }>;

/**
 * The fields of `fields` (every key of either side when left out) whose values
 * differ between `before` and `after`, compared as JSON (dates by instant).
 */
export function diffFields<Before extends object, After extends object>(
  before: Before | null,
  after: After | null,
  fields?: ReadonlyArray<(keyof Before | keyof After) & string>,
): FieldChanges {
  const old = (before ?? {}) as Record<string, unknown>;
  const now = (after ?? {}) as Record<string, unknown>;
  const names = fields ?? [...new Set([...Object.keys(old), ...Object.keys(now)])];
  const changes: FieldChanges = {};
  for (const name of names) {
    const was = old[name] ?? null;
    const is = now[name] ?? null;
    if (JSON.stringify(was) !== JSON.stringify(is)) changes[name] = { before: was, after: is };
  }
  return changes;
}

/**
 * Writes an audit entry in the caller's transaction. `serviceTicketId` files it
 * under a ticket's history; `customerVisible` shows it to the ticket's customer
 * (status changes, approvals, invoice, payments), without staff-only fields.
 */
export async function recordAudit(
  tx: Transaction,
  entry: {
    actor: EventActor;
    subject: EventSubject;
    action: string;
    changes: FieldChanges;
    serviceTicketId?: number | null;
    customerVisible?: boolean;
  },
): Promise<void> {
  await tx.auditEntry.create({
    data: {
      ...actorColumns(entry.actor),
      subjectType: entry.subject.type,
      subjectId: String(entry.subject.id),
      serviceTicketId: entry.serviceTicketId ?? null,
      action: entry.action,
      changes: JSON.stringify(entry.changes),
      customerVisible: entry.customerVisible ?? false,
    },
    select: { id: true },
  });
}

/** An event's id as the API shows it (feed, webhook bodies and the `webhook-id` header). */
export function eventIdOf(id: number): string {
  return `evt_${id}`;
}
