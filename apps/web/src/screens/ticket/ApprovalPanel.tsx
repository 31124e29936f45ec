import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import QRCode from 'qrcode';
import { useState } from 'react';
import { useTRPC } from '../../api.ts';
import { Busy, ErrorNotice, inputClass, Money, Pagination } from '../../ui/index.ts';
import type { Ticket } from '../board/board-rules.ts';
import { useWritesTickets } from './use-ticket-write.ts';
import { RecordApproval } from './RecordApproval.tsx';
import { buttonClass, panelClass } from './styles.ts';

const METHODS = {
  portal: 'in the portal',
  link: 'by approval link',
  in_person: 'in person',
  phone: 'by phone',
  text: 'by text message',
  email: 'by email',
} as const;

/** The link's QR code, for the customer at the counter to scan: made in the browser from the link (no request). */
function LinkQrCode({ url }: { url: string }) {
  const image = useQuery({
    queryKey: ['approval-link-qr', url],
    queryFn: () => QRCode.toDataURL(url, { margin: 1, width: 192 }),
    staleTime: Infinity,
  });
  if (image.isPending) return <Busy label="Drawing the QR code" />;
  if (image.isError) return <ErrorNotice error={image.error} />;
  return <img src={image.data} width={192} height={192} alt="QR code of the approval link: scan it to open the estimate" />;
}

/**
 * The customer's approval: a link to send them (shown once, with its QR code; a new one replaces the last) and the
 * approvals recorded on the ticket, newest first. A `closed` ticket (invoiced, cancelled) takes no decisions.
 */
export function ApprovalPanel({ ticket, closed }: { ticket: Ticket; closed: boolean }) {
  const trpc = useTRPC();
  const writes = useWritesTickets();
  const [page, setPage] = useState(1);
  const [recording, setRecording] = useState(false);
  const link = useMutation(trpc.approvalLinks.create.mutationOptions());
  const records = useQuery({
    ...trpc.approvals.list.queryOptions({ id: ticket.id, page, per_page: 5 }),
    placeholderData: keepPreviousData,
  });
  const stale = link.data && link.data.estimate_version !== ticket.estimate_version;
  return (
    <section aria-labelledby="ticket-approval" className={panelClass}>
      <h2 id="ticket-approval" className="text-lg font-semibold">
        Customer approval
      </h2>
      {writes && !closed && (
        <div className="flex flex-col gap-2">
          <div>
            <button
              type="button"
              className={buttonClass}
              disabled={link.isPending || ticket.jobs.length === 0}
              onClick={() => link.mutate({ id: ticket.id })}
            >
              {link.data ? 'Send a new approval link' : 'Send approval link'}
            </button>
            {ticket.jobs.length === 0 && <p className="text-sm text-slate-700">Add a job to the estimate first.</p>}
          </div>
          {link.isPending && <Busy label="Making the link" />}
          {link.isError && <ErrorNotice error={link.error} />}
          {link.data && (
            <div className="flex flex-wrap items-start gap-4" data-testid="approval-link">
              <LinkQrCode url={link.data.url} />
              <div className="flex min-w-0 flex-col gap-1 text-sm">
                <label htmlFor="approval-link-url" className="font-semibold">
                  Approval link (shown once: send it to the customer)
                </label>
                <input
                  id="approval-link-url"
                  readOnly
                  value={link.data.url}
                  className={`${inputClass} w-96 max-w-full`}
                  onFocus={(event) => event.target.select()}
                />
                <p>
                  For estimate version {link.data.estimate_version}; works until {new Date(link.data.expires_at).toLocaleString()}.
                </p>
                {stale && (
                  <p role="alert" className="font-semibold text-red-800">
                    The estimate changed since this link was made: it no longer takes decisions. Send a new one.
                  </p>
                )}
              </div>
            </div>
          )}
          {recording ? (
            <RecordApproval ticket={ticket} onDone={() => setRecording(false)} />
          ) : (
            <div>
              <button type="button" className={buttonClass} disabled={ticket.jobs.length === 0} onClick={() => setRecording(true)}>
                Record a decision given in person or by phone
              </button>
            </div>
          )}
        </div>
      )}
      <h3 className="font-semibold">Approvals recorded</h3>
      {records.isPending && <Busy label="Loading the approvals" />}
      {records.isError && <ErrorNotice error={records.error} />}
      {records.data && records.data.total === 0 && <p className="text-sm text-slate-700">None yet.</p>}
      <ul className="flex flex-col gap-2 text-sm">
        {records.data?.items.map((approval) => (
          <li key={approval.id} className="rounded border border-slate-200 p-2">
            <p>
              <strong>{approval.signature_name}</strong> {METHODS[approval.method]}, {new Date(approval.created_at).toLocaleString()}, on
              estimate version {approval.estimate_version}: approved in all <Money amount={approval.approved_amount} />.
            </p>
            <ul className="ml-4 list-disc">
              {approval.decisions.map((decision) => (
                <li key={decision.job_id}>
                  {decision.job_title}: {decision.decision === 'approve' ? 'approved' : 'declined'} (<Money amount={decision.amount} />)
                  {decision.reason && `, “${decision.reason}”`}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
      {records.data && (
        <Pagination
          page={records.data.page}
          per_page={records.data.per_page}
          total={records.data.total}
          onPage={setPage}
          label="approvals"
        />
      )}
    </section>
  );
}
