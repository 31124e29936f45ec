import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useSession, useTRPC } from '../../api.ts';
import { Busy, ErrorNotice, homeOf, StatusBadge, statusText } from '../../ui/index.ts';
import type { Ticket } from '../board/board-rules.ts';
import { MoveToSelect } from '../board/MoveToSelect.tsx';
import { useMoveTicket } from '../board/use-move-ticket.ts';
import { ApprovalPanel } from './ApprovalPanel.tsx';
import { HistoryPanel } from './HistoryPanel.tsx';
import { DownloadButton, InvoicePanel, useTicketInvoice } from './InvoicePanel.tsx';
import { JobCard, JobForm } from './JobCard.tsx';
import { TicketDetailsForm, TicketFacts, TicketMechanics } from './TicketFacts.tsx';
import { TotalsPanel } from './TotalsPanel.tsx';
import { useWritesTickets } from './use-ticket-write.ts';
import { buttonClass, panelClass } from './styles.ts';

/** A ticket for the shop's staff: its facts, the estimate builder with live totals, approval, invoice, history. */
export default function TicketScreen() {
  const trpc = useTRPC();
  const id = Number(useParams().id);
  const valid = Number.isSafeInteger(id) && id > 0;
  const ticket = useQuery({ ...trpc.serviceTickets.byId.queryOptions({ id }), enabled: valid });
  if (!valid)
    return (
      <>
        <h1 className="text-2xl font-bold">Ticket not found</h1>
        <p>
          There is no ticket at this address. <Link to="/board">Back to the board</Link>
        </p>
      </>
    );
  if (ticket.isPending) return <Busy label={`Loading ticket #${id}`} />;
  if (ticket.isError)
    return (
      <>
        <h1 className="text-2xl font-bold">Ticket #{id}</h1>
        <ErrorNotice error={ticket.error} />
      </>
    );
  return <TicketPage ticket={ticket.data} />;
}

function TicketPage({ ticket }: { ticket: Ticket }) {
  const writes = useWritesTickets();
  const { session } = useSession();
  const { move, pending, error, reset } = useMoveTicket();
  const { live } = useTicketInvoice(ticket);
  const [addingJob, setAddingJob] = useState(false);
  const frozen = live !== null;
  return (
    <div className="flex flex-col gap-4">
      <p className="text-sm">
        <Link to={writes ? '/board' : homeOf(session)} className="text-blue-800 underline">
          {writes ? 'Back to the board' : 'Back to my tickets'}
        </Link>
      </p>
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-bold">
          #{ticket.id} {ticket.title}
        </h1>
        <StatusBadge status={ticket.status} />
      </div>
      {ticket.description && <p className="text-slate-800">{ticket.description}</p>}
      <div className="flex flex-wrap items-start gap-4">
        {writes && (
          <MoveToSelect
            ticket={ticket}
            disabled={pending}
            onMove={(status) => {
              reset();
              move(ticket, status);
            }}
          />
        )}
        <DownloadButton path={`/service_tickets/${ticket.id}/estimate/pdf`} filename={`estimate-${ticket.id}.pdf`}>
          Download the estimate PDF
        </DownloadButton>
      </div>
      {pending && <Busy label="Moving the ticket" />}
      {error && <ErrorNotice error={error} />}
      <div className="grid gap-4 lg:grid-cols-[1fr_22rem]">
        <div className="flex min-w-0 flex-col gap-4">
          <section aria-labelledby="ticket-facts" className={panelClass}>
            <h2 id="ticket-facts" className="text-lg font-semibold">
              Vehicle and customer
            </h2>
            <TicketFacts ticket={ticket} />
            {writes && <TicketDetailsForm key={ticket.updated_at} ticket={ticket} />}
          </section>
          <section aria-labelledby="ticket-mechanics" className={panelClass}>
            <h2 id="ticket-mechanics" className="text-lg font-semibold">
              Technicians
            </h2>
            <TicketMechanics ticket={ticket} />
          </section>
          <section aria-labelledby="ticket-estimate" className="flex flex-col gap-3">
            <h2 id="ticket-estimate" className="text-lg font-semibold">
              Estimate: {ticket.jobs.length} {ticket.jobs.length === 1 ? 'job' : 'jobs'}
            </h2>
            {live && (
              <p className="text-sm text-slate-800">
                Invoiced as {live.number}: the jobs and lines stay as they are until the invoice is voided.
              </p>
            )}
            {ticket.jobs.map((job) => (
              <JobCard key={job.id} ticketId={ticket.id} job={job} frozen={frozen} />
            ))}
            {writes && !frozen && ticket.status !== 'CANCELLED' && (
              <div className={panelClass}>
                {addingJob ? (
                  <JobForm ticketId={ticket.id} onDone={() => setAddingJob(false)} />
                ) : (
                  <div>
                    <button type="button" className={buttonClass} onClick={() => setAddingJob(true)}>
                      Add a job
                    </button>
                  </div>
                )}
              </div>
            )}
          </section>
          <ApprovalPanel ticket={ticket} closed={frozen || ticket.status === 'CANCELLED'} />
          <InvoicePanel ticket={ticket} />
          <HistoryPanel ticket={ticket} />
        </div>
        <aside
          aria-label={`Totals of ticket #${ticket.id}, ${statusText(ticket.status).toLowerCase()}`}
          className="lg:sticky lg:top-4 lg:self-start"
        >
          <TotalsPanel ticket={ticket} />
        </aside>
      </div>
    </div>
  );
}
