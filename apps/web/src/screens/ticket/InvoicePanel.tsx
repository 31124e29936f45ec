import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { RouterInputs } from '@mechanic-shop/sdk';
import { useDownload, useTRPC, useTRPCClient } from '../../api.ts';
import { Busy, ErrorNotice, Field, fieldErrors, Money, StatusBadge } from '../../ui/index.ts';
import type { Ticket } from '../board/board-rules.ts';
import { findTicketInvoiceNumber, type Invoice } from './invoice-lookup.ts';
import { useWritesTickets } from './use-ticket-write.ts';
import { buttonClass, panelClass } from './styles.ts';

type PaymentMethod = RouterInputs['payments']['create']['method'];
const PAYMENT_METHODS = { card: 'Card', cash: 'Cash', check: 'Check', other: 'Other' } as const satisfies Record<PaymentMethod, string>;

/**
 * The ticket's invoice (live, or its last voided one): found among its customer's once the ticket is completed (an
 * invoice needs that), then read by number. Its lookup is keyed under the invoices' own queries, so that their
 * invalidation covers it; every component asking shares one lookup.
 */
export function useTicketInvoice(ticket: Ticket) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const key = [...trpc.invoices.pathKey(), { ticketInvoice: ticket.id }] as const;
  const number = useQuery({
    queryKey: key,
    enabled: ticket.status === 'COMPLETED',
    queryFn: () =>
      findTicketInvoiceNumber((page) => client.invoices.list.query({ customer_id: ticket.customer_id, page, per_page: 100 }), ticket.id),
  });
  const invoice = useQuery({
    ...trpc.invoices.byNumber.queryOptions({ number: number.data ?? '' }),
    enabled: typeof number.data === 'string',
  });
  const live = invoice.data && invoice.data.status !== 'void' ? invoice.data : null;
  return { key, number, invoice, live };
}

/** A PDF fetched with the session's token and saved, its progress and refusal shown. */
export function DownloadButton({ path, filename, children }: { path: string; filename: string; children: React.ReactNode }) {
  const download = useDownload();
  const saving = useMutation({ mutationFn: () => download(path, filename) });
  return (
    <span className="inline-flex flex-col gap-1">
      <button type="button" className={buttonClass} disabled={saving.isPending} onClick={() => saving.mutate()}>
        {children}
      </button>
      {saving.isPending && <Busy label="Preparing the PDF" />}
      {saving.isError && <ErrorNotice error={saving.error} />}
    </span>
  );
}

/** A completed ticket's invoice: issuing it, its figures and payments, taking a payment, its PDF. */
export function InvoicePanel({ ticket }: { ticket: Ticket }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const writes = useWritesTickets();
  const { key, number, invoice, live } = useTicketInvoice(ticket);
  const completed = ticket.status === 'COMPLETED';
  const issue = useMutation(
    trpc.invoices.create.mutationOptions({
      onSuccess: (issued) => {
        queryClient.setQueryData(trpc.invoices.byNumber.queryKey({ number: issued.number }), issued);
        queryClient.setQueryData(key, issued.number);
        void queryClient.invalidateQueries(trpc.audit.ticketHistory.pathFilter());
      },
    }),
  );
  return (
    <section aria-labelledby="ticket-invoice" className={panelClass}>
      <h2 id="ticket-invoice" className="text-lg font-semibold">
        Invoice and payments
      </h2>
      {!completed && <p className="text-sm text-slate-700">A ticket is invoiced once it is completed.</p>}
      {(number.isLoading || invoice.isLoading) && <Busy label="Looking for the invoice" />}
      {number.isError && <ErrorNotice error={number.error} />}
      {invoice.isError && <ErrorNotice error={invoice.error} />}
      {invoice.data && <InvoiceView invoice={invoice.data} />}
      {completed && writes && number.isSuccess && !live && (
        <div>
          <button type="button" className={buttonClass} disabled={issue.isPending} onClick={() => issue.mutate({ id: ticket.id })}>
            {invoice.data ? 'Invoice again' : 'Issue the invoice'}
          </button>
          {issue.isPending && <Busy label="Issuing the invoice" />}
          {issue.isError && <ErrorNotice error={issue.error} />}
        </div>
      )}
      {live && writes && live.status !== 'paid' && <PaymentForm invoice={live} />}
    </section>
  );
}

