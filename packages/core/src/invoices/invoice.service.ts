import { empty, join, sqltag as sql, type Sql } from '@prisma/client/runtime/client';
import type { Principal, StaffPrincipal } from '../auth/tokens.ts';
import type { Prisma, Transaction } from '../db/client.ts';
import { lockInvoice, lockServiceTicket, readSnapshot } from '../db/dialect.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { inTransaction } from '../db/transactions.ts';
import { diffFields, emitEvent, recordAudit } from '../events/outbox.ts';
import type { Totals } from '../estimates/money-engine.ts';
import { AppError } from '../errors.ts';
import { MAX_ID } from '../shared/limits.ts';
import { formatCents } from '../shared/money.ts';
import { pageWindow, toPage, type Page, type PaginationInput } from '../shared/schemas.ts';
import { jobsOfTicket, priceJobs, toJobViews, toTotalsView } from '../service-tickets/estimate.view.ts';
import { readSettings, type SettingsRow } from '../shop/shop.service.ts';
import type { AppServices } from '../app-services.ts';
import type {
  Invoice,
  InvoiceBalance,
  InvoicePayment,
  InvoiceQuery,
  InvoiceSnapshot,
  InvoiceStatus,
  VoidInvoice,
} from './invoice.schemas.ts';

type Deps = Pick<AppServices, 'db' | 'provider'>;

/** The one row of `invoice_sequence` (the migration writes it). */
const SEQUENCE_ID = 1;

/** Digits of an invoice number's sequence, zero-padded; numbers past 999999 simply have more. */
const NUMBER_DIGITS = 6;

function invoiceNumber(prefix: string, sequence: number): string {
  return `${prefix}${String(sequence).padStart(NUMBER_DIGITS, '0')}`;
}

const refundFields = { id: true, amountCents: true, reason: true, refundedAt: true } satisfies Prisma.RefundSelect;

export const paymentFields = {
  id: true,
  amountCents: true,
  method: true,
  reference: true,
  receivedAt: true,
  refunds: { select: refundFields, orderBy: { id: 'asc' } },
} satisfies Prisma.PaymentSelect;

/** Everything an invoice shows: its snapshot, and its ledger (payments with their refunds). */
const invoiceFields = {
  id: true,
  number: true,
  serviceTicketId: true,
  customerId: true,
  issuedAt: true,
  snapshot: true,
  totalCents: true,
  voidedAt: true,
  voidReason: true,
  payments: { select: paymentFields, orderBy: { id: 'asc' } },
} satisfies Prisma.InvoiceSelect;

type PaymentRow = Prisma.PaymentGetPayload<{ select: typeof paymentFields }>;
type InvoiceRow = Prisma.InvoiceGetPayload<{ select: typeof invoiceFields }>;

const sum = (amounts: Array<{ amountCents: number }>) => amounts.reduce((total, { amountCents }) => total + amountCents, 0);

export const refundedCents = (payment: Pick<PaymentRow, 'refunds'>) => sum(payment.refunds);

/** Money received net: payments less their refunds. */
export const paidCents = (invoice: Pick<InvoiceRow, 'payments'>) =>
  sum(invoice.payments) - invoice.payments.reduce((total, payment) => total + refundedCents(payment), 0);

/** The one rule of an invoice's status; `invoicePage` says the same in SQL. */
function invoiceStatus(totalCents: number, paid: number, voided: boolean): InvoiceStatus {
  if (voided) return 'void';
  if (paid >= totalCents) return 'paid';
  return paid > 0 ? 'partially_paid' : 'unpaid';
}

/** An invoice's ledger figures, with `paid` cents received net. */
export function toBalanceView(invoice: Pick<InvoiceRow, 'number' | 'totalCents' | 'voidedAt'>, paid: number): InvoiceBalance {
  return {
    number: invoice.number,
    total: formatCents(invoice.totalCents),
    paid: formatCents(paid),
    // A void invoice asks for nothing.
    balance: formatCents(invoice.voidedAt === null ? invoice.totalCents - paid : 0),
    status: invoiceStatus(invoice.totalCents, paid, invoice.voidedAt !== null),
  };
}

export function toPaymentView(payment: PaymentRow): InvoicePayment {
  return {
    id: payment.id,
    amount: formatCents(payment.amountCents),
    method: payment.method,
    reference: payment.reference,
    received_at: payment.receivedAt.toISOString(),
    refunds: payment.refunds.map((refund) => ({
      id: refund.id,
      amount: formatCents(refund.amountCents),
      reason: refund.reason,
      refunded_at: refund.refundedAt.toISOString(),
    })),
    refunded: formatCents(refundedCents(payment)),
  };
}

