import { useId } from 'react';
import { inputClass, statusText } from '../../ui/index.ts';
import { statusMoves, type Ticket, type TicketStatus } from './board-rules.ts';

interface MoveToSelectProps {
  ticket: Pick<Ticket, 'id' | 'status' | 'jobs'>;
  onMove: (status: TicketStatus) => void;
  disabled?: boolean;
}

/**
 * The keyboard's way to do what a drag does: a select of the statuses the ticket may move to, which moves it as
 * soon as one is chosen. A ticket that can go nowhere (a completed one) shows none.
 */
export function MoveToSelect({ ticket, onMove, disabled = false }: MoveToSelectProps) {
  const id = useId();
  const moves = statusMoves(ticket);
  if (moves.length === 0) return null;
  return (
    <div className="mt-2 flex items-center gap-2 text-sm">
      <label htmlFor={id} className="whitespace-nowrap">
        Move to…<span className="sr-only"> (ticket #{ticket.id})</span>
      </label>
      <select
        id={id}
        value=""
        disabled={disabled}
        onChange={(event) => {
          if (event.target.value) onMove(event.target.value as TicketStatus);
        }}
        className={inputClass}
      >
        <option value="">Choose a status</option>
        {moves.map((status) => (
          <option key={status} value={status}>
            {statusText(status)}
          </option>
        ))}
      </select>
    </div>
  );
}
