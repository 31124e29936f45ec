import { useMutation } from '@tanstack/react-query';
import { useTRPC } from '../../api.ts';
import { useTicketWritten } from '../ticket/use-ticket-write.ts';
import type { Ticket, TicketStatus } from './board-rules.ts';

/**
 * Moves a ticket to another status (`serviceTickets.edit`), on the board and on the ticket's page. A refusal (409
 * invalid_status_transition, no_approved_work…) stays in `error` for the screen to say in plain words.
 */
export function useMoveTicket() {
  const trpc = useTRPC();
  const written = useTicketWritten();
  const mutation = useMutation(trpc.serviceTickets.edit.mutationOptions({ onSuccess: written }));
  return {
    move: (ticket: Pick<Ticket, 'id'>, status: TicketStatus, onMoved?: () => void) =>
      mutation.mutate({ id: ticket.id, status }, { onSuccess: onMoved }),
    pending: mutation.isPending,
    error: mutation.error,
    reset: mutation.reset,
  };
}
