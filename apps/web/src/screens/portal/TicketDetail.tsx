import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { isMechanicShopError, type RouterOutputs } from '@mechanic-shop/sdk';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useDownload, useTRPC } from '../../api.ts';
import { Busy, ErrorNotice, Money, Pagination, StatusBadge } from '../../ui/index.ts';
import { DecisionForm } from '../approve/DecisionForm.tsx';
import { JobLines, TotalsTable } from '../approve/Estimate.tsx';
import { vehicleName } from './VehiclesSection.tsx';

const HISTORY_PER_PAGE = 10;

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** Statuses on which the customer may still decide: the shop has not finished nor cancelled the work. */
const DECIDING = new Set(['PENDING', 'IN_PROGRESS']);

type HistoryEntry = RouterOutputs['audit']['ticketHistory']['items'][number];

/** An entry in words: what happened ("ticket status changed"), and the new status when it is one. */
export function historyText(entry: Pick<HistoryEntry, 'action' | 'changes'>): string {
  const what = entry.action.replace(/[._]/g, ' ');
  const status = entry.changes.status?.after;
  return typeof status === 'string' ? `${what}: ${status.replace('_', ' ').toLowerCase()}` : what;
}

function History({ ticketId }: { ticketId: number }) {
  const trpc = useTRPC();
  const [page, setPage] = useState(1);
  const history = useQuery(trpc.audit.ticketHistory.queryOptions({ id: ticketId, page, per_page: HISTORY_PER_PAGE }));
  return (
    <section aria-labelledby="history" className="mt-8">
      <h2 id="history" className="text-xl font-semibold">
        History
      </h2>
      {history.isPending && <Busy label="Loading the history" />}
      {history.isError && <ErrorNotice error={history.error} />}
      {history.data && (
        <>
          <ul className="mt-2 space-y-1">
            {history.data.items.map((entry) => (
              <li key={entry.id}>
                <time dateTime={entry.occurred_at}>{dateTime.format(new Date(entry.occurred_at))}</time>: {historyText(entry)}
              </li>
            ))}
          </ul>
          <Pagination page={history.data.page} per_page={history.data.per_page} total={history.data.total} onPage={setPage} />
        </>
      )}
    </section>
  );
}

/** One of the customer's tickets: the vehicle, the estimate with a decision on each job, the estimate's PDF, the history. */
export default function TicketDetail() {
  const id = Number(useParams().id);
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const download = useDownload();
  const [downloading, setDownloading] = useState(false);
  const [downloadError, setDownloadError] = useState<unknown>(null);
  const [estimateChanged, setEstimateChanged] = useState(false);
  const ticket = useQuery(trpc.serviceTickets.byId.queryOptions({ id }));
  const approve = useMutation(
    trpc.approvals.create.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries(trpc.serviceTickets.pathFilter()),
    }),
  );

  const downloadEstimate = async () => {
    setDownloading(true);
    setDownloadError(null);
    try {
      await download(`/service_tickets/${id}/estimate/pdf`, `estimate-${id}.pdf`);
    } catch (error) {
      setDownloadError(error);
    } finally {
      setDownloading(false);
    }
  };

  if (ticket.isPending) return <Busy label="Loading the visit" />;
  if (ticket.isError)
    return (
      <>
        <h1 className="text-2xl font-bold">Visit</h1>
        <ErrorNotice error={ticket.error} />
      </>
    );
  const { data } = ticket;
  const deciding = DECIDING.has(data.status) && data.jobs.length > 0;

  return (
    <>
      <p>
        <Link to="/portal/tickets" className="text-blue-900 underline">
          All my visits
        </Link>
      </p>
      <h1 className="text-2xl font-bold">{data.title}</h1>
      <dl className="mt-2 grid max-w-xl grid-cols-2 gap-x-4">
        <dt className="font-semibold">Vehicle</dt>
        <dd>{vehicleName(data.vehicle)}</dd>
        <dt className="font-semibold">Day</dt>
        <dd>{data.service_date}</dd>
        <dt className="font-semibold">Status</dt>
        <dd>
          <StatusBadge status={data.status} />
        </dd>
        {data.odometer_in !== null && (
          <>
            <dt className="font-semibold">Odometer in</dt>
            <dd>{data.odometer_in.toLocaleString()}</dd>
          </>
        )}
      </dl>
      {data.description && <p className="mt-2">{data.description}</p>}

      <section aria-labelledby="estimate" className="mt-6">
        <h2 id="estimate" className="text-xl font-semibold">
          Estimate
        </h2>
        <button
          type="button"
          onClick={() => void downloadEstimate()}
          disabled={downloading}
          className="mt-2 rounded border border-blue-800 px-3 py-1 text-blue-900"
        >
          Download the estimate (PDF)
        </button>
        {downloading && <Busy label="Preparing the PDF" />}
        {downloadError !== null && <ErrorNotice error={downloadError} />}
        {data.jobs.length === 0 && <p className="mt-2">The shop has not written the estimate yet.</p>}
        {deciding && (
          <div className="mt-4">
            {approve.isSuccess && (
              <p role="status" className="mb-4 rounded border border-green-700 bg-green-50 p-3">
                Thank you: your decisions are recorded. Approved work in all: <Money amount={approve.data.approved_amount} />.
              </p>
            )}
            <DecisionForm
              key={`${data.estimate_version}:${data.jobs.map((job) => `${job.id}${job.authorization}`).join()}`}
              jobs={data.jobs}
              totals={data.totals}
              notice={
                estimateChanged && (
                  <p role="alert" className="mt-4 rounded border border-amber-700 bg-amber-50 p-3">
                    The shop changed the estimate while you were reading it, so nothing was recorded. The figures above are the new ones:
                    please review them and send your decisions again.
                  </p>
                )
              }
              onSubmit={async (decisions, signature_name) => {
                try {
                  setEstimateChanged(false);
                  await approve.mutateAsync({ id, estimate_version: data.estimate_version, decisions, signature_name, method: 'portal' });
                } catch (error) {
                  if (!isMechanicShopError(error) || error.data?.reason !== 'estimate_changed') throw error;
                  // The new figures replace the old ones on the page: the customer decides on what the estimate is now.
                  setEstimateChanged(true);
                  await ticket.refetch();
                }
              }}
            />
          </div>
        )}
        {!deciding && data.jobs.length > 0 && (
          <>
            <ol className="mt-4 space-y-4">
              {data.jobs.map((job) => (
                <li key={job.id} className="rounded border border-slate-300 p-4">
                  <h3 className="text-lg font-semibold">{job.title}</h3>
                  <StatusBadge status={job.authorization} />
                  <div className="mt-2">
                    <JobLines job={job} />
                  </div>
                </li>
              ))}
            </ol>
            <div className="mt-4">
              <TotalsTable totals={data.totals} caption="Total" taxByCategory />
            </div>
          </>
        )}
      </section>
      <History ticketId={id} />
    </>
  );
}