function toInvoiceView(row: InvoiceRow): Invoice {
  const snapshot = JSON.parse(row.snapshot) as InvoiceSnapshot;
  const { paid, balance, status } = toBalanceView(row, paidCents(row));
  return {
    number: row.number,
    service_ticket_id: row.serviceTicketId,
    customer_id: row.customerId,
    issued_at: row.issuedAt.toISOString(),
    ...snapshot,
    paid,
    balance,
    status,
    voided_at: row.voidedAt?.toISOString() ?? null,
    void_reason: row.voidReason,
    payments: row.payments.map(toPaymentView),
  };
}

/** An invoice issued or voided: its event, and its audit entry in its ticket's history, which the customer sees. */
async function recordInvoiceChange(
  tx: Transaction,
  caller: StaffPrincipal,
  type: 'invoice.issued' | 'invoice.voided',
  before: Invoice | null,
  after: Invoice,
): Promise<void> {
  const subject = { type: 'invoice', id: after.number };
  await emitEvent(tx, { type, actor: caller, subject, data: after });
  const changes = diffFields(before, after, ['number', 'status', 'totals', 'balance', 'void_reason']);
  await recordAudit(tx, { actor: caller, subject, action: type, changes, serviceTicketId: after.service_ticket_id, customerVisible: true });
}

export function invoiceNotFound(number: string): AppError {
  return new AppError('not_found', `No invoice numbered ${number}`);
}

/**
 * An invoice and its ledger, by its number exactly (MySQL compares text without
 * regard to case: "inv-000001" is not INV-000001 on any database).
 */
async function findInvoice(db: Deps['db'] | Transaction, number: string): Promise<InvoiceRow | null> {
  const row = await db.invoice.findUnique({ where: { number }, select: invoiceFields });
  return row?.number === number ? row : null;
}

/**
 * An invoice locked for a write to its ledger (see `lockInvoice`), by its number
 * or one of its payments, with the ledger read under the lock; null when there is none.
 */
export async function lockedInvoice(
  tx: Transaction,
  provider: Deps['provider'],
  by: { number: string } | { paymentId: number },
): Promise<InvoiceRow | null> {
  const id = await lockInvoice(tx, provider, by);
  const row = id === null ? null : await tx.invoice.findUnique({ where: { id }, select: invoiceFields });
  return row && (!('number' in by) || row.number === by.number) ? row : null;
}

export function requireLive(invoice: Pick<InvoiceRow, 'number' | 'voidedAt'>): void {
  if (invoice.voidedAt) throw new AppError('invoice_void', `Invoice ${invoice.number} is void`);
}

/** What an invoice copies from its ticket: the customer, the vehicle, the jobs with their lines, the flat cost. */
const ticketOfInvoiceFields = {
  status: true,
  costCents: true,
  odometerIn: true,
  odometerOut: true,
  customer: { select: { id: true, name: true, email: true, phone: true, address: true } },
  vehicle: { select: { id: true, vin: true, plate: true, year: true, make: true, model: true, odometerUnit: true } },
  jobs: jobsOfTicket,
} satisfies Prisma.ServiceTicketSelect;

type TicketOfInvoice = Prisma.ServiceTicketGetPayload<{ select: typeof ticketOfInvoiceFields }>;

/**
 * The invoice document: the approved jobs priced together with the shop's
 * settings of today (as the ticket shows them), seen as the customer sees them
 * (no internal costs), with the customer, vehicle and shop as they are now.
 */
function snapshotOf(ticket: TicketOfInvoice, settings: SettingsRow): { snapshot: InvoiceSnapshot; totals: Totals } {
  const approved = ticket.jobs.filter((job) => job.authorization === 'approved');
  const priced = priceJobs(approved, settings, ticket.costCents);
  const { odometerUnit, ...vehicle } = ticket.vehicle;
  return {
    snapshot: {
      shop: { name: settings.shopName, currency: settings.currency },
      customer: ticket.customer,
      vehicle: { ...vehicle, odometer_in: ticket.odometerIn, odometer_out: ticket.odometerOut, odometer_unit: odometerUnit },
      jobs: toJobViews(approved, priced, { role: 'customer', id: ticket.customer.id }),
      cost: formatCents(ticket.costCents),
      totals: toTotalsView(priced.totals),
    },
    totals: priced.totals,
  };
}

