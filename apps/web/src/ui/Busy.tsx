/** Progress while something loads or a long action runs: announced politely, visible as a spinner and words. */
export function Busy({ label = 'Loading…' }: { label?: string }) {
  return (
    <div role="status" aria-live="polite" className="my-3 flex items-center gap-2 text-slate-700">
      <span aria-hidden="true" className="inline-block size-4 animate-spin rounded-full border-2 border-slate-400 border-t-transparent" />
      <span>{label}</span>
    </div>
  );
}
