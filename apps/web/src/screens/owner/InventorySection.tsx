import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '../../api.ts';
import { Busy, ErrorNotice, Field, fieldErrors, Money, Pagination } from '../../ui/index.ts';
import { isLowStock, pageOf, type InventoryItem } from './low-stock.ts';
import { TABLE_CELLS } from '../approve/Estimate.tsx';

const PER_PAGE = 10;

/** The API's largest page: the low-stock list reads the inventory in as few requests as it can. */
const READ_PAGE = 100;

function Restock({ item }: { item: InventoryItem }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [quantity, setQuantity] = useState(String(item.quantity));
  const update = useMutation(
    trpc.inventory.update.mutationOptions({ onSuccess: () => queryClient.invalidateQueries(trpc.inventory.pathFilter()) }),
  );
  const errors = update.error ? fieldErrors(update.error) : {};
  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate({ id: item.id, quantity: Number(quantity) });
  };
  return (
    <form onSubmit={submit} className="flex flex-wrap items-end gap-2" noValidate>
      <Field label={`Units of ${item.part_name} in stock`} error={errors.quantity}>
        {(props) => (
          <input {...props} inputMode="numeric" value={quantity} onChange={(event) => setQuantity(event.target.value)} className="w-24" />
        )}
      </Field>
      <button type="submit" disabled={update.isPending} className="rounded border border-blue-800 px-2 py-1 text-blue-900">
        Save stock
      </button>
      {update.isPending && <Busy label="Saving the stock" />}
      {update.isError && Object.keys(errors).length === 0 && <ErrorNotice error={update.error} />}
    </form>
  );
}

/**
 * Parts at or below their reorder point. The API lists the inventory by page without a stock filter, so the whole
 * inventory is read (by pages of 100) and the low ones are paged here.
 */
export default function InventorySection() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [page, setPage] = useState(1);
  const lowStock = useQuery({
    // Under the inventory's key, so that any change to the inventory reads it again.
    queryKey: [['inventory', 'lowStock']],
    queryFn: async () => {
      const low: InventoryItem[] = [];
      for (let next = 1; ; next += 1) {
        const read = await queryClient.fetchQuery(trpc.inventory.list.queryOptions({ page: next, per_page: READ_PAGE }));
        low.push(...read.items.filter(isLowStock));
        if (next >= read.pages) return low;
      }
    },
  });
  const shown = lowStock.data && pageOf(lowStock.data, page, PER_PAGE);

  return (
    <>
      <h1 className="text-2xl font-bold">Low stock</h1>
      <p className="mt-1 text-slate-700">Parts at or below their reorder point; a reorder point of 0 means the part is not watched.</p>
      {lowStock.isFetching && <Busy label="Reading the inventory" />}
      {lowStock.isError && <ErrorNotice error={lowStock.error} />}
      {shown && (
        <>
          {shown.total === 0 ? (
            <p className="mt-4">Every watched part is above its reorder point.</p>
          ) : (
            <table className={`mt-4 w-full text-left ${TABLE_CELLS}`}>
              <caption className="sr-only">Parts at or below their reorder point</caption>
              <thead>
                <tr>
                  <th scope="col">Part</th>
                  <th scope="col" className="text-right">
                    In stock
                  </th>
                  <th scope="col" className="text-right">
                    Reorder point
                  </th>
                  <th scope="col" className="text-right">
                    Price
                  </th>
                  <th scope="col">Restock</th>
                </tr>
              </thead>
              <tbody>
                {shown.items.map((item) => (
                  <tr key={item.id} className="border-t border-slate-200 align-top">
                    <td>
                      {item.part_name}
                      {item.description && <span className="block text-sm text-slate-700">{item.description}</span>}
                    </td>
                    <td className="text-right">{item.quantity}</td>
                    <td className="text-right">{item.reorder_point}</td>
                    <td className="text-right">
                      <Money amount={item.price} />
                    </td>
                    <td>
                      <Restock key={item.quantity} item={item} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <Pagination page={shown.page} per_page={shown.per_page} total={shown.total} onPage={setPage} />
        </>
      )}
    </>
  );
}
