import type { AppServices } from '../app-services.ts';
import type { Principal } from '../auth/tokens.ts';
import type { Prisma } from '../db/client.ts';
import { AppError } from '../errors.ts';
import { actorView } from '../events/outbox.ts';
import { pageWindow, toPage, type PaginationInput } from '../shared/schemas.ts';
import type { AuditEntry, AuditPage, AuditQuery, TicketHistoryQuery } from './audit.schemas.ts';

const auditFields = {
  id: true,
  occurredAt: true,
  actorKind: true,
  actorId: true,
  subjectType: true,
  subjectId: true,
  serviceTicketId: true,
  action: true,
  changes: true,
} satisfies Prisma.AuditEntrySelect;
type AuditRow = Prisma.AuditEntryGetPayload<{ select: typeof auditFields }>;

/**
 * Fields a customer never sees in their ticket's history, even in an entry
 * shown to them: where a decision was recorded from, and whom staff spoke to.
 */
const STAFF_ONLY_FIELDS = new Set(['client_ip', 'user_agent', 'contact_name', 'contact_phone']);

function toAuditView(row: AuditRow, viewer: 'staff' | 'customer'): AuditEntry {
  const changes = JSON.parse(row.changes) as AuditEntry['changes'];
  return {
    id: row.id,
    occurred_at: row.occurredAt.toISOString(),
    actor: actorView(row.actorKind, row.actorId),
    subject: { type: row.subjectType, id: row.subjectId },
    service_ticket_id: row.serviceTicketId,
    action: row.action,
    changes: viewer === 'staff' ? changes : Object.fromEntries(Object.entries(changes).filter(([field]) => !STAFF_ONLY_FIELDS.has(field))),
  };
}

/** Newest first; the id breaks ties between entries of one transaction (same instant) in the order they were written. */
async function auditPage(
  { db }: Pick<AppServices, 'db'>,
  where: Prisma.AuditEntryWhereInput,
  page: PaginationInput,
  viewer: 'staff' | 'customer',
): Promise<AuditPage> {
  const [rows, total] = await Promise.all([
    db.auditEntry.findMany({ where, select: auditFields, orderBy: { id: 'desc' }, ...pageWindow(page) }),
    db.auditEntry.count({ where }),
  ]);
  return toPage(
    rows.map((row) => toAuditView(row, viewer)),
    total,
    page,
  );
}

/** A period's bound as an instant: a day starts at 00:00 UTC (`from`) or ends before the next day's (`to`). */
function instantOf(bound: string, side: 'from' | 'to'): Date {
  if (bound.includes('T')) return new Date(bound);
  const day = new Date(`${bound}T00:00:00.000Z`);
  return side === 'from' ? day : new Date(day.getTime() + 86_400_000 - 1);
}

/** Every audit entry matching the filters (the owner's trail of who changed what), newest first. */
export function listAudit(services: Pick<AppServices, 'db'>, query: AuditQuery): Promise<AuditPage> {
  const { subject_type, subject_id, actor_id, actor_kind, from, to, ...page } = query;
  const occurredAt = { ...(from ? { gte: instantOf(from, 'from') } : {}), ...(to ? { lte: instantOf(to, 'to') } : {}) };
  return auditPage(
    services,
    { subjectType: subject_type, subjectId: subject_id, actorId: actor_id, actorKind: actor_kind, occurredAt },
    page,
    'staff',
  );
}

/**
 * A ticket's history: every change to it, its jobs, lines, approvals, invoice
 * and payments. Staff see all of it, also after the ticket was deleted; its
 * customer sees the entries marked customer-visible, without staff-only fields.
 */
export async function ticketHistory(services: Pick<AppServices, 'db'>, caller: Principal, query: TicketHistoryQuery): Promise<AuditPage> {
  const { id, ...page } = query;
  const ticket = await services.db.serviceTicket.findUnique({ where: { id }, select: { customerId: true } });
  const viewer = caller.role === 'customer' ? 'customer' : 'staff';
  const notFound = () => new AppError('not_found', `No service ticket with id ${id}`);
  if (viewer === 'customer' && ticket?.customerId !== caller.id) throw notFound();
  const history = await auditPage(
    services,
    { serviceTicketId: id, ...(viewer === 'customer' ? { customerVisible: true } : {}) },
    page,
    viewer,
  );
  if (!ticket && history.total === 0) throw notFound();
  return history;
}
