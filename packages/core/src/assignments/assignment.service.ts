import type { StaffPrincipal } from '../auth/tokens.ts';
import type { Prisma, Transaction } from '../db/client.ts';
import { countRows, lockServiceTicket } from '../db/dialect.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { inTransaction } from '../db/transactions.ts';
import { AppError } from '../errors.ts';
import { diffFields, recordAudit } from '../events/outbox.ts';
import { countAssignments } from '../mechanics/ticket-count.ts';
import { pageWindow, toPage, type Page } from '../shared/schemas.ts';
import type { AppServices } from '../app-services.ts';
import type { Assignment, AssignmentKey, AssignmentQuery, NewAssignment } from './assignment.schemas.ts';

type Deps = Pick<AppServices, 'db' | 'provider'>;

const assignmentFields = { serviceTicketId: true, mechanicId: true, assignedAt: true } satisfies Prisma.ServiceAssignmentSelect;

function toView(row: Prisma.ServiceAssignmentGetPayload<{ select: typeof assignmentFields }>): Assignment {
  return { service_ticket_id: row.serviceTicketId, mechanic_id: row.mechanicId, assigned_at: row.assignedAt.toISOString() };
}

/** Assigns a mechanic to a ticket; the pair is unique (409 when it exists). */
export async function assignMechanic(
  { db, provider }: Deps,
  caller: StaffPrincipal,
  { service_ticket_id, mechanic_id }: NewAssignment,
): Promise<Assignment> {
  try {
    return await inTransaction(db, async (tx) => {
      if (!(await lockServiceTicket(tx, provider, service_ticket_id))) {
        throw new AppError('not_found', `No service ticket with id ${service_ticket_id}`);
      }
      if (!(await tx.mechanic.count({ where: { id: mechanic_id } }))) throw new AppError('not_found', `No mechanic with id ${mechanic_id}`);
      const key = { serviceTicketId_mechanicId: { serviceTicketId: service_ticket_id, mechanicId: mechanic_id } };
      if (await tx.serviceAssignment.count({ where: key.serviceTicketId_mechanicId }))
        throw alreadyAssigned(mechanic_id, service_ticket_id);
      const row = await tx.serviceAssignment.create({
        data: { serviceTicketId: service_ticket_id, mechanicId: mechanic_id },
        select: assignmentFields,
      });
      await countAssignments(tx, [mechanic_id], 'added');
      await tx.serviceTicket.update({ where: { id: service_ticket_id }, data: { updatedAt: new Date() }, select: { id: true } });
      await recordAssignment(tx, caller, 'assignment.created', { service_ticket_id, mechanic_id }, null, mechanic_id);
      return toView(row);
    });
  } catch (error) {
    // The primary key is the last word if two requests slip past the check together.
    if (isUniqueViolation(error)) throw alreadyAssigned(mechanic_id, service_ticket_id);
    throw error;
  }
}

function alreadyAssigned(mechanicId: number, ticketId: number): AppError {
  return new AppError('assignment_exists', `Mechanic ${mechanicId} is already assigned to service ticket ${ticketId}`);
}

export async function listAssignments(
  { db }: Deps,
  { service_ticket_id, mechanic_id, ...page }: AssignmentQuery,
): Promise<Page<Assignment>> {
  const where = {
    ...(service_ticket_id ? { serviceTicketId: service_ticket_id } : {}),
    ...(mechanic_id ? { mechanicId: mechanic_id } : {}),
  };
  const [rows, total] = await Promise.all([
    db.serviceAssignment.findMany({
      where,
      select: assignmentFields,
      orderBy: [{ serviceTicketId: 'asc' }, { mechanicId: 'asc' }],
      ...pageWindow(page),
    }),
    countRows(db, 'service_assignments', { service_ticket_id, mechanic_id }),
  ]);
  return toPage(rows.map(toView), total, page);
}

export async function unassignMechanic(
  { db, provider }: Deps,
  caller: StaffPrincipal,
  { service_ticket_id, mechanic_id }: AssignmentKey,
): Promise<void> {
  await inTransaction(db, async (tx) => {
    await lockServiceTicket(tx, provider, service_ticket_id);
    const { count } = await tx.serviceAssignment.deleteMany({ where: { serviceTicketId: service_ticket_id, mechanicId: mechanic_id } });
    if (count === 0) throw new AppError('not_found', `Mechanic ${mechanic_id} is not assigned to service ticket ${service_ticket_id}`);
    await countAssignments(tx, [mechanic_id], 'removed');
    await tx.serviceTicket.update({ where: { id: service_ticket_id }, data: { updatedAt: new Date() }, select: { id: true } });
    await recordAssignment(tx, caller, 'assignment.deleted', { service_ticket_id, mechanic_id }, mechanic_id, null);
  });
}

/** An assignment made or ended: an entry in its ticket's history (staff's: who works on it is the shop's business). */
function recordAssignment(
  tx: Transaction,
  caller: StaffPrincipal,
  action: 'assignment.created' | 'assignment.deleted',
  key: AssignmentKey,
  before: number | null,
  after: number | null,
): Promise<void> {
  return recordAudit(tx, {
    actor: caller,
    subject: { type: 'assignment', id: `${key.service_ticket_id}:${key.mechanic_id}` },
    action,
    changes: diffFields({ mechanic_id: before }, { mechanic_id: after }),
    serviceTicketId: key.service_ticket_id,
  });
}
