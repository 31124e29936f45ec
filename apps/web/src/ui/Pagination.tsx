export interface PaginationProps {
  page: number;
  per_page: number;
  total: number;
  onPage: (page: number) => void;
  /** What is counted, for the summary and the navigation's name: "tickets". */
  label?: string;
}

/** Previous / next and where we are; nothing when everything fits on one page. */
export function Pagination({ page, per_page, total, onPage, label = 'items' }: PaginationProps) {
  const pages = Math.max(1, Math.ceil(total / per_page));
  if (total <= per_page && page === 1) return null;
  const first = total === 0 ? 0 : (page - 1) * per_page + 1;
  const last = Math.min(total, page * per_page);
  const button = 'rounded border border-slate-400 bg-white px-3 py-1 text-sm text-slate-900 disabled:opacity-50';
  return (
    <nav aria-label={`Pages of ${label}`} className="mt-3 flex items-center gap-3">
      <button type="button" className={button} disabled={page <= 1} onClick={() => onPage(page - 1)}>
        Previous page
      </button>
      <span className="text-sm text-slate-700" aria-live="polite">
        {first}–{last} of {total} {label} (page {page} of {pages})
      </span>
      <button type="button" className={button} disabled={page >= pages} onClick={() => onPage(page + 1)}>
        Next page
      </button>
    </nav>
  );
}
