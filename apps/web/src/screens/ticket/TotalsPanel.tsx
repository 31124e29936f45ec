import type { Ticket } from '../board/board-rules.ts';
import { TotalsTable } from '../approve/Estimate.tsx';
import { panelClass } from './styles.ts';

/**
 * The ticket's figures as the API's money engine priced them on the last change (every write answers with them, so
 * they follow each line as it is saved): categories, discounts, shop supplies, the flat charge, tax by category and
 * total. Declined jobs are left out.
 */
export function TotalsPanel({ ticket }: { ticket: Ticket }) {
  return (
    <section aria-labelledby="ticket-totals" className={panelClass}>
      <h2 id="ticket-totals" className="text-lg font-semibold">
        Totals
      </h2>
      <div aria-live="polite">
        <TotalsTable totals={ticket.totals} caption={`Estimate version ${ticket.estimate_version}`} taxByCategory />
      </div>
    </section>
  );
}
