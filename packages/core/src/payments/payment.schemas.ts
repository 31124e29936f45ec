import { z } from 'zod';
import {
  InvoiceBalance,
  InvoiceNumberParam,
  InvoicePayment,
  InvoiceRefund,
  LedgerReason,
  PaymentMethod,
} from '../invoices/invoice.schemas.ts';
import { MAX_LENGTH } from '../shared/limits.ts';
import { Money, MoneyInput } from '../shared/money.ts';
import { DatabaseText, Id, IdParam } from '../shared/schemas.ts';

/**
 * A run of digits with at most one space or dash between two of them, as card numbers are written, standing
 * on its own: not glued by a letter, digit, underscore or dash to more of an identifier (a UUID's all-digit
 * groups, joined by their dashes, are no card number).
 */
const DIGIT_RUN = /(?<![\w-])\d(?:[ -]?\d)*(?![\w-])/g;

/** The Luhn checksum (ISO/IEC 7812) every payment card number passes. */
function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index++) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return sum % 10 === 0;
}

/**
 * Whether a text holds what looks like a payment card number (a PAN): a run of
 * 13 to 19 digits, spaced or dashed or not, that passes the Luhn check. PCI DSS
 * keeps card numbers out of systems that do not need them; a reference is the
 * processor's id, so one that looks like a card number is refused rather than stored.
 */
export function looksLikeCardNumber(text: string): boolean {
  return [...text.matchAll(DIGIT_RUN)].some(([run]) => {
    const digits = run.replace(/[ -]/g, '');
    return digits.length >= 13 && digits.length <= 19 && passesLuhn(digits);
  });
}

/** An amount of money received or given back: more than 0. */
const PositiveMoneyInput = MoneyInput.refine((cents) => cents > 0, 'Must be more than 0');

export const NewPayment = z
  .strictObject({
    number: InvoiceNumberParam,
    amount: PositiveMoneyInput.meta({ description: 'At most the balance.' }),
    method: PaymentMethod,
    reference: DatabaseText(1, MAX_LENGTH.paymentReference)
      .refine((reference) => !looksLikeCardNumber(reference), "Looks like a card number: send the payment processor's id instead")
      .optional()
      .meta({ description: "The payment processor's id (a charge or transaction id). Card numbers are refused: none is ever stored." }),
  })
  .meta({ examples: [{ amount: '150.00', method: 'card', reference: 'ch_3MmlLrLkdIwHu7ix0snN0B15' }] });
export type NewPayment = z.output<typeof NewPayment>;

export const NewRefund = z
  .strictObject({
    id: IdParam,
    amount: PositiveMoneyInput.meta({ description: 'At most what is left of the payment after its earlier refunds.' }),
    reason: LedgerReason,
  })
  .meta({ examples: [{ amount: '50.00', reason: 'Goodwill for the delay' }] });
export type NewRefund = z.output<typeof NewRefund>;

const PaymentLeft = Money.meta({ description: 'What is left of it to refund: amount less refunded.' });

export const Payment = InvoicePayment.extend({ left: PaymentLeft, invoice: InvoiceBalance }).meta({
  id: 'Payment',
  example: {
    id: 11,
    amount: '150.00',
    method: 'card',
    reference: 'ch_3MmlLrLkdIwHu7ix0snN0B15',
    received_at: '2026-12-02T16:25:00.000Z',
    refunds: [],
    refunded: '0.00',
    left: '150.00',
    invoice: { number: 'INV-000042', total: '298.46', paid: '150.00', balance: '148.46', status: 'partially_paid' },
  },
});
export type Payment = z.output<typeof Payment>;

export const Refund = InvoiceRefund.extend({
  payment: z.object({ id: Id, amount: Money, refunded: Money, left: PaymentLeft }),
  invoice: InvoiceBalance,
}).meta({
  id: 'Refund',
  example: {
    id: 2,
    amount: '50.00',
    reason: 'Goodwill for the delay',
    refunded_at: '2026-12-03T09:00:00.000Z',
    payment: { id: 11, amount: '150.00', refunded: '50.00', left: '100.00' },
    invoice: { number: 'INV-000042', total: '298.46', paid: '100.00', balance: '198.46', status: 'partially_paid' },
  },
});
export type Refund = z.output<typeof Refund>;
