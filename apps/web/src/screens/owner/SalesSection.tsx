import { useQuery } from '@tanstack/react-query';
import { BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import { useId, useState, type FormEvent } from 'react';
import { Bar } from 'react-chartjs-2';
import { useTRPC } from '../../api.ts';
import { Busy, ErrorNotice, Field, fieldErrors, Money } from '../../ui/index.ts';
import { monthStart, revenueRows, utcToday, type SalesReport } from './sales.ts';
import { TABLE_CELLS } from '../approve/Estimate.tsx';

// Only the parts of chart.js a bar chart uses, so that the bundle carries no other chart type.
Chart.register(BarElement, CategoryScale, LinearScale, Tooltip, Legend);

const METHODS = [
  ['cash', 'Cash'],
  ['card', 'Card'],
  ['check', 'Check'],
  ['other', 'Other'],
] as const;

function RevenueChart({ report }: { report: SalesReport }) {
  const tableId = useId();
  const rows = revenueRows(report);
  return (
    <figure className="mt-6">
      <figcaption className="text-lg font-semibold">Revenue by category (before tax)</figcaption>
      <div className="h-64 max-w-3xl">
        <Bar
          role="img"
          aria-label={`Bar chart of revenue by category; the table below gives the same figures in ${report.currency}.`}
          aria-describedby={tableId}
          data={{
            labels: rows.map((row) => row.label),
            datasets: [{ label: `Revenue (${report.currency})`, data: rows.map((row) => Number(row.revenue)), backgroundColor: '#1e40af' }],
          }}
          options={{ maintainAspectRatio: false, animation: false }}
        />
      </div>
      <table id={tableId} className={`mt-4 w-full max-w-xl text-left ${TABLE_CELLS}`}>
        <caption className="sr-only">Revenue and tax by category</caption>
        <thead>
          <tr>
            <th scope="col">Category</th>
            <th scope="col" className="text-right">
              Revenue
            </th>
            <th scope="col" className="text-right">
              Tax collected
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.label} className="border-t border-slate-200">
              <th scope="row" className="font-normal">
                {row.label}
              </th>
              <td className="text-right">
                <Money amount={row.revenue} />
              </td>
              <td className="text-right">{'amount' in row.tax ? <Money amount={row.tax.amount} /> : row.tax.note}</td>
            </tr>
          ))}
          <tr className="border-t border-slate-400 font-semibold">
            <th scope="row">Total</th>
            <td className="text-right">
              <Money amount={report.revenue.total} />
            </td>
            <td className="text-right">
              <Money amount={report.tax.total} />
            </td>
          </tr>
        </tbody>
      </table>
    </figure>
  );
}

function Report({ report }: { report: SalesReport }) {
  return (
    <>
      <dl className="mt-6 grid max-w-3xl grid-cols-2 gap-4 sm:grid-cols-3">
        {(
          [
            ['Invoices', String(report.invoice_count)],
            ['Invoiced (tax included)', report.invoiced],
            ['Average invoice', report.average_invoice],
            ['Discounts given', report.discounts],
            ['Received, net of refunds', report.net_payments],
            ['Still owed on these invoices', report.outstanding_balance],
          ] as const
        ).map(([label, value], index) => (
          <div key={label} className="rounded border border-slate-300 p-3">
            <dt className="text-sm text-slate-700">{label}</dt>
            <dd className="text-xl font-semibold">{index === 0 ? value : <Money amount={value} />}</dd>
          </div>
        ))}
      </dl>
      <RevenueChart report={report} />
      <table className={`mt-6 w-full max-w-xl text-left ${TABLE_CELLS}`}>
        <caption className="text-left text-lg font-semibold">Payments and refunds by method</caption>
        <thead>
          <tr>
            <th scope="col">Method</th>
            <th scope="col" className="text-right">
              Payments
            </th>
            <th scope="col" className="text-right">
              Refunds
            </th>
          </tr>
        </thead>
        <tbody>
          {[...METHODS, ['total', 'Total'] as const].map(([method, label]) => (
            <tr key={method} className="border-t border-slate-200">
              <th scope="row" className="font-normal">
                {label}
              </th>
              <td className="text-right">
                <Money amount={report.payments[method]} />
              </td>
              <td className="text-right">
                <Money amount={report.refunds[method]} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** The sales report of a period: figures, a chart of revenue by category with its table, payments by method. */
export default function SalesSection() {
  const trpc = useTRPC();
  const [period, setPeriod] = useState(() => ({ from: monthStart(utcToday()), to: utcToday() }));
  const [draft, setDraft] = useState(period);
  const report = useQuery(trpc.reports.sales.queryOptions(period, { retry: false }));
  const errors = report.error ? fieldErrors(report.error) : {};
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setPeriod(draft);
  };

  return (
    <>
      <h1 className="text-2xl font-bold">Sales report</h1>
      <form onSubmit={submit} className="mt-4 flex flex-wrap items-end gap-3" noValidate>
        <Field label="From (UTC day)" error={errors.from}>
          {(props) => (
            <input {...props} type="date" value={draft.from} onChange={(event) => setDraft({ ...draft, from: event.target.value })} />
          )}
        </Field>
        <Field label="To (UTC day)" error={errors.to}>
          {(props) => (
            <input {...props} type="date" value={draft.to} onChange={(event) => setDraft({ ...draft, to: event.target.value })} />
          )}
        </Field>
        <button type="submit" className="rounded bg-blue-800 px-4 py-2 font-semibold text-white">
          Show report
        </button>
      </form>
      {report.isFetching && <Busy label="Adding up the sales" />}
      {report.isError && Object.keys(errors).length === 0 && <ErrorNotice error={report.error} />}
      {report.data && !report.isError && <Report report={report.data} />}
    </>
  );
}
