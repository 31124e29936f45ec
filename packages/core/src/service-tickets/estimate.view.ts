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
    authorization: true,
    decidedAt: true,
    approvalId: true,
    declineReason: true,
    followUpOn: true,
    revivedAt: true,
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

/** What pricing needs of a job: its lines, and whether the customer declined it. */
export type PricedJobRow = Pick<JobRow, 'id' | 'authorization' | 'lines'>;

/**
 * Prices a ticket's jobs through the money engine; `flatCostCents` is the
 * ticket's `cost`. The one pricing of a ticket, for its view, its approvals and
 * its invoice (which passes the approved jobs only). Declined jobs are not work
 * the customer pays for: the others are priced together (shop supplies and tax
 * shared among them) into the totals, and each declined job is priced on its
 * own, as the offer it was, for its own figures only. `jobs` of the answer are
 * in the order given.
 */
export function priceJobs(jobs: PricedJobRow[], settings: SettingsRow, flatCostCents: number): PricedEstimate {
  const engineSettings = engineSettingsOf(settings);
  const engineJob = (job: PricedJobRow) => ({ id: job.id, lines: job.lines.map(engineLineOf) });
  const counted = priceEstimate(jobs.filter((job) => job.authorization !== 'declined').map(engineJob), engineSettings, flatCostCents);
  const countedById = new Map(counted.jobs.map((job) => [job.id, job]));
  return {
    jobs: jobs.map((job) => countedById.get(job.id) ?? priceEstimate([engineJob(job)], engineSettings, 0).jobs[0]!),
    totals: counted.totals,
  };
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

function calendarDate(date: Date | null): string | null {
  return date === null ? null : date.toISOString().slice(0, 10);
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
      authorization: job.authorization,
      decided_at: job.decidedAt?.toISOString() ?? null,
      approval_id: job.approvalId,
      decline_reason: job.declineReason,
      follow_up_on: calendarDate(job.followUpOn),
      revived_at: job.revivedAt?.toISOString() ?? null,
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
