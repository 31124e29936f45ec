import { approvalState, vehicleLabel, type Ticket } from './board-rules.ts';

/** What the customer has decided, as the board filters it. */
export const APPROVAL_FILTERS = {
  any: 'Any',
  none: 'No estimate yet',
  awaiting: 'Awaiting approval',
  approved: 'All approved',
  declined: 'Some declined',
} as const;
export type ApprovalFilter = keyof typeof APPROVAL_FILTERS;

/**
 * The board's filters, as its controls hold them. The customer is asked of the API (each column's list); the
 * others narrow the cards each column has loaded.
 */
export interface BoardFilters {
  customerId: string;
  technicianId: string;
  approval: ApprovalFilter;
  text: string;
}

export const NO_FILTERS: BoardFilters = { customerId: '', technicianId: '', approval: 'any', text: '' };

function matchesApproval(ticket: Pick<Ticket, 'jobs'>, filter: ApprovalFilter): boolean {
  const { approved, declined, pending } = approvalState(ticket.jobs);
  switch (filter) {
    case 'any':
      return true;
    case 'none':
      return ticket.jobs.length === 0;
    case 'awaiting':
      return pending > 0;
    case 'approved':
      return ticket.jobs.length > 0 && approved === ticket.jobs.length;
    case 'declined':
      return declined > 0;
  }
}

/** Whether a card shows under the technician, approval and text filters (the customer one is the API's). */
export function matchesFilters(ticket: Ticket, filters: BoardFilters): boolean {
  const text = filters.text.trim().toLowerCase();
  const technician = filters.technicianId === '' ? undefined : Number(filters.technicianId);
  return (
    (technician === undefined || ticket.mechanics.some((mechanic) => mechanic.id === technician)) &&
    matchesApproval(ticket, filters.approval) &&
    (text === '' || `#${ticket.id} ${ticket.title} ${vehicleLabel(ticket.vehicle)} ${ticket.vin ?? ''}`.toLowerCase().includes(text))
  );
}
