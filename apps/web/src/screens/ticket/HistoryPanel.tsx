import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { RouterOutputs } from '@mechanic-shop/sdk';
import { useTRPC } from '../../api.ts';
import { Busy, ErrorNotice, formatMoney, Pagination, useShop } from '../../ui/index.ts';
import type { Ticket } from '../board/board-rules.ts';
import { useCustomerName } from '../board/TicketCard.tsx';
import { actionText, describeChanges } from './history-text.ts';
import { panelClass } from './styles.ts';

type AuditEntry = RouterOutputs['audit']['ticketHistory']['items'][number];

/** The ticket's history, newest first: who changed what, with the fields before and after. */
export function HistoryPanel({ ticket }: { ticket: Ticket }) {
  const trpc = useTRPC();
  const [page, setPage] = useState(1);
  const history = useQuery({
    ...trpc.audit.ticketHistory.queryOptions({ id: ticket.id, page, per_page: 10 }),
    placeholderData: keepPreviousData,
  });
  const staff = useQuery(trpc.mechanics.list.queryOptions({ page: 1, per_page: 100 }));
  const customer = useCustomerName(ticket.customer_id);
  const { currency } = useShop();
  const money = (amount: string) => formatMoney(amount, currency);
  const who = ({ actor }: AuditEntry) => {
    if (actor === null) return 'The shop (automatic)';
    if (actor.kind === 'customer') return customer ?? `Customer #${actor.id}`;
    return staff.data?.items.find((mechanic) => mechanic.id === actor.id)?.name ?? `Staff #${actor.id}`;
  };
  return (
    <section aria-labelledby="ticket-history" className={panelClass}>
      <h2 id="ticket-history" className="text-lg font-semibold">
        History
      </h2>
      {history.isPending && <Busy label="Loading the history" />}
      {history.isError && <ErrorNotice error={history.error} />}
      {history.data && history.data.total === 0 && <p className="text-sm text-slate-700">Nothing yet.</p>}
      <ol className="flex flex-col gap-2 text-sm">
        {history.data?.items.map((entry) => {
          const changes = describeChanges(entry.changes, money);
          return (
            <li key={entry.id} className="min-w-0 border-b border-slate-200 pb-2">
              <p>
                <time dateTime={entry.occurred_at}>{new Date(entry.occurred_at).toLocaleString()}</time> · {who(entry)} ·{' '}
                <strong>{actionText(entry.action)}</strong>
              </p>
              {changes.length > 0 && (
                <ul className="ml-4 list-disc break-words text-slate-800">
                  {changes.map((change, index) => (
                    <li key={index}>{change}</li>
                  ))}
                </ul>
              )}
            </li>
          );
        })}
      </ol>
      {history.data && (
        <Pagination page={history.data.page} per_page={history.data.per_page} total={history.data.total} onPage={setPage} label="changes" />
      )}
    </section>
  );
}
