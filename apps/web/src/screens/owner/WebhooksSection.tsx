import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { RouterInputs, RouterOutputs } from '@mechanic-shop/sdk';
import { useId, useState, type FormEvent } from 'react';
import { useTRPC } from '../../api.ts';
import { Busy, ErrorNotice, Field, fieldErrors, Pagination } from '../../ui/index.ts';
import { useEventCatalogue } from './event-catalogue.ts';
import { TABLE_CELLS } from '../approve/Estimate.tsx';

const PER_PAGE = 10;
const DELIVERIES_PER_PAGE = 10;

type Webhook = RouterOutputs['webhooks']['list']['items'][number];
type DeliveryStatus = NonNullable<RouterInputs['webhooks']['deliveries']['status']>;

const DELIVERY_STATUS_NAMES: Record<DeliveryStatus, string> = { pending: 'Pending', succeeded: 'Succeeded', failed: 'Failed' };

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'medium' });

function isDeliveryStatus(value: string): value is DeliveryStatus {
  return value in DELIVERY_STATUS_NAMES;
}

/** A signing secret, shown once: the API keeps no copy the owner can read again. */
function SecretOnce({ secret }: { secret: string }) {
  return (
    <div role="status" className="mt-3 rounded border border-amber-700 bg-amber-50 p-3">
      <p className="font-semibold">Signing secret, shown this once: store it in the receiver now.</p>
      <code className="break-all">{secret}</code>
    </div>
  );
}

