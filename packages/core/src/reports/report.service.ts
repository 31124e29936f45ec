import { sqltag as sql } from '@prisma/client/runtime/client';
import type { AppServices } from '../app-services.ts';
import type { Prisma, Transaction } from '../db/client.ts';
import { readSnapshot } from '../db/dialect.ts';
import type { PAYMENT_METHODS } from '../invoices/invoice.schemas.ts';
import { formatCents } from '../shared/money.ts';
import { readSettings } from '../shop/shop.service.ts';
import type { SalesReport, SalesReportQuery } from './report.schemas.ts';

type Deps = Pick<AppServices, 'db' | 'provider'>;
type Method = (typeof PAYMENT_METHODS)[number];

/** The period of a report as instants: from the first day's start to the start of the day after the last (UTC). */
function periodOf({ from, to }: SalesReportQuery): { gte: Date; lt: Date } {
  return { gte: new Date(`${from}T00:00:00.000Z`), lt: new Date(Date.parse(`${to}T00:00:00.000Z`) + 86_400_000) };
}

/** An average to the cent, rounded half-up (`total` and `count` are whole cents and invoices). */
export function averageCents(totalCents: number, count: number): number {
  return count === 0 ? 0 : Math.floor((2 * totalCents + count) / (2 * count));
}

/** Cents per payment method, and their sum. */
function byMethod(rows: Array<{ method: Method; cents: number }>): Record<Method | 'total', number> {
  const cents = { cash: 0, card: 0, check: 0, other: 0, total: 0 };
  for (const row of rows) {
    cents[row.method] += row.cents;
    cents.total += row.cents;
  }
  return cents;
}

const moneyByMethod = (cents: Record<Method | 'total', number>): SalesReport['payments'] => ({
  cash: formatCents(cents.cash),
  card: formatCents(cents.card),
  check: formatCents(cents.check),
  other: formatCents(cents.other),
  total: formatCents(cents.total),
});

/**
 * Refunds given in the period, summed by the method of the payment they give
 * back, on invoices that are not void: the grouping goes through the payment,
 * which Prisma's groupBy cannot do. The SQL is the same on every database.
 */
async function refundsByMethod(tx: Transaction, period: { gte: Date; lt: Date }): Promise<Array<{ method: Method; cents: number }>> {
  const rows = await tx.$queryRaw<Array<{ method: Method; cents: number | bigint | string | null }>>(sql`
    SELECT payments.method AS method, SUM(refunds.amount_cents) AS cents
    FROM refunds JOIN payments ON payments.id = refunds.payment_id JOIN invoices ON invoices.id = payments.invoice_id
    WHERE invoices.voided_at IS NULL AND refunds.refunded_at >= ${period.gte} AND refunds.refunded_at < ${period.lt}
    GROUP BY payments.method`);
  return rows.map((row) => ({ method: row.method, cents: Number(row.cents ?? 0) }));
}

/**
 * What the invoices issued in the period (not void) have received, net of refunds, so far: one statement
 * (Prisma's relation filters on an aggregate took one more once there were rows).
 */
async function netPaidToInvoices(tx: Transaction, period: { gte: Date; lt: Date }): Promise<number> {
  const [row] = await tx.$queryRaw<Array<{ paid: number | bigint | string | null; refunded: number | bigint | string | null }>>(sql`
    SELECT
      (SELECT SUM(payments.amount_cents) FROM payments JOIN invoices ON invoices.id = payments.invoice_id
        WHERE invoices.voided_at IS NULL AND invoices.issued_at >= ${period.gte} AND invoices.issued_at < ${period.lt}) AS paid,
      (SELECT SUM(refunds.amount_cents) FROM refunds JOIN payments ON payments.id = refunds.payment_id
        JOIN invoices ON invoices.id = payments.invoice_id
        WHERE invoices.voided_at IS NULL AND invoices.issued_at >= ${period.gte} AND invoices.issued_at < ${period.lt}) AS refunded`);
  return Number(row?.paid ?? 0) - Number(row?.refunded ?? 0);
}

/**
 * The sales of a period from the invoices issued in it that are not void, in a
 * fixed handful of SQL aggregates whatever the number of invoices: their
 * count and sums by category (one statement), the payments and refunds of the
 * period by method (two), and what the period's invoices have received net so
 * far, for their outstanding balance (one). Read from one snapshot.
 */
export function salesReport({ db, provider }: Deps, query: SalesReportQuery): Promise<SalesReport> {
  const period = periodOf(query);
  const issued = { voidedAt: null, issuedAt: period } satisfies Prisma.InvoiceWhereInput;
  return readSnapshot(db, provider, async (tx) => {
    const invoices = await tx.invoice.aggregate({
      where: issued,
      _count: { _all: true },
      _sum: {
        laborCents: true,
        partsCents: true,
        feesCents: true,
        subletCents: true,
        suppliesCents: true,
        discountsCents: true,
        taxLaborCents: true,
        taxPartsCents: true,
        taxFeesCents: true,
        taxSubletCents: true,
        subtotalCents: true,
        totalCents: true,
      },
    });
    const received = await tx.payment.groupBy({
      by: ['method'],
      where: { receivedAt: period, invoice: { voidedAt: null } },
      _sum: { amountCents: true },
      orderBy: { method: 'asc' },
    });
    const givenBack = await refundsByMethod(tx, period);
    const netPaidCents = await netPaidToInvoices(tx, period);
    const settings = await readSettings(tx);

    const sum = invoices._sum;
    const cents = (value: number | null) => value ?? 0;
    const count = invoices._count._all;
    const categories =
      cents(sum.laborCents) + cents(sum.partsCents) + cents(sum.feesCents) + cents(sum.subletCents) + cents(sum.suppliesCents);
    const taxCents = cents(sum.taxLaborCents) + cents(sum.taxPartsCents) + cents(sum.taxFeesCents) + cents(sum.taxSubletCents);
    const payments = byMethod(received.map((row) => ({ method: row.method, cents: cents(row._sum.amountCents) })));
    const refunds = byMethod(givenBack);
    return {
      from: query.from,
      to: query.to,
      currency: settings.currency,
      invoice_count: count,
      revenue: {
        labor: formatCents(cents(sum.laborCents)),
        parts: formatCents(cents(sum.partsCents)),
        fees: formatCents(cents(sum.feesCents)),
        sublet: formatCents(cents(sum.subletCents)),
        shop_supplies: formatCents(cents(sum.suppliesCents)),
        flat_charges: formatCents(cents(sum.subtotalCents) - categories),
        total: formatCents(cents(sum.subtotalCents)),
      },
      discounts: formatCents(cents(sum.discountsCents)),
      tax: {
        labor: formatCents(cents(sum.taxLaborCents)),
        parts: formatCents(cents(sum.taxPartsCents)),
        fees: formatCents(cents(sum.taxFeesCents)),
        sublet: formatCents(cents(sum.taxSubletCents)),
        total: formatCents(taxCents),
      },
      invoiced: formatCents(cents(sum.totalCents)),
      average_invoice: formatCents(averageCents(cents(sum.totalCents), count)),
      payments: moneyByMethod(payments),
      refunds: moneyByMethod(refunds),
      net_payments: formatCents(payments.total - refunds.total),
      outstanding_balance: formatCents(cents(sum.totalCents) - netPaidCents),
    };
  });
}
