import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useDeferredValue, useId, useState } from 'react';
import type { RouterOutputs } from '@mechanic-shop/sdk';
import { useTRPC } from '../../api.ts';
import { Busy, ErrorNotice, inputClass, Money, Pagination } from '../../ui/index.ts';

export type InventoryItem = RouterOutputs['inventory']['list']['items'][number];

const RESULTS_PER_PAGE = 8;

interface PartPickerProps {
  /** The part chosen, as the line holds it (an id), with its name when known. */
  chosen: { id: number; name: string } | null;
  onChoose: (item: InventoryItem) => void;
  error?: string;
}

/** Searches the inventory by name (the API's `q`), a page at a time, with the stock and price of each part. */
export function PartPicker({ chosen, onChoose, error }: PartPickerProps) {
  const trpc = useTRPC();
  const id = useId();
  const [text, setText] = useState('');
  const [page, setPage] = useState(1);
  const q = useDeferredValue(text.trim());
  const results = useQuery({
    ...trpc.inventory.list.queryOptions({ q: q === '' ? undefined : q, page, per_page: RESULTS_PER_PAGE }),
    placeholderData: keepPreviousData,
  });
  return (
    <fieldset className="flex flex-col gap-2 rounded border border-slate-300 p-2">
      <legend className="px-1 text-sm font-semibold">Part</legend>
      <p className="text-sm" aria-live="polite">
        {chosen ? `Chosen: ${chosen.name}` : 'No part chosen yet.'}
      </p>
      {error && (
        <p className="text-sm text-red-800" id={`${id}-error`}>
          {error}
        </p>
      )}
      <label htmlFor={`${id}-search`} className="text-sm">
        Find a part by name
      </label>
      <input
        id={`${id}-search`}
        type="search"
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          setPage(1);
        }}
        aria-describedby={error ? `${id}-error` : undefined}
        className={inputClass}
      />
      {results.isPending && <Busy label="Searching the inventory" />}
      {results.error && <ErrorNotice error={results.error} />}
      {results.data && results.data.items.length === 0 && <p className="text-sm text-slate-700">No part matches.</p>}
      <ul className="flex flex-col gap-1" aria-label="Parts found">
        {results.data?.items.map((item) => (
          <li key={item.id} className="flex items-center justify-between gap-2 text-sm">
            <span>
              {item.part_name} · <Money amount={item.price} /> ·{' '}
              <span className={item.quantity === 0 ? 'font-semibold text-red-800' : ''}>{item.quantity} in stock</span>
            </span>
            <button
              type="button"
              className="rounded border border-slate-600 px-2 py-0.5 disabled:opacity-60"
              aria-pressed={chosen?.id === item.id}
              onClick={() => onChoose(item)}
            >
              Choose<span className="sr-only"> {item.part_name}</span>
            </button>
          </li>
        ))}
      </ul>
      {results.data && (
        <Pagination page={results.data.page} per_page={results.data.per_page} total={results.data.total} onPage={setPage} label="parts" />
      )}
    </fieldset>
  );
}
