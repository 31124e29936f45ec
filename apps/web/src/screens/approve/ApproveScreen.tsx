import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { isMechanicShopError, type RouterOutputs } from '@mechanic-shop/sdk';
import { useParams } from 'react-router';
import { useTRPC } from '../../api.ts';
import { Busy, ErrorNotice, Money, ShopCurrency } from '../../ui/index.ts';
import { DecisionForm } from './DecisionForm.tsx';

type Approval = RouterOutputs['approvalLinks']['approve'];

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** What the page says when the link no longer takes decisions: the API's 410 and 409, in the customer's words. */
function LinkProblem({ error }: { error: unknown }) {
  const reason = isMechanicShopError(error) ? error.data?.reason : undefined;
  if (reason === 'link_expired')
    return (
      <section aria-labelledby="link-expired" role="alert">
        <h2 id="link-expired" className="text-xl font-semibold">
          This link has expired
        </h2>
        <p className="mt-2">
          Approval links work for a few days, and only the latest one the shop sent. Please ask the shop to send you a new link, or sign in
          to your account to see the estimate.
        </p>
      </section>
    );
  if (reason === 'estimate_changed')
    return (
      <section aria-labelledby="estimate-changed" role="alert">
        <h2 id="estimate-changed" className="text-xl font-semibold">
          The estimate has changed
        </h2>
        <p className="mt-2">
          The shop changed the estimate after sending this link, so its figures are out of date and nothing was recorded. The shop will send
          you a new link with the current figures; you can also sign in to your account to review them.
        </p>
      </section>
    );
  return <ErrorNotice error={error} />;
}

function Receipt({ approval }: { approval: Approval }) {
  return (
    <section aria-labelledby="receipt" role="status" className="mb-6 rounded border border-green-700 bg-green-50 p-4">
      <h2 id="receipt" className="text-lg font-semibold">
        Thank you, {approval.signature_name}: your decisions are recorded
      </h2>
      <ul className="mt-2 list-disc pl-6">
        {approval.decisions.map((decision) => (
          <li key={decision.job_id}>
            {decision.job_title}: {decision.decision === 'approve' ? 'approved' : 'declined'} (
            <Money amount={decision.amount} />)
          </li>
        ))}
      </ul>
      <p className="mt-2">
        Approved work in all: <Money amount={approval.approved_amount} />. You may change a decision with this link until it expires.
      </p>
    </section>
  );
}

/** The page of an approval link (`/app/approve/:token`), no login: the customer decides on each job of the estimate. */
export default function ApproveScreen() {
  const { token = '' } = useParams();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const view = useQuery(trpc.approvalLinks.view.queryOptions({ token }, { retry: false, refetchOnWindowFocus: false }));
  const approve = useMutation(
    trpc.approvalLinks.approve.mutationOptions({
      // A decision changes the jobs' states; a changed estimate or an expired link shows its own page on the reload.
      onSettled: () => queryClient.invalidateQueries(trpc.approvalLinks.view.queryFilter({ token })),
    }),
  );
  const estimate = view.data;

  return (
    // The link's view names the currency: whoever holds the link may not read the shop's settings.
    <ShopCurrency code={estimate?.currency}>
      <div className="mx-auto max-w-3xl sm:p-4">
        <h1 className="text-2xl font-bold">{estimate ? `${estimate.shop_name}: your estimate` : 'Your estimate'}</h1>
        {view.isPending && <Busy label="Loading the estimate" />}
        {view.isError && (
          <div className="mt-4">
            <LinkProblem error={view.error} />
          </div>
        )}
        {estimate && !view.isError && (
          <>
            <p className="mt-2 text-lg">
              {[estimate.vehicle.year, estimate.vehicle.make, estimate.vehicle.model].filter((part) => part !== null).join(' ') ||
                'Your vehicle'}
            </p>
            <p className="mt-1 text-slate-700">
              Decide on each job below. This link works until {dateTime.format(new Date(estimate.expires_at))}.
            </p>
            <div className="mt-6">
              {approve.data && <Receipt approval={approve.data} />}
              <DecisionForm
                // A new set of figures or decisions starts the form again from what is recorded.
                key={`${estimate.estimate_version}:${estimate.jobs.map((job) => `${job.id}${job.authorization}`).join()}`}
                jobs={estimate.jobs}
                totals={estimate.totals}

                onSubmit={(decisions, signature_name) => approve.mutateAsync({ token, decisions, signature_name })}
              />
            </div>
          </>
        )}
      </div>
    </ShopCurrency>
  );
}