/** The totals as the invoice's columns; each must fit a 32-bit integer column (a ticket may total more). */
function totalColumns(totals: Totals) {
  const columns = {
    laborCents: totals.labor,
    partsCents: totals.parts,
    feesCents: totals.fees,
    subletCents: totals.sublet,
    suppliesCents: totals.shop_supplies,
    discountsCents: totals.discounts,
    taxLaborCents: totals.tax.labor,
    taxPartsCents: totals.tax.parts,
    taxFeesCents: totals.tax.fees,
    taxSubletCents: totals.tax.sublet,
    subtotalCents: totals.subtotal,
    totalCents: totals.total,
  };
  if (Object.values(columns).some((cents) => cents > MAX_ID)) {
    throw new AppError('amount_too_large', `An invoice's figures are at most ${formatCents(MAX_ID)} each; this ticket's are more`);
  }
  return columns;
}

function alreadyInvoiced(ticketId: number): AppError {
  return new AppError('already_invoiced', `Service ticket ${ticketId} has a live invoice; void it to invoice the ticket again`);
}

/**
 * Issues the invoice of a completed ticket whose every job the customer has
 * decided on. Under the ticket's lock: one live invoice per ticket, and a job
 * cannot change meanwhile. The number comes from raising the one sequence row,
 * which holds its row lock (SQLite: the one writer) until the invoice commits:
 * invoices are numbered one at a time, in the order they are issued, and a
 * rolled-back invoice takes its number back with it, so none is ever skipped.
 */
export async function issueInvoice({ db, provider }: Deps, caller: StaffPrincipal, ticketId: number): Promise<Invoice> {
  try {
    return await inTransaction(db, async (tx) => {
      if (!(await lockServiceTicket(tx, provider, ticketId))) throw new AppError('not_found', `No service ticket with id ${ticketId}`);
      const ticket = await tx.serviceTicket.findUniqueOrThrow({ where: { id: ticketId }, select: ticketOfInvoiceFields });
      if (ticket.status !== 'COMPLETED') {
        throw new AppError('ticket_not_completed', `Service ticket ${ticketId} is ${ticket.status}; only a COMPLETED ticket is invoiced`);
      }
      const pending = ticket.jobs.filter((job) => job.authorization === 'pending').map((job) => job.id);
      if (pending.length > 0) {
        throw new AppError('pending_work', `Job ${pending.join(', ')} of service ticket ${ticketId} awaits the customer's decision`);
      }
      if (await tx.invoice.count({ where: { liveTicketId: ticketId } })) throw alreadyInvoiced(ticketId);
      const settings = await readSettings(tx);
      const { snapshot, totals } = snapshotOf(ticket, settings);
      const columns = totalColumns(totals);
      // Last, so that the sequence's lock is held for as short a time as possible.
      const { lastNumber } = await tx.invoiceSequence.update({
        where: { id: SEQUENCE_ID },
        data: { lastNumber: { increment: 1 } },
        select: { lastNumber: true },
      });
      const row = await tx.invoice.create({
        data: {
          number: invoiceNumber(settings.invoicePrefix, lastNumber),
          sequence: lastNumber,
          serviceTicketId: ticketId,
          customerId: ticket.customer.id,
          liveTicketId: ticketId,
          // Taken under the sequence's lock: later numbers never have earlier times.
          issuedAt: new Date(),
          issuedById: caller.id,
          snapshot: JSON.stringify(snapshot),
          ...columns,
        },
        select: invoiceFields,
      });
      const invoice = toInvoiceView(row);
      await recordInvoiceChange(tx, caller, 'invoice.issued', null, invoice);
      return invoice;
    });
  } catch (error) {
    // The ticket's lock keeps a second call waiting until the first commits, and it then
    // sees the invoice; the unique live_ticket_id is the backstop that makes any other path a 409 too.
    if (isUniqueViolation(error) && (await db.invoice.count({ where: { liveTicketId: ticketId } }))) throw alreadyInvoiced(ticketId);
    throw error;
  }
}

/** An invoice for staff, or for its customer (another customer's is a 404, like one that does not exist). */
export async function getInvoice({ db, provider }: Deps, caller: Principal, number: string): Promise<Invoice> {
  const row = await readSnapshot(db, provider, (tx) => findInvoice(tx, number));
  if (!row || (caller.role === 'customer' && row.customerId !== caller.id)) throw invoiceNotFound(number);
  return toInvoiceView(row);
}

/** Money received net per invoice, in SQL: the same rule as `paidCents`. */
const PAID_CENTS = sql`(SELECT COALESCE(SUM(payments.amount_cents), 0) FROM payments WHERE payments.invoice_id = invoices.id)
  - (SELECT COALESCE(SUM(refunds.amount_cents), 0) FROM refunds JOIN payments ON payments.id = refunds.payment_id
     WHERE payments.invoice_id = invoices.id)`;