function Deliveries({ webhook }: { webhook: Webhook }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [page, setPage] = useState(1);
  const [status, setStatus] = useState<DeliveryStatus | ''>('');
  const deliveries = useQuery(
    trpc.webhooks.deliveries.queryOptions({ id: webhook.id, page, per_page: DELIVERIES_PER_PAGE, ...(status ? { status } : {}) }),
  );
  const retry = useMutation(
    trpc.webhooks.retryDelivery.mutationOptions({ onSuccess: () => queryClient.invalidateQueries(trpc.webhooks.pathFilter()) }),
  );

  return (
    <section aria-label={`Deliveries to ${webhook.url}`} className="mt-3">
      <Field label="Show deliveries">
        {(props) => (
          <select
            {...props}
            value={status}
            onChange={(event) => {
              setStatus(isDeliveryStatus(event.target.value) ? event.target.value : '');
              setPage(1);
            }}
          >
            <option value="">All</option>
            {Object.entries(DELIVERY_STATUS_NAMES).map(([value, name]) => (
              <option key={value} value={value}>
                {name}
              </option>
            ))}
          </select>
        )}
      </Field>
      {deliveries.isPending && <Busy label="Loading the deliveries" />}
      {deliveries.isError && <ErrorNotice error={deliveries.error} />}
      {retry.isError && <ErrorNotice error={retry.error} />}
      {deliveries.data && (
        <>
          {deliveries.data.total === 0 ? (
            <p className="mt-2">No delivery{status ? ' with that status' : ''} yet.</p>
          ) : (
            <table className={`mt-2 w-full text-left text-sm ${TABLE_CELLS}`}>
              <caption className="sr-only">Deliveries to {webhook.url}</caption>
              <thead>
                <tr>
                  <th scope="col">Event</th>
                  <th scope="col">Status</th>
                  <th scope="col">Attempts</th>
                  <th scope="col">Last answer</th>
                  <th scope="col">Next attempt</th>
                  <th scope="col">Action</th>
                </tr>
              </thead>
              <tbody>
                {deliveries.data.items.map((delivery) => {
                  const last = delivery.attempts.at(-1);
                  return (
                    <tr key={delivery.id} className="border-t border-slate-200">
                      <td>
                        {delivery.event_type} <span className="font-mono">{delivery.event_id}</span>
                      </td>
                      <td>{DELIVERY_STATUS_NAMES[delivery.status]}</td>
                      <td>{delivery.attempt_count}</td>
                      <td>{last ? (last.error ?? `HTTP ${last.status_code ?? '—'} in ${last.duration_ms} ms`) : '—'}</td>
                      <td>{delivery.next_attempt_at ? dateTime.format(new Date(delivery.next_attempt_at)) : '—'}</td>
                      <td>
                        <button
                          type="button"
                          disabled={retry.isPending}
                          onClick={() => retry.mutate({ id: webhook.id, delivery_id: delivery.id })}
                          className="rounded border border-blue-800 px-2 py-0.5 text-blue-900"
                        >
                          Deliver {delivery.event_id} again
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
          <Pagination page={deliveries.data.page} per_page={deliveries.data.per_page} total={deliveries.data.total} onPage={setPage} />
        </>
      )}
    </section>
  );
}

function WebhookCard({ webhook }: { webhook: Webhook }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const titleId = useId();
  const [showDeliveries, setShowDeliveries] = useState(false);
  const refresh = () => queryClient.invalidateQueries(trpc.webhooks.pathFilter());
  const update = useMutation(trpc.webhooks.update.mutationOptions({ onSuccess: refresh }));
  const test = useMutation(trpc.webhooks.test.mutationOptions({ onSuccess: refresh }));
  const rotate = useMutation(trpc.webhooks.rotateSecret.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.webhooks.delete.mutationOptions({ onSuccess: refresh }));
  const busy = update.isPending || test.isPending || rotate.isPending || remove.isPending;
  const error = update.error ?? test.error ?? rotate.error ?? remove.error;

  return (
    <li aria-labelledby={titleId} className="rounded border border-slate-300 p-4">
      <h3 id={titleId} className="break-all font-mono font-semibold">
        {webhook.url}
      </h3>
      {webhook.description && <p>{webhook.description}</p>}
      <p className="mt-1 text-sm">
        {webhook.enabled ? 'Enabled' : `Disabled${webhook.disabled_reason ? `: ${webhook.disabled_reason}` : ''}`}
        {webhook.failing_since && ` · failing since ${dateTime.format(new Date(webhook.failing_since))}`}
      </p>
      <p className="mt-1 text-sm">Events: {webhook.event_types.join(', ')}</p>
      <div className="mt-2 flex flex-wrap gap-2">
        <button
          type="button"
          disabled={busy}
          onClick={() => update.mutate({ id: webhook.id, enabled: !webhook.enabled })}
          className="rounded border border-blue-800 px-2 py-1 text-blue-900"
        >
          {webhook.enabled ? 'Disable' : 'Enable'}
        </button>
        <button
          type="button"
          disabled={busy || !webhook.enabled}
          onClick={() => test.mutate({ id: webhook.id })}
          className="rounded border border-blue-800 px-2 py-1 text-blue-900"
        >
          Send a test event
        </button>
        <button
          type="button"
          disabled={busy}
          onClick={() =>
            window.confirm('Replace the signing secret? The receiver must switch to the new one.') && rotate.mutate({ id: webhook.id })
          }
          className="rounded border border-blue-800 px-2 py-1 text-blue-900"
        >
          Rotate the secret
        </button>
        <button
          type="button"
          disabled={busy}
          onClick={() => window.confirm(`Delete the webhook to ${webhook.url} and its delivery log?`) && remove.mutate({ id: webhook.id })}
          className="rounded border border-red-800 px-2 py-1 text-red-900"
        >
          Delete
        </button>
        <button
          type="button"
          aria-expanded={showDeliveries}
          onClick={() => setShowDeliveries(!showDeliveries)}
          className="rounded border border-slate-600 px-2 py-1"
        >
          {showDeliveries ? 'Hide deliveries' : 'Show deliveries'}
        </button>
      </div>
      {busy && <Busy label="Working" />}
      {error && <ErrorNotice error={error} />}
      {test.isSuccess && <p role="status">Test event queued: see the deliveries.</p>}
      {rotate.data && <SecretOnce secret={rotate.data.secret} />}
      {showDeliveries && <Deliveries webhook={webhook} />}
    </li>
  );
}

function AddWebhook() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const catalogue = useEventCatalogue();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [types, setTypes] = useState<ReadonlySet<string>>(new Set());
  const create = useMutation(
    trpc.webhooks.create.mutationOptions({
      onSuccess: async () => {
        setUrl('');
        setDescription('');
        setTypes(new Set());
        await queryClient.invalidateQueries(trpc.webhooks.pathFilter());
      },
    }),
  );
  const errors = create.error ? fieldErrors(create.error) : {};
  const eventsErrorId = useId();
  const toggle = (type: string, on: boolean) => {
    const next = new Set(types);
    if (on) next.add(type);
    else next.delete(type);
    setTypes(next);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ url, description, event_types: [...types] });
  };

  return (
    <section aria-labelledby="add-webhook" className="mt-8">
      <h2 id="add-webhook" className="text-xl font-semibold">
        Add a webhook
      </h2>
      <form onSubmit={submit} className="mt-3 grid max-w-2xl gap-3" noValidate>
        <Field label="URL that receives the events" error={errors.url}>
          {(props) => <input {...props} type="url" value={url} onChange={(event) => setUrl(event.target.value)} />}
        </Field>
        <Field label="Description (optional)" error={errors.description}>
          {(props) => <input {...props} value={description} onChange={(event) => setDescription(event.target.value)} maxLength={500} />}
        </Field>
        <fieldset aria-describedby={errors.event_types ? eventsErrorId : undefined} className="rounded border border-slate-300 p-3">
          <legend className="font-semibold">Events to send</legend>
          {catalogue.isPending && <Busy label="Loading the event types" />}
          {catalogue.isError && <ErrorNotice error={catalogue.error} />}
          <ul className="grid gap-1">
            {catalogue.data?.map((kind) => (
              <li key={kind.type}>
                <label className="flex items-start gap-2">
                  <input
                    type="checkbox"
                    checked={types.has(kind.type)}
                    onChange={(event) => toggle(kind.type, event.target.checked)}
                    className="mt-1"
                  />
                  <span>
                    <span className="font-mono">{kind.type}</span>
                    {kind.summary && <span className="block text-sm text-slate-700">{kind.summary}</span>}
                  </span>
                </label>
              </li>
            ))}
          </ul>
          {errors.event_types && (
            <p id={eventsErrorId} className="mt-1 text-red-800">
              {errors.event_types}
            </p>
          )}
        </fieldset>
        {create.isError && Object.keys(errors).length === 0 && <ErrorNotice error={create.error} />}
        {create.data && <SecretOnce secret={create.data.secret} />}
        <div>
          <button type="submit" disabled={create.isPending} className="rounded bg-blue-800 px-4 py-2 font-semibold text-white">
            Add webhook
          </button>
          {create.isPending && <Busy label="Checking the URL and adding the webhook" />}
        </div>
      </form>
    </section>
  );
}

/** The shop's webhooks: what they receive, their state, their deliveries (retried on demand); new ones with their secret. */
export default function WebhooksSection() {
  const trpc = useTRPC();
  const [page, setPage] = useState(1);
  const webhooks = useQuery(trpc.webhooks.list.queryOptions({ page, per_page: PER_PAGE }));
  return (
    <>
      <h1 className="text-2xl font-bold">Webhooks</h1>
      <p className="mt-1 text-slate-700">Other systems (texting, accounting) hear about the shop's events here; each delivery is signed.</p>
      {webhooks.isPending && <Busy label="Loading the webhooks" />}
      {webhooks.isError && <ErrorNotice error={webhooks.error} />}
      {webhooks.data && (
        <>
          {webhooks.data.total === 0 ? (
            <p className="mt-4">No webhook yet.</p>
          ) : (
            <ul className="mt-4 grid gap-3">
              {webhooks.data.items.map((webhook) => (
                <WebhookCard key={webhook.id} webhook={webhook} />
              ))}
            </ul>
          )}
          <Pagination page={webhooks.data.page} per_page={webhooks.data.per_page} total={webhooks.data.total} onPage={setPage} />
        </>
      )}
      <AddWebhook />
    </>
  );
}
