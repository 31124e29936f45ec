import type { RouterOutputs } from '../api.ts';

type TicketStatus = RouterOutputs['serviceTickets']['byId']['status'];
type JobAuthorization = RouterOutputs['serviceTickets']['byId']['jobs'][number]['authorization'];
type InvoiceStatus = RouterOutputs['invoices']['byNumber']['status'];
type Status = TicketStatus | JobAuthorization | InvoiceStatus;

/** Each state's words and colours (dark text on a light tint: contrast well over 4.5:1). */
const LOOKS: Record<Status, { text: string; className: string }> = {
  PENDING: { text: 'Pending', className: 'bg-amber-100 text-amber-900' },
  IN_PROGRESS: { text: 'In progress', className: 'bg-blue-100 text-blue-900' },
  COMPLETED: { text: 'Completed', className: 'bg-green-100 text-green-900' },
  CANCELLED: { text: 'Cancelled', className: 'bg-slate-200 text-slate-800' },
  pending: { text: 'Awaiting approval', className: 'bg-amber-100 text-amber-900' },
  approved: { text: 'Approved', className: 'bg-green-100 text-green-900' },
  declined: { text: 'Declined', className: 'bg-red-100 text-red-900' },
  unpaid: { text: 'Unpaid', className: 'bg-amber-100 text-amber-900' },
  partially_paid: { text: 'Partly paid', className: 'bg-blue-100 text-blue-900' },
  paid: { text: 'Paid', className: 'bg-green-100 text-green-900' },
  void: { text: 'Void', className: 'bg-slate-200 text-slate-800' },
};

/** A ticket's status, a job's authorization or an invoice's status, in words. */
export function StatusBadge({ status }: { status: Status }) {
  const look = LOOKS[status];
  return <span className={`inline-block rounded px-2 py-0.5 text-xs font-semibold ${look.className}`}>{look.text}</span>;
}

export function statusText(status: Status): string {
  return LOOKS[status].text;
}