/** `invoiceStatus` in SQL, over the columns of `invoicePage`'s ledger. */
const STATUS_CONDITION: Record<InvoiceStatus, Sql> = {
  void: sql`voided_at IS NOT NULL`,
  paid: sql`voided_at IS NULL AND paid_cents >= total_cents`,
  partially_paid: sql`voided_at IS NULL AND paid_cents > 0 AND paid_cents < total_cents`,
  unpaid: sql`voided_at IS NULL AND paid_cents <= 0 AND paid_cents < total_cents`,
};

interface InvoiceFilter {
  status?: InvoiceStatus;
  customerId?: number;
  from?: string;
  to?: string;
}

const startOfDay = (date: string) => new Date(`${date}T00:00:00.000Z`);

/**
 * A page of invoice ids, newest first, and the number of invoices that match.
 * The status is derived from the ledger, so it is filtered in SQL on the net
 * amount paid of each invoice that the other filters keep (summed through the
 * indexes of payments by invoice and of refunds by payment), never by loading the invoices. The
 * SQL is the same on every database; the values are parameters.
 */
async function invoicePage(tx: Transaction, filter: InvoiceFilter, page: PaginationInput): Promise<{ ids: number[]; total: number }> {
  const conditions = [
    ...(filter.customerId === undefined ? [] : [sql`customer_id = ${filter.customerId}`]),
    ...(filter.from === undefined ? [] : [sql`issued_at >= ${startOfDay(filter.from)}`]),
    ...(filter.to === undefined ? [] : [sql`issued_at < ${new Date(startOfDay(filter.to).getTime() + 86_400_000)}`]),
  ];
  const where = conditions.length > 0 ? sql` WHERE ${join(conditions, ' AND ')}` : empty;
  const ledger = filter.status && filter.status !== 'void' ? sql`, ${PAID_CENTS} AS paid_cents` : empty;
  const matching = sql`(SELECT id, sequence, total_cents, voided_at${ledger} FROM invoices${where}) ledger${
    filter.status ? sql` WHERE ${STATUS_CONDITION[filter.status]}` : empty
  }`;
  const { skip, take } = pageWindow(page);
  const rows = await tx.$queryRaw<
    Array<{ id: number | bigint }>
  >`SELECT id FROM ${matching} ORDER BY sequence DESC LIMIT ${take} OFFSET ${skip}`;
  const [count] = await tx.$queryRaw<Array<{ total: number | bigint | string }>>`SELECT COUNT(*) AS total FROM ${matching}`;
  return { ids: rows.map((row) => Number(row.id)), total: Number(count?.total ?? 0) };
}

/** A page of invoices, read from one snapshot. */
function listWhere({ db, provider }: Deps, filter: InvoiceFilter, page: PaginationInput): Promise<Page<Invoice>> {
  return readSnapshot(db, provider, async (tx) => {
    const { ids, total } = await invoicePage(tx, filter, page);
    const rows =
      ids.length === 0
        ? []
        : await tx.invoice.findMany({ where: { id: { in: ids } }, select: invoiceFields, orderBy: { sequence: 'desc' } });
    return toPage(rows.map(toInvoiceView), total, page);
  });
}

export function listInvoices(deps: Deps, { status, customer_id, from, to, ...page }: InvoiceQuery): Promise<Page<Invoice>> {
  return listWhere(deps, { status, customerId: customer_id, from, to }, page);
}

export function listCustomerInvoices(deps: Deps, customerId: number, page: PaginationInput): Promise<Page<Invoice>> {
  return listWhere(deps, { customerId }, page);
}

/**
 * Voids an invoice that holds no money (payments all refunded, or none): it
 * keeps its number, and its ticket is live again, to change and invoice anew.
 */
export async function voidInvoice({ db, provider }: Deps, caller: StaffPrincipal, { number, reason }: VoidInvoice): Promise<Invoice> {
  return inTransaction(db, async (tx) => {
    const invoice = await lockedInvoice(tx, provider, { number });
    if (!invoice) throw invoiceNotFound(number);
    requireLive(invoice);
    const paid = paidCents(invoice);
    if (paid > 0) {
      throw new AppError('invoice_has_payments', `Invoice ${number} holds ${formatCents(paid)} paid; refund it before voiding the invoice`);
    }
    const row = await tx.invoice.update({
      where: { id: invoice.id },
      data: { voidedAt: new Date(), voidReason: reason, voidedById: caller.id, liveTicketId: null },
      select: invoiceFields,
    });
    const voided = toInvoiceView(row);
    await recordInvoiceChange(tx, caller, 'invoice.voided', toInvoiceView(invoice), voided);
    return voided;
  });
}
