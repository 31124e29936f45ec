import type { StaffPrincipal } from '../auth/tokens.ts';
import { inTransaction } from '../db/transactions.ts';
import { AppError } from '../errors.ts';
import type { Transaction } from '../db/client.ts';
import { diffFields, emitEvent, recordAudit, type EventSubject, type FieldChanges } from '../events/outbox.ts';
import {
  invoiceNotFound,
  lockedInvoice,
  paidCents,
  paymentFields,
  refundedCents,
  requireLive,
  toBalanceView,
  toPaymentView,
} from '../invoices/invoice.service.ts';
import { formatCents } from '../shared/money.ts';
import type { AppServices } from '../app-services.ts';
import type { NewPayment, NewRefund, Payment, Refund } from './payment.schemas.ts';

type Deps = Pick<AppServices, 'db' | 'provider'>;

/**
 * Records money received against a live invoice, at most its balance. Under the
 * invoice's lock, so that payments made at once are checked one after the other
 * against the balance the earlier ones left.
 */
export function recordPayment({ db, provider }: Deps, caller: StaffPrincipal, input: NewPayment): Promise<Payment> {
  return inTransaction(db, async (tx) => {
    const invoice = await lockedInvoice(tx, provider, { number: input.number });
    if (!invoice) throw invoiceNotFound(input.number);
    requireLive(invoice);
    const paid = paidCents(invoice);
    const balance = invoice.totalCents - paid;
    if (input.amount > balance) {
      throw new AppError(
        'overpayment',
        `Invoice ${invoice.number} has a balance of ${formatCents(balance)}; a payment of ${formatCents(input.amount)} is more`,
      );
    }
    const payment = await tx.payment.create({
      data: { invoiceId: invoice.id, amountCents: input.amount, method: input.method, reference: input.reference, recordedById: caller.id },
      select: paymentFields,
    });
    const received: Payment = {
      ...toPaymentView(payment),
      left: formatCents(payment.amountCents),
      invoice: toBalanceView(invoice, paid + payment.amountCents),
    };
    const subject = { type: 'payment', id: payment.id };
    await emitEvent(tx, { type: 'payment.received', actor: caller, subject, data: received });
    const changes = diffFields(null, received, ['amount', 'method', 'reference']);
    await recordLedgerAudit(tx, caller, subject, 'payment.received', changes, invoice.serviceTicketId);
    return received;
  });
}

/**
 * Gives back money from a payment: at most what is left of it after its
 * earlier refunds. Under the invoice's lock, like payments.
 */
export function refundPayment({ db, provider }: Deps, caller: StaffPrincipal, input: NewRefund): Promise<Refund> {
  return inTransaction(db, async (tx) => {
    const invoice = await lockedInvoice(tx, provider, { paymentId: input.id });
    if (!invoice) throw new AppError('not_found', `No payment with id ${input.id}`);
    const payment = invoice.payments.find((candidate) => candidate.id === input.id)!;
    const left = payment.amountCents - refundedCents(payment);
    if (input.amount > left) {
      throw new AppError(
        'refund_too_large',
        `${formatCents(left)} is left of payment ${payment.id} after its refunds; a refund of ${formatCents(input.amount)} is more`,
      );
    }
    const refund = await tx.refund.create({
      data: { paymentId: payment.id, amountCents: input.amount, reason: input.reason, recordedById: caller.id },
      select: { id: true, amountCents: true, reason: true, refundedAt: true },
    });
    const refunded = refundedCents(payment) + refund.amountCents;
    const given: Refund = {
      id: refund.id,
      amount: formatCents(refund.amountCents),
      reason: refund.reason,
      refunded_at: refund.refundedAt.toISOString(),
      payment: {
        id: payment.id,
        amount: formatCents(payment.amountCents),
        refunded: formatCents(refunded),
        left: formatCents(payment.amountCents - refunded),
      },
      invoice: toBalanceView(invoice, paidCents(invoice) - refund.amountCents),
    };
    const subject = { type: 'payment', id: payment.id };
    await emitEvent(tx, { type: 'payment.refunded', actor: caller, subject, data: given });
    const changes = {
      ...diffFields({ refunded: formatCents(refundedCents(payment)) }, given.payment, ['refunded']),
      ...diffFields(null, given, ['amount', 'reason']),
    };
    await recordLedgerAudit(tx, caller, subject, 'payment.refunded', changes, invoice.serviceTicketId);
    return given;
  });
}

/** Money in or out: an audit entry in the invoice's ticket's history, which the customer sees. */
function recordLedgerAudit(
  tx: Transaction,
  caller: StaffPrincipal,
  subject: EventSubject,
  action: 'payment.received' | 'payment.refunded',
  changes: FieldChanges,
  serviceTicketId: number,
): Promise<void> {
  return recordAudit(tx, { actor: caller, subject, action, changes, serviceTicketId, customerVisible: true });
}
