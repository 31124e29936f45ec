import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useDownload, useTRPC } from '../../api.ts';
import { Busy, ErrorNotice, Money, Pagination, ShopCurrency, StatusBadge } from '../../ui/index.ts';
import { vehicleName } from './VehiclesSection.tsx';
import { Scrollable, TABLE_CELLS } from '../approve/Estimate.tsx';

const PER_PAGE = 10;

const date = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/** A button that saves one invoice's PDF, with its progress and its error. */
function InvoicePdf({ number }: { number: string }) {
  const download = useDownload();
  const [state, setState] = useState<{ busy: boolean; error: unknown }>({ busy: false, error: null });
  const save = async () => {
    setState({ busy: true, error: null });
    try {
      await download(`/invoices/${encodeURIComponent(number)}/pdf`, `${number}.pdf`);
      setState({ busy: false, error: null });
    } catch (error) {
      setState({ busy: false, error });
    }
  };
  return (
    <>
      <button
        type="button"
        onClick={() => void save()}
        disabled={state.busy}
        className="rounded border border-blue-800 px-2 py-1 text-blue-900"
      >
        Download {number} (PDF)
      </button>
      {state.busy && <Busy label={`Preparing ${number}`} />}
      {state.error !== null && <ErrorNotice error={state.error} />}
    </>
  );
}

/** The customer's invoices, newest first, with what is paid and owed, and their PDFs. */
export default function InvoicesSection() {
  const trpc = useTRPC();
  const [page, setPage] = useState(1);
  const invoices = useQuery(trpc.customers.myInvoices.queryOptions({ page, per_page: PER_PAGE }));

  return (
    <>
      <h1 className="text-2xl font-bold">My invoices</h1>
      {invoices.isPending && <Busy label="Loading your invoices" />}
      {invoices.isError && <ErrorNotice error={invoices.error} />}
      {invoices.data && (
        <>
          {invoices.data.total === 0 ? (
            <p className="mt-4">No invoice yet.</p>
          ) : (
            <Scrollable label="My invoices">
              <table className={`mt-4 w-full text-left ${TABLE_CELLS}`}>
                <caption className="sr-only">My invoices</caption>
                <thead>
                  <tr>
                    <th scope="col">Invoice</th>
                    <th scope="col">Issued</th>
                    <th scope="col">Vehicle</th>
                    <th scope="col" className="text-right">
                      Total
                    </th>
                    <th scope="col" className="text-right">
                      Paid
                    </th>
                    <th scope="col" className="text-right">
                      Balance
                    </th>
                    <th scope="col">Status</th>
                    <th scope="col">PDF</th>
                  </tr>
                </thead>
                <tbody>
                  {invoices.data.items.map((invoice) => (
                    // Each invoice is in the currency it was issued in; a customer may not read the shop's settings.
                    <ShopCurrency key={invoice.number} code={invoice.shop.currency}>
                      <tr className="border-t border-slate-200">
                        <td>{invoice.number}</td>
                        <td>{date.format(new Date(invoice.issued_at))}</td>
                        <td>{vehicleName(invoice.vehicle)}</td>
                        <td className="text-right">
                          <Money amount={invoice.totals.total} />
                        </td>
                        <td className="text-right">
                          <Money amount={invoice.paid} />
                        </td>
                        <td className="text-right">
                          <Money amount={invoice.balance} />
                        </td>
                        <td>
                          <StatusBadge status={invoice.status} />
                        </td>
                        <td>
                          <InvoicePdf number={invoice.number} />
                        </td>
                      </tr>
                    </ShopCurrency>
                  ))}
                </tbody>
              </table>
            </Scrollable>
          )}
          <Pagination page={invoices.data.page} per_page={invoices.data.per_page} total={invoices.data.total} onPage={setPage} />
        </>
      )}
    </>
  );
}
