/** The ticket screen's looks, in one place: its buttons (dark text on white, a visible border) and its panels. */
export const buttonClass = 'rounded border border-slate-600 bg-white px-3 py-1 text-sm font-medium hover:bg-slate-100 disabled:opacity-60';

/** A button inside a table row or a job's footer. */
export const smallButtonClass =
  'rounded border border-slate-600 bg-white px-2 py-0.5 text-sm font-medium hover:bg-slate-100 disabled:opacity-60';

export const panelClass = 'flex flex-col gap-3 rounded-lg border border-slate-300 bg-white p-4';
