import type { Prisma } from '../db/client.ts';
import { jobsOfTicket } from '../service-tickets/estimate.view.ts';

/**
 * Prisma's read of everything a ticket shows (a statement per relation): the
 * reference that the one-statement reads (service-tickets/ticket-document.ts,
 * ticket-page.ts) are checked against, value for value and type for type.
 */
export const ticketFields = {
  id: true,
  customerId: true,
  title: true,
  description: true,
  serviceDate: true,
  status: true,
  costCents: true,
  odometerIn: true,
  odometerOut: true,
  vehicle: { select: { id: true, vin: true, plate: true, year: true, make: true, model: true } },
  createdAt: true,
  updatedAt: true,
  assignments: { select: { assignedAt: true, mechanic: { select: { id: true, name: true } } }, orderBy: { mechanicId: 'asc' } },
  estimateVersion: true,
  jobs: jobsOfTicket,
} satisfies Prisma.ServiceTicketSelect;
