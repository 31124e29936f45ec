import { useQueryClient } from '@tanstack/react-query';
import { useSession, useTRPC } from '../../api.ts';
import type { Ticket } from '../board/board-rules.ts';

/**
 * What a write that answers with the ticket does next: the ticket's cache takes the answer (its jobs, lines and the
 * money engine's totals, shown at once), and what the write may have changed elsewhere is fetched again: the board's
 * lists, the ticket's history and approvals, the stock the parts search shows.
 */
export function useTicketWritten(): (ticket: Ticket) => void {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return (ticket) => {
    queryClient.setQueryData(trpc.serviceTickets.byId.queryKey({ id: ticket.id }), ticket);
    for (const filter of [
      trpc.serviceTickets.list.pathFilter(),
      trpc.audit.ticketHistory.pathFilter(),
      trpc.approvals.list.pathFilter(),
      trpc.inventory.list.pathFilter(),
    ]) {
      void queryClient.invalidateQueries(filter);
    }
  };
}

/**
 * Whether the signed-in staff account prices and runs tickets (owner, service writer): the API's rule for jobs,
 * lines, mechanics, cost, approval links and invoices. A technician sees the ticket, and the technician view is
 * where their own work goes.
 */
export function useWritesTickets(): boolean {
  const { session } = useSession();
  return session?.role === 'owner' || session?.role === 'service_writer';
}
