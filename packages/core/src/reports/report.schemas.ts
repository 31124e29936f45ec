import { z } from 'zod';
import { Money } from '../shared/money.ts';
import { CalendarDate, Count } from '../shared/schemas.ts';

/** The longest period one report covers: a year, a leap year's included. */
export const MAX_REPORT_DAYS = 366;

/** The days between two dates (YYYY-MM-DD), both included. */
export const daysIn = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;

export const SalesReportQuery = z
  .strictObject({
    from: CalendarDate.meta({ description: 'The first day (YYYY-MM-DD, UTC), included.', example: '2026-12-01' }),
    to: CalendarDate.meta({ description: 'The last day (YYYY-MM-DD, UTC), included.', example: '2026-12-31' }),
  })
  .refine(({ from, to }) => from <= to, { message: 'from must not be after to', path: ['from'] })
  .refine(({ from, to }) => daysIn(from, to) <= MAX_REPORT_DAYS, {
    message: `A report covers at most ${MAX_REPORT_DAYS} days`,
    path: ['to'],
  })
  .meta({ examples: [{ from: '2026-12-01', to: '2026-12-31' }] });
export type SalesReportQuery = z.output<typeof SalesReportQuery>;

/** An amount per payment method (`PAYMENT_METHODS`), and their sum. */
const ByMethod = z.object({ cash: Money, card: Money, check: Money, other: Money, total: Money });

export const SalesReport = z
  .object({
    from: z.iso.date(),
    to: z.iso.date(),
    currency: z.string().meta({ description: "The shop's currency now; every invoice is in it." }),
    invoice_count: Count.meta({ description: 'Invoices issued in the period and not void.' }),
    revenue: z
      .object({
        labor: Money,
        parts: Money,
        fees: Money,
        sublet: Money,
        shop_supplies: Money,
        flat_charges: Money.meta({ description: "Tickets' flat charges (`cost`), untaxed." }),
        total: Money.meta({ description: 'Everything before tax: the sum of the invoices’ subtotals.' }),
      })
      .meta({ description: 'What the invoices charged before tax, by category; category figures are after discounts.' }),
    discounts: Money.meta({ description: 'The discounts given on their lines (already taken off the revenue).' }),
    tax: z.object({ labor: Money, parts: Money, fees: Money, sublet: Money, total: Money }).meta({ description: 'Sales tax collected.' }),
    invoiced: Money.meta({ description: 'revenue.total + tax.total: what the invoices ask for.' }),
    average_invoice: Money.meta({ description: 'invoiced ÷ invoice_count, rounded half-up to the cent (0.00 without invoices).' }),
    payments: ByMethod.meta({ description: 'Money received in the period, by method, on invoices that are not void (issued any day).' }),
    refunds: ByMethod.meta({
      description: "Money given back in the period, by the refunded payment's method, on invoices that are not void.",
    }),
    net_payments: Money.meta({ description: 'payments.total − refunds.total (negative when more went back than came in).' }),
    outstanding_balance: Money.meta({ description: "What is still owed on the period's invoices, as of now." }),
  })
  .meta({
    id: 'SalesReport',
    description: 'Issued, non-void invoices only (a void invoice counts nowhere, its payments and refunds included).',
    example: {
      from: '2026-12-01',
      to: '2026-12-31',
      currency: 'USD',
      invoice_count: 2,
      revenue: {
        labor: '342.00',
        parts: '99.80',
        fees: '5.00',
        sublet: '89.00',
        shop_supplies: '17.10',
        flat_charges: '0.00',
        total: '552.90',
      },
      discounts: '18.00',
      tax: { labor: '0.00', parts: '8.86', fees: '1.52', sublet: '0.00', total: '10.38' },
      invoiced: '563.28',
      average_invoice: '281.64',
      payments: { cash: '50.00', card: '300.00', check: '0.00', other: '0.00', total: '350.00' },
      refunds: { cash: '0.00', card: '20.00', check: '0.00', other: '0.00', total: '20.00' },
      net_payments: '330.00',
      outstanding_balance: '233.28',
    },
  });
export type SalesReport = z.output<typeof SalesReport>;
