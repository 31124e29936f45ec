import type { ReactNode } from 'react';
import { Money } from '../../ui/index.ts';
import { flatCharge, lineLabel, type EstimateJob, type EstimateLine, type EstimateTotals } from './decisions.ts';

/** The cells of every list table: room between columns, none before the first. */
export const TABLE_CELLS = '[&_td]:px-2 [&_td]:py-1 [&_td:first-child]:pl-0 [&_th]:px-2 [&_th:first-child]:pl-0 [&_th]:align-bottom';

/** A table that may be wider than a phone: it scrolls inside its box (by keyboard too) rather than widening the page. */
export function Scrollable({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div role="region" aria-label={label} tabIndex={0} className="overflow-x-auto">
      {children}
    </div>
  );
}

/** How a line's amount is made: hours at a rate, or units at a price (fees and sublets are an amount). */
function LineQuantity({ line }: { line: EstimateLine }) {
  if (line.type === 'labor' && line.hours !== null)
    return (
      <>
        {line.hours} h
        {line.rate !== null && (
          <>
            {' '}
            × <Money amount={line.rate} />
          </>
        )}
      </>
    );
  if (line.type === 'part' && line.quantity !== null)
    return (
      <>
        {line.quantity}
        {line.unit_price !== null && (
          <>
            {' '}
            × <Money amount={line.unit_price} />
          </>
        )}
      </>
    );
  return null;
}

/** The lines of a job: what each is, how much, its discount (a column only when a line has one) and its net. */
export function JobLines({ job }: { job: EstimateJob }) {
  if (job.lines.length === 0) return <p className="text-sm text-slate-700">No lines yet.</p>;
  const discounted = job.lines.some((line) => line.discount_amount !== '0.00');
  return (
    <Scrollable label={`Lines of ${job.title}`}>
      <table className={`w-full text-sm ${TABLE_CELLS}`}>
        <caption className="sr-only">Lines of {job.title}</caption>
        <thead>
          <tr className="text-left text-slate-700">
            <th scope="col">Item</th>
            <th scope="col" className="hidden sm:table-cell">
              Quantity
            </th>
            <th scope="col" className="text-right">
              Amount
            </th>
            {discounted && (
              <th scope="col" className="text-right">
                Discount
              </th>
            )}
            <th scope="col" className="text-right">
              Net
            </th>
          </tr>
        </thead>
        <tbody>
          {job.lines.map((line, index) => (
            <tr key={index} className="border-t border-slate-200">
              <td>
                {lineLabel(line)}
                {/* On a phone the quantity goes under the item, so that the amounts fit beside it. */}
                <span className="block text-xs text-slate-700 sm:hidden">
                  <LineQuantity line={line} />
                </span>
              </td>
              <td className="hidden whitespace-nowrap sm:table-cell">
                <LineQuantity line={line} />
              </td>
              <td className="text-right">
                <Money amount={line.amount} />
              </td>
              {discounted && (
                <td className="text-right">{line.discount_amount === '0.00' ? '' : <Money amount={`-${line.discount_amount}`} />}</td>
              )}
              <td className="text-right">
                <Money amount={line.net} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Scrollable>
  );
}

const TAX_ROWS = [
  ['labor', 'on labor'],
  ['parts', 'on parts'],
  ['fees', 'on fees and shop supplies'],
  ['sublet', 'on sublet work'],
] as const;

function Row({ label, amount, className = '', indent = false }: { label: string; amount: string; className?: string; indent?: boolean }) {
  return (
    <tr className={className}>
      <th scope="row" className={`text-left font-normal ${indent ? 'pl-4' : ''}`}>
        {label}
      </th>
      <td className="text-right">
        <Money amount={amount} />
      </td>
    </tr>
  );
}

/**
 * The figures of an estimate (a ticket's or one job's): each category that has any, shop supplies, the flat charge,
 * subtotal, tax (by category with `taxByCategory`), total.
 */
export function TotalsTable({
  totals,
  caption,
  taxByCategory = false,
}: {
  totals: EstimateTotals;
  caption: string;
  taxByCategory?: boolean;
}) {
  const rows: Array<[string, string]> = [
    ['Labor', totals.labor],
    ['Parts', totals.parts],
    ['Fees', totals.fees],
    ['Sublet work', totals.sublet],
    ['Shop supplies', totals.shop_supplies],
    ['Flat charge', flatCharge(totals)],
  ];
  return (
    <table className="w-full max-w-sm text-sm">
      <caption className="text-left font-semibold">{caption}</caption>
      <tbody>
        {rows
          .filter(([, amount]) => amount !== '0.00')
          .map(([label, amount]) => (
            <Row key={label} label={label} amount={amount} />
          ))}
        {totals.discounts !== '0.00' && <Row label="Discounts (included above)" amount={`-${totals.discounts}`} />}
        <Row label="Subtotal" amount={totals.subtotal} className="border-t border-slate-300" />
        <Row label="Tax" amount={totals.tax.total} />
        {taxByCategory &&
          TAX_ROWS.filter(([category]) => totals.tax[category] !== '0.00').map(([category, label]) => (
            <Row key={category} label={`Tax ${label}`} amount={totals.tax[category]} indent />
          ))}
        <tr className="font-semibold">
          <th scope="row" className="text-left">
            Total
          </th>
          <td className="text-right">
            <Money amount={totals.total} />
          </td>
        </tr>
      </tbody>
    </table>
  );
}
