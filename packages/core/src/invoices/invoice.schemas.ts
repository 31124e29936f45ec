import { z } from 'zod';
import type { Resource } from '../cache/response-cache.ts';
import { MAX_LENGTH } from '../shared/limits.ts';
import { Money } from '../shared/money.ts';
import { CalendarDate, DatabaseText, Id, IdParam, paginated, PaginationInput } from '../shared/schemas.ts';
import { EstimateTotals, Job } from '../service-tickets/estimate.schemas.ts';
import { OdometerUnit } from '../vehicles/vehicle.schemas.ts';

/** What an invoice's read model shows: its snapshot and its ledger (payments with their refunds). */
export const INVOICE_VIEW_SOURCES: Resource[] = ['invoices', 'payments'];

export const INVOICE_STATUSES = ['unpaid', 'partially_paid', 'paid', 'void'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];
export const InvoiceStatus = z.enum(INVOICE_STATUSES).meta({
  id: 'InvoiceStatus',
  description: 'Derived from the ledger: paid when the balance is 0.00, partially_paid when some of it is paid; void once voided.',
  example: 'partially_paid',
});

export const PAYMENT_METHODS = ['cash', 'card', 'check', 'other'] as const;
export const PaymentMethod = z.enum(PAYMENT_METHODS).meta({ id: 'PaymentMethod', example: 'card' });

/** The longest invoice number a column holds: a prefix of 12 characters and the digits of any 32-bit sequence. */
const MAX_INVOICE_NUMBER_LENGTH = 32;

/** `text` percent-decoded, or as it is when it is not valid percent-encoding. */
function percentDecoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * An invoice number in a path, as issued (`INV-000042`). A prefix may hold a
 * slash, which a path carries percent-encoded (`/invoices/HM%2F000042`), and
 * trpc-to-openapi hands path parameters on as they came: they are decoded here.
 * A number never holds a `%` of its own, so a decoded one is left as it is.
 */
export const InvoiceNumberParam = z
  .string()
  .transform(percentDecoded)
  .pipe(DatabaseText(1, MAX_INVOICE_NUMBER_LENGTH))
  .meta({ example: 'INV-000001' });

/** Why an invoice was voided, why money was given back. */
export const LedgerReason = DatabaseText(1, MAX_LENGTH.ledgerReason);

export const InvoiceRefund = z
  .object({ id: Id, amount: Money, reason: z.string(), refunded_at: z.iso.datetime() })
  .meta({ id: 'InvoiceRefund' });

export const InvoicePayment = z
  .object({
    id: Id,
    amount: Money,
    method: PaymentMethod,
    reference: z.string().nullable().meta({ description: "The payment processor's id; never a card number." }),
    received_at: z.iso.datetime(),
    refunds: z.array(InvoiceRefund),
    refunded: Money.meta({ description: 'The sum of its refunds.' }),
  })
  .meta({ id: 'InvoicePayment' });
export type InvoicePayment = z.output<typeof InvoicePayment>;

/** What a payment or a refund changes on its invoice. */
export const InvoiceBalance = z
  .object({ number: z.string(), total: Money, paid: Money, balance: Money, status: InvoiceStatus })
  .meta({ id: 'InvoiceBalance', description: "The invoice's ledger after the write." });
export type InvoiceBalance = z.output<typeof InvoiceBalance>;

/** The invoice document as issued: stored as JSON, never recomputed. */
export const InvoiceSnapshot = z.object({
  shop: z.object({ name: z.string(), currency: z.string() }).meta({ description: "The shop's name and currency when it was issued." }),
  customer: z.object({ id: Id, name: z.string(), email: z.string(), phone: z.string(), address: z.string() }),
  vehicle: z.object({
    id: Id,
    vin: z.string().nullable(),
    plate: z.string().nullable(),
    year: z.int().nullable(),
    make: z.string().nullable(),
    model: z.string().nullable(),
    odometer_in: z.int().nullable(),
    odometer_out: z.int().nullable(),
    odometer_unit: OdometerUnit,
  }),
  jobs: z.array(Job).meta({ description: "The ticket's approved jobs with their lines; declined work is left out." }),
  cost: Money.meta({ description: "The ticket's flat charge, untaxed, counted in the totals." }),
  totals: EstimateTotals,
});
export type InvoiceSnapshot = z.output<typeof InvoiceSnapshot>;

