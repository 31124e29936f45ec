import type { RouterOutputs } from '@mechanic-shop/sdk';

/** A ticket as the API answers it (`serviceTickets.byId`, and each item of `serviceTickets.list`). */
export type Ticket = RouterOutputs['serviceTickets']['byId'];
export type TicketStatus = Ticket['status'];
export type Job = Ticket['jobs'][number];

/** The board's columns, in the order work flows (their headings are the statuses' words, `statusText`). */
export const BOARD_COLUMNS: readonly TicketStatus[] = ['PENDING', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED'];

/**
 * Where the API lets a ticket go from each status (README "Shop rules worth knowing"). The board only uses it to
 * offer moves ("Move to…" lists these, a drag highlights these columns); the API stays the judge, and a move it
 * refuses is shown in its own words.
 */
const NEXT_STATUSES: Record<TicketStatus, readonly TicketStatus[]> = {
  PENDING: ['IN_PROGRESS', 'CANCELLED'],
  IN_PROGRESS: ['PENDING', 'COMPLETED', 'CANCELLED'],
  COMPLETED: [],
  CANCELLED: ['PENDING'],
};

/**
 * The statuses a ticket may move to now: the status rule, and work starts (IN_PROGRESS) on a ticket with jobs only
 * once one of them is approved (the API's 409 no_approved_work).
 */
export function statusMoves(ticket: Pick<Ticket, 'status' | 'jobs'>): TicketStatus[] {
  const unapproved = ticket.jobs.length > 0 && !ticket.jobs.some((job) => job.authorization === 'approved');
  return NEXT_STATUSES[ticket.status].filter((status) => !(status === 'IN_PROGRESS' && unapproved));
}

export interface ApprovalState {
  approved: number;
  declined: number;
  pending: number;
  /** In words, for a card: what the customer has decided of the estimate. */
  label: string;
}

/** What the customer has decided of a ticket's jobs, counted and said in words. */
export function approvalState(jobs: readonly Pick<Job, 'authorization'>[]): ApprovalState {
  const count = (authorization: Job['authorization']) => jobs.filter((job) => job.authorization === authorization).length;
  const [approved, declined, pending] = [count('approved'), count('declined'), count('pending')];
  const decided = [approved > 0 && `${approved} approved`, declined > 0 && `${declined} declined`].filter(Boolean).join(', ');
  let label: string;
  if (jobs.length === 0) label = 'No estimate yet';
  else if (pending === jobs.length) label = 'Awaiting approval';
  else if (pending > 0) label = `${pending} awaiting approval; ${decided}`;
  else label = decided.charAt(0).toUpperCase() + decided.slice(1);
  return { approved, declined, pending, label };
}

/** A vehicle in a few words: "2003 Honda Accord · ACC 1" (plate, else VIN). */
export function vehicleLabel(vehicle: Ticket['vehicle']): string {
  const name = [vehicle.year, vehicle.make, vehicle.model].filter((part) => part !== null && part !== '').join(' ') || 'Vehicle';
  const mark = vehicle.plate ?? vehicle.vin;
  return mark ? `${name} · ${mark}` : name;
}