function InvoiceView({ invoice }: { invoice: Invoice }) {
  return (
    <div className="flex flex-col gap-2 text-sm" data-testid="invoice">
      <p>
        <strong>{invoice.number}</strong>, issued {new Date(invoice.issued_at).toLocaleString()} <StatusBadge status={invoice.status} />
        {invoice.void_reason && ` (${invoice.void_reason})`}
      </p>
      <dl className="grid max-w-xs grid-cols-2 gap-x-3">
        <dt>Total</dt>
        <dd className="text-right">
          <Money amount={invoice.totals.total} />
        </dd>
        <dt>Paid</dt>
        <dd className="text-right">
          <Money amount={invoice.paid} />
        </dd>
        <dt className="font-semibold">Balance</dt>
        <dd className="text-right font-semibold">
          <Money amount={invoice.balance} />
        </dd>
      </dl>
      {invoice.payments.length > 0 && (
        <table className="w-full max-w-lg [&_td]:pr-3 [&_th]:pr-3">
          <caption className="text-left font-semibold">Payments</caption>
          <thead>
            <tr className="text-left">
              <th scope="col">Received</th>
              <th scope="col">Method</th>
              <th scope="col">Reference</th>
              <th scope="col" className="text-right">
                Amount
              </th>
              <th scope="col" className="text-right">
                Refunded
              </th>
            </tr>
          </thead>
          <tbody>
            {invoice.payments.map((payment) => (
              <tr key={payment.id} className="border-t border-slate-200">
                <td>{new Date(payment.received_at).toLocaleString()}</td>
                <td>{PAYMENT_METHODS[payment.method]}</td>
                <td>{payment.reference ?? '—'}</td>
                <td className="text-right">
                  <Money amount={payment.amount} />
                </td>
                <td className="text-right">
                  <Money amount={payment.refunded} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div>
        <DownloadButton path={`/invoices/${encodeURIComponent(invoice.number)}/pdf`} filename={`${invoice.number}.pdf`}>
          Download the invoice PDF
        </DownloadButton>
      </div>
    </div>
  );
}

/** A payment against the invoice; the SDK gives it its Idempotency-Key, so a retry after a lost answer never pays twice. */
function PaymentForm({ invoice }: { invoice: Invoice }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [values, setValues] = useState({ amount: invoice.balance, reference: '' });
  const [method, setMethod] = useState<PaymentMethod>('card');
  const pay = useMutation(
    trpc.payments.create.mutationOptions({
      onSuccess: (payment) => {
        setValues({ amount: payment.invoice.balance, reference: '' });
        void queryClient.invalidateQueries(trpc.invoices.byNumber.queryFilter({ number: invoice.number }));
        void queryClient.invalidateQueries(trpc.audit.ticketHistory.pathFilter());
      },
    }),
  );
  const errors = pay.error ? fieldErrors(pay.error) : {};
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const reference = values.reference.trim();
    pay.mutate({ number: invoice.number, amount: values.amount.trim(), method, ...(reference ? { reference } : {}) });
  };
  return (
    <form onSubmit={submit} noValidate aria-label="Take a payment" className="flex flex-wrap items-end gap-3">
      <Field label="Amount" error={errors.amount}>
        {(props) => (
          <input
            {...props}
            inputMode="decimal"
            value={values.amount}
            onChange={(event) => setValues({ ...values, amount: event.target.value })}
            className={`${props.className} w-28`}
          />
        )}
      </Field>
      <Field label="Method" error={errors.method}>
        {(props) => (
          <select {...props} value={method} onChange={(event) => setMethod(event.target.value as PaymentMethod)}>
            {Object.entries(PAYMENT_METHODS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Processor reference (optional, never a card number)" error={errors.reference}>
        {(props) => (
          <input {...props} value={values.reference} onChange={(event) => setValues({ ...values, reference: event.target.value })} />
        )}
      </Field>
      <button type="submit" className={buttonClass} disabled={pay.isPending}>
        Take payment
      </button>
      {pay.isPending && <Busy label="Recording the payment" />}
      {pay.isError && Object.keys(errors).length === 0 && <ErrorNotice error={pay.error} />}
      {pay.isSuccess && (
        <p role="status" className="text-sm">
          Payment recorded. Balance now <Money amount={pay.data.invoice.balance} />.
        </p>
      )}
    </form>
  );
}