const INVOICE_EXAMPLE = {
  number: 'INV-000042',
  service_ticket_id: 7,
  customer_id: 3,
  issued_at: '2026-12-02T16:20:00.000Z',
  shop: { name: 'Mechanic Shop', currency: 'USD' },
  customer: { id: 3, name: 'Ada Lovelace', email: 'ada@example.com', phone: '+44 20 7946 0000', address: '12 Analytical Row' },
  vehicle: {
    id: 4,
    vin: '1HGCM82633A004352',
    plate: 'ACC 1',
    year: 2003,
    make: 'Honda',
    model: 'Accord',
    odometer_in: 182_340,
    odometer_out: 182_352,
    odometer_unit: 'mi',
  },
  jobs: [],
  cost: '0.00',
  totals: {
    labor: '180.00',
    parts: '99.80',
    fees: '0.00',
    sublet: '0.00',
    discounts: '0.00',
    shop_supplies: '9.00',
    tax: { labor: '0.00', parts: '8.86', fees: '0.80', sublet: '0.00', total: '9.66' },
    subtotal: '288.80',
    total: '298.46',
  },
  paid: '100.00',
  balance: '198.46',
  status: 'partially_paid',
  voided_at: null,
  void_reason: null,
  payments: [
    {
      id: 11,
      amount: '150.00',
      method: 'card',
      reference: 'ch_3MmlLrLkdIwHu7ix0snN0B15',
      received_at: '2026-12-02T16:25:00.000Z',
      refunds: [{ id: 2, amount: '50.00', reason: 'Goodwill for the delay', refunded_at: '2026-12-03T09:00:00.000Z' }],
      refunded: '50.00',
    },
  ],
} as const;

export const Invoice = InvoiceSnapshot.extend({
  number: z.string(),
  service_ticket_id: Id,
  customer_id: Id,
  issued_at: z.iso.datetime(),
  paid: Money.meta({ description: 'Payments less refunds.' }),
  balance: Money.meta({ description: 'totals.total less paid; 0.00 once void.' }),
  status: InvoiceStatus,
  voided_at: z.iso.datetime().nullable(),
  void_reason: z.string().nullable(),
  payments: z.array(InvoicePayment).meta({ description: 'Oldest first.' }),
}).meta({
  id: 'Invoice',
  description:
    "The frozen record of a ticket's approved work: customer, vehicle, jobs, lines, prices, tax and totals as they were when it was issued. " +
    'paid, balance and status are derived from its payments and refunds.',
  example: INVOICE_EXAMPLE,
});
export type Invoice = z.output<typeof Invoice>;

export const InvoicePage = paginated(Invoice, 'InvoicePage');

export const InvoiceQuery = PaginationInput.extend({
  status: InvoiceStatus.optional(),
  customer_id: IdParam.optional(),
  from: CalendarDate.meta({ description: 'Issued on or after this day (YYYY-MM-DD, UTC).', example: '2026-12-01' }).optional(),
  to: CalendarDate.meta({ description: 'Issued on or before this day (YYYY-MM-DD, UTC).', example: '2026-12-31' }).optional(),
}).refine((query) => !query.from || !query.to || query.from <= query.to, { message: 'from must not be after to', path: ['from'] });
export type InvoiceQuery = z.output<typeof InvoiceQuery>;

export const NewInvoice = z.strictObject({ id: IdParam });

export const InvoiceKey = z.strictObject({ number: InvoiceNumberParam });

export const VoidInvoice = z
  .strictObject({ number: InvoiceNumberParam, reason: LedgerReason })
  .meta({ examples: [{ reason: 'Issued to the wrong customer' }] });
export type VoidInvoice = z.output<typeof VoidInvoice>;
