import type { Principal } from '../auth/tokens.ts';
import type { Prisma } from '../db/client.ts';
import {
  laborAmountCents,
  priceEstimate,
  type Category,
  type EngineLine,
  type EstimateTotals as PricedEstimate,
  type Totals,
} from '../estimates/money-engine.ts';
import { formatCents } from '../shared/money.ts';
import { formatPercent } from '../shared/percent.ts';
import { engineSettingsOf, type SettingsRow } from '../shop/shop.service.ts';
import type { EstimateTotals, Job, Line, LineType } from './estimate.schemas.ts';

/** Everything a line shows and prices with. */
export const lineFields = {
  id: true,
  type: true,
  description: true,
  hoursHundredths: true,
  rateCents: true,
  technicianId: true,
  inventoryId: true,
  quantity: true,
  unitPriceCents: true,
  amountCents: true,
  costCents: true,
  taxable: true,
  discountPercentThousandths: true,
  discountCents: true,
  item: { select: { partName: true } },
} satisfies Prisma.LineSelect;

/** A ticket's jobs with their lines, in the order they show. */
export const jobsOfTicket = {
  select: {
    id: true,
    title: true,
    concern: true,
    cause: true,
    correction: true,
    payType: true,
    lines: { select: lineFields, orderBy: { id: 'asc' } },
  },
  orderBy: [{ position: 'asc' }, { id: 'asc' }],
} satisfies Prisma.ServiceTicket$jobsArgs;

export type LineRow = Prisma.LineGetPayload<{ select: typeof lineFields }>;
export type JobRow = Prisma.JobGetPayload<typeof jobsOfTicket>;

const CATEGORY_OF: Record<LineType, Category> = { labor: 'labor', part: 'parts', fee: 'fees', sublet: 'sublet' };

/** A line's amount before discount (rule 1 of the engine). */
export function lineAmountCents(
  line: Pick<LineRow, 'type' | 'hoursHundredths' | 'rateCents' | 'quantity' | 'unitPriceCents' | 'amountCents'>,
): number {
  switch (line.type) {
    case 'labor':
      return laborAmountCents(line.hoursHundredths!, line.rateCents!);
    case 'part':
      return line.quantity! * line.unitPriceCents!;
    default:
      return line.amountCents!;
  }
}

function engineLineOf(line: LineRow): EngineLine {
  return {
    category: CATEGORY_OF[line.type],
    amountCents: lineAmountCents(line),
    taxable: line.taxable,
    discount:
      line.discountPercentThousandths !== null
        ? { percentThousandths: line.discountPercentThousandths }
        : line.discountCents !== null
          ? { amountCents: line.discountCents }
          : null,
  };
}

/** Prices a ticket's jobs through the money engine; `flatCostCents` is the ticket's `cost`. */
export function priceJobs(jobs: JobRow[], settings: SettingsRow, flatCostCents: number): PricedEstimate {
  return priceEstimate(
    jobs.map((job) => ({ id: job.id, lines: job.lines.map(engineLineOf) })),
    engineSettingsOf(settings),
    flatCostCents,
  );
}

/** Owners and service writers see what sublet work costs the shop; technicians and customers never do. */
export function seesCosts(viewer: Principal): boolean {
  return viewer.role === 'mechanic' && viewer.staffRole !== 'technician';
}

export function toTotalsView(totals: Totals): EstimateTotals {
  return {
    labor: formatCents(totals.labor),
    parts: formatCents(totals.parts),
    fees: formatCents(totals.fees),
    sublet: formatCents(totals.sublet),
    discounts: formatCents(totals.discounts),
    shop_supplies: formatCents(totals.shop_supplies),
    tax: {
      labor: formatCents(totals.tax.labor),
      parts: formatCents(totals.tax.parts),
      fees: formatCents(totals.tax.fees),
      sublet: formatCents(totals.tax.sublet),
      total: formatCents(totals.tax.total),
    },
    subtotal: formatCents(totals.subtotal),
    total: formatCents(totals.total),
  };
}

function nullableCents(cents: number | null): string | null {
  return cents === null ? null : formatCents(cents);
}

export function toJobViews(jobs: JobRow[], priced: PricedEstimate, viewer: Principal): Job[] {
  const showCost = seesCosts(viewer);
  return jobs.map((job, jobIndex) => {
    const pricedJob = priced.jobs[jobIndex]!;
    return {
      id: job.id,
      title: job.title,
      concern: job.concern,
      cause: job.cause,
      correction: job.correction,
      pay_type: job.payType,
      lines: job.lines.map((line, lineIndex): Line => {
        const { amountCents, discountCents, netCents } = pricedJob.lines[lineIndex]!;
        return {
          id: line.id,
          type: line.type,
          description: line.description,
          // Hours have two decimals, as money does: the same format.
          hours: nullableCents(line.hoursHundredths),
          rate: nullableCents(line.rateCents),
          technician_id: line.technicianId,
          inventory_id: line.inventoryId,
          part_name: line.item?.partName ?? null,
          quantity: line.quantity,
          unit_price: nullableCents(line.unitPriceCents),
          ...(line.type === 'sublet' && showCost ? { cost: nullableCents(line.costCents) } : {}),
          taxable: line.taxable,
          discount:
            line.discountPercentThousandths !== null
              ? { percent: formatPercent(line.discountPercentThousandths) }
              : line.discountCents !== null
                ? { amount: formatCents(line.discountCents) }
                : null,
          amount: formatCents(amountCents),
          discount_amount: formatCents(discountCents),
          net: formatCents(netCents),
        };
      }),
      totals: toTotalsView(pricedJob.totals),
    };
  });
}
