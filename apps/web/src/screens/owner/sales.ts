import type { RouterOutputs } from '@mechanic-shop/sdk';

export type SalesReport = RouterOutputs['reports']['sales'];

/** The revenue categories of the report, in the order of an invoice, with their names in words. */
const REVENUE_CATEGORIES = [
  ['labor', 'Labor'],
  ['parts', 'Parts'],
  ['fees', 'Fees'],
  ['sublet', 'Sublet work'],
  ['shop_supplies', 'Shop supplies'],
  ['flat_charges', 'Flat charges'],
] as const;

type RevenueCategory = (typeof REVENUE_CATEGORIES)[number][0];

/**
 * The report counts tax on the four line categories; the shop supplies' tax (when taxable) is in the fees' figure, and
 * flat charges are never taxed: those two rows say so instead of an amount.
 */
const TAX_OF: Record<RevenueCategory, { amount: keyof SalesReport['tax'] } | { note: string }> = {
  labor: { amount: 'labor' },
  parts: { amount: 'parts' },
  fees: { amount: 'fees' },
  sublet: { amount: 'sublet' },
  shop_supplies: { note: 'counted with fees' },
  flat_charges: { note: 'never taxed' },
};

export interface RevenueRow {
  label: string;
  revenue: string;
  /** The tax collected on the category, or why it has no figure of its own. */
  tax: { amount: string } | { note: string };
}

/** The report's revenue by category, for the chart and for the table that says the same in text. */
export function revenueRows(report: SalesReport): RevenueRow[] {
  return REVENUE_CATEGORIES.map(([category, label]) => {
    const tax = TAX_OF[category];
    return { label, revenue: report.revenue[category], tax: 'amount' in tax ? { amount: report.tax[tax.amount] } : tax };
  });
}

/** Today as the report counts days: in UTC (YYYY-MM-DD), whatever the browser's time zone. */
export function utcToday(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** The first day of the month of `day` (YYYY-MM-DD): the report's default period runs from it to `day`. */
export function monthStart(day: string): string {
  return `${day.slice(0, 8)}01`;
}
