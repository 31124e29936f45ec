import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { RouterOutputs } from '@mechanic-shop/sdk';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useTRPC } from '../../api.ts';
import { Busy, ErrorNotice, Field, fieldErrors, Money, Pagination } from '../../ui/index.ts';
import { vehicleName } from '../portal/VehiclesSection.tsx';
import { TABLE_CELLS } from '../approve/Estimate.tsx';

const PER_PAGE = 10;

type DeclinedJob = RouterOutputs['declinedWork']['list']['items'][number];

function FollowUp({ job }: { job: DeclinedJob }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const revive = useMutation(
    trpc.declinedWork.revive.mutationOptions({
      onSuccess: async (ticket) => {
        await queryClient.invalidateQueries(trpc.declinedWork.pathFilter());
        await navigate(`/tickets/${ticket.id}`);
      },
    }),
  );
  return (
    <tr className="border-t border-slate-200 align-top">
      <td>{job.follow_up_on}</td>
      <td>{job.customer.name}</td>
      <td>{vehicleName(job.vehicle)}</td>
      <td>
        {job.title}
        {job.reason && <p className="text-sm text-slate-700">“{job.reason}”</p>}
      </td>
      <td className="text-right">
        <Money amount={job.amount} />
      </td>
      <td>
        <button
          type="button"
          disabled={revive.isPending}
          onClick={() => revive.mutate({ job_id: job.job_id })}
          className="rounded border border-blue-800 px-2 py-1 text-blue-900"
        >
          Bring back “{job.title}” as new work
        </button>
        {revive.isPending && <Busy label="Copying the job at today's prices" />}
        {revive.isError && <ErrorNotice error={revive.error} />}
      </td>
    </tr>
  );
}

/** Work customers declined, the longest due first: call them, and bring the job back into a ticket at today's prices. */
export default function FollowUpsSection() {
  const trpc = useTRPC();
  // All by default: a job declined today is due in declined_follow_up_days, and the list already puts the longest due first.
  const [dueBefore, setDueBefore] = useState('');
  const [page, setPage] = useState(1);
  const declined = useQuery(
    trpc.declinedWork.list.queryOptions({ page, per_page: PER_PAGE, ...(dueBefore ? { due_before: dueBefore } : {}) }, { retry: false }),
  );
  const errors = declined.error ? fieldErrors(declined.error) : {};

  return (
    <>
      <h1 className="text-2xl font-bold">Declined work to follow up</h1>
      <div className="mt-4 max-w-xs">
        <Field label="Only those due on or before (leave empty for all)" error={errors.due_before}>
          {(props) => (
            <input
              {...props}
              type="date"
              value={dueBefore}
              onChange={(event) => {
                setDueBefore(event.target.value);
                setPage(1);
              }}
            />
          )}
        </Field>
      </div>
      {declined.isPending && <Busy label="Loading the declined work" />}
      {declined.isError && Object.keys(errors).length === 0 && <ErrorNotice error={declined.error} />}
      {declined.data && (
        <>
          {declined.data.total === 0 ? (
            <p className="mt-4">Nothing to follow up{dueBefore ? ' by that day' : ''}.</p>
          ) : (
            <table className={`mt-4 w-full text-left ${TABLE_CELLS}`}>
              <caption className="sr-only">Declined jobs to follow up</caption>
              <thead>
                <tr>
                  <th scope="col">Follow up on</th>
                  <th scope="col">Customer</th>
                  <th scope="col">Vehicle</th>
                  <th scope="col">Job and reason</th>
                  <th scope="col" className="text-right">
                    Amount
                  </th>
                  <th scope="col">Action</th>
                </tr>
              </thead>
              <tbody>
                {declined.data.items.map((job) => (
                  <FollowUp key={job.job_id} job={job} />
                ))}
              </tbody>
            </table>
          )}
          <Pagination page={declined.data.page} per_page={declined.data.per_page} total={declined.data.total} onPage={setPage} />
        </>
      )}
    </>
  );
}
