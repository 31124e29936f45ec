import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller } from '../caller.ts';
import { newTicket, signUpCustomer, signUpMechanic } from '../testing/fixtures.ts';
import { createTestApp, reasonOf, type TestApp } from '../testing/index.ts';
import { looksLikeCardNumber } from './payment.schemas.ts';

/*
 * The ledger of an invoice (issue 18): payments up to the balance, refunds up
 * to what is left of a payment, paid, balance and status derived from them,
 * and the rules held under parallel calls on every database.
 */

let app: TestApp;
let owner: Awaited<ReturnType<typeof signUpMechanic>>;
let writer: Awaited<ReturnType<typeof signUpMechanic>>;
let technician: Awaited<ReturnType<typeof signUpMechanic>>;
let ada: Awaited<ReturnType<typeof signUpCustomer>>;

const PARALLEL = 12;

beforeAll(async () => {
  app = await createTestApp();
  owner = await signUpMechanic(app);
  writer = await signUpMechanic(app, { role: 'service_writer' });
  technician = await signUpMechanic(app, { role: 'technician' });
  ada = await signUpCustomer(app);
});
afterAll(() => app.close());

/** A caller whose POSTs carry a new Idempotency-Key, as each new payment or refund must. */
const keyed = (token: string, idempotencyKey: string | undefined = randomUUID()) => createCaller(app.services, { token, idempotencyKey });

/** An issued invoice for a completed ticket with no jobs and a flat cost of `total`; its number. */
async function invoiceOf(total: string): Promise<string> {
  const { id } = await app.as(ada.token).serviceTickets.open(newTicket());
  await app.as(writer.token).serviceTickets.edit({ id, cost: total, status: 'IN_PROGRESS' });
  await app.as(writer.token).serviceTickets.edit({ id, status: 'COMPLETED' });
  return (await app.as(writer.token).invoices.create({ id })).number;
}

const pay = (number: string, amount: string, token = writer.token) =>
  keyed(token).payments.create({ number, amount, method: 'card', reference: `ch_${randomUUID()}` });
const refund = (id: number, amount: string, token = owner.token) => keyed(token).payments.refund({ id, amount, reason: 'Goodwill' });
const invoiceNumbered = (number: string) => app.as(owner.token).invoices.byNumber({ number });

describe('payments', () => {
  it('take the balance down to 0.00: unpaid, then partially paid, then paid', async () => {
    const number = await invoiceOf('100.00');
    const first = await keyed(writer.token).payments.create({ number, amount: '30.00', method: 'cash' });
    expect(first).toEqual({
      id: expect.any(Number),
      amount: '30.00',
      method: 'cash',
      reference: null,
      received_at: expect.any(String),
      refunds: [],
      refunded: '0.00',
      left: '30.00',
      invoice: { number, total: '100.00', paid: '30.00', balance: '70.00', status: 'partially_paid' },
    });
    const second = await pay(number, '70', owner.token);
    expect(second.invoice).toEqual({ number, total: '100.00', paid: '100.00', balance: '0.00', status: 'paid' });
    expect(await invoiceNumbered(number)).toMatchObject({
      paid: '100.00',
      balance: '0.00',
      status: 'paid',
      payments: [
        { id: first.id, amount: '30.00', method: 'cash', refunds: [], refunded: '0.00' },
        { id: second.id, amount: '70.00', method: 'card', reference: second.reference },
      ],
    });
  });

  it('are more than 0, at most the balance, and a void invoice takes none', async () => {
    const number = await invoiceOf('50.00');
    expect(await reasonOf(pay(number, '0'))).toBe('validation_failed');
    expect(await reasonOf(pay(number, '-1.00'))).toBe('validation_failed');
    expect(await reasonOf(pay(number, '50.01'))).toBe('overpayment');
    await pay(number, '50.00');
    expect(await reasonOf(pay(number, '0.01'))).toBe('overpayment');
    expect(await reasonOf(pay('INV-999999', '1.00'))).toBe('not_found');

    const voided = await invoiceOf('20.00');
    await app.as(owner.token).invoices.void({ number: voided, reason: 'Duplicate' });
    expect(await reasonOf(pay(voided, '1.00'))).toBe('invoice_void');
  });

  it('never store a card number: a reference that looks like one is refused', async () => {
    const number = await invoiceOf('10.00');
    for (const reference of ['4111111111111111', '4111 1111 1111 1111', 'card 4111-1111-1111-1111', '378282246310005']) {
      const call = keyed(writer.token).payments.create({ number, amount: '1.00', method: 'card', reference });
      expect(await reasonOf(call), reference).toBe('validation_failed');
    }
    const accepted = await keyed(writer.token).payments.create({
      number,
      amount: '1.00',
      method: 'card',
      reference: 'ch_3MmlLrLkdIwHu7ix',
    });
    expect(accepted.reference).toBe('ch_3MmlLrLkdIwHu7ix');
    expect(
      await reasonOf(keyed(writer.token).payments.create({ number, amount: '1.00', method: 'card', reference: 'x'.repeat(101) })),
    ).toBe('validation_failed');
  });

  it('are recorded by owners and service writers, each with an Idempotency-Key: a retry with it records nothing twice', async () => {
    const number = await invoiceOf('10.00');
    for (const token of [technician.token, ada.token]) expect(await reasonOf(pay(number, '1.00', token))).toBe('forbidden');
    expect(await reasonOf(app.as(writer.token).payments.create({ number, amount: '1.00', method: 'cash' }))).toBe(
      'idempotency_key_required',
    );

    const key = randomUUID();
    const first = await keyed(writer.token, key).payments.create({ number, amount: '4.00', method: 'cash' });
    expect(await keyed(writer.token, key).payments.create({ number, amount: '4.00', method: 'cash' })).toEqual(first);
    expect(await invoiceNumbered(number)).toMatchObject({ paid: '4.00', payments: [{ id: first.id }] });
  });
});

describe('refunds', () => {
  it("give back at most what is left of a payment, and the invoice's paid, balance and status follow", async () => {
    const number = await invoiceOf('80.00');
    const payment = await pay(number, '80.00');
    const first = await refund(payment.id, '30.00');
    expect(first).toEqual({
      id: expect.any(Number),
      amount: '30.00',
      reason: 'Goodwill',
      refunded_at: expect.any(String),
      payment: { id: payment.id, amount: '80.00', refunded: '30.00', left: '50.00' },
      invoice: { number, total: '80.00', paid: '50.00', balance: '30.00', status: 'partially_paid' },
    });
    expect(await reasonOf(refund(payment.id, '50.01'))).toBe('refund_too_large');
    const last = await refund(payment.id, '50.00');
    expect(last.payment).toEqual({ id: payment.id, amount: '80.00', refunded: '80.00', left: '0.00' });
    expect(last.invoice).toMatchObject({ paid: '0.00', balance: '80.00', status: 'unpaid' });
    expect(await reasonOf(refund(payment.id, '0.01'))).toBe('refund_too_large');
    expect(await reasonOf(refund(payment.id, '0'))).toBe('validation_failed');
    expect(await reasonOf(refund(999_999, '1.00'))).toBe('not_found');

    const read = await invoiceNumbered(number);
    expect(read.payments[0]).toMatchObject({
      refunded: '80.00',
      refunds: [
        { id: first.id, amount: '30.00', reason: 'Goodwill' },
        { id: last.id, amount: '50.00' },
      ],
    });
    // Refunded money is owed again: it may be paid anew.
    expect((await pay(number, '80.00')).invoice.status).toBe('paid');
  });

  it('are for the owner only', async () => {
    const payment = await pay(await invoiceOf('5.00'), '5.00');
    for (const token of [writer.token, technician.token, ada.token])
      expect(await reasonOf(refund(payment.id, '1.00', token))).toBe('forbidden');
  });
});

describe('under parallel calls', () => {
  const settled = <T>(make: () => Promise<T>) => Promise.allSettled(Array.from({ length: PARALLEL }, make));
  const reasonsOf = (results: PromiseSettledResult<unknown>[]) =>
    Promise.all(results.flatMap((result) => (result.status === 'rejected' ? [reasonOf(Promise.reject(result.reason as Error))] : [])));

  it('payments never take an invoice past its balance', async () => {
    const number = await invoiceOf('100.00');
    const results = await settled(() => pay(number, '30.00'));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(3);
    expect(new Set(await reasonsOf(results))).toEqual(new Set(['overpayment']));
    expect(await invoiceNumbered(number)).toMatchObject({ paid: '90.00', balance: '10.00', status: 'partially_paid' });
  });

  it('refunds never give back more than a payment, nor payments and refunds together break the ledger', async () => {
    const number = await invoiceOf('100.00');
    const payment = await pay(number, '100.00');
    const results = await settled(() => refund(payment.id, '40.00'));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(2);
    expect(new Set(await reasonsOf(results))).toEqual(new Set(['refund_too_large']));

    // 20.00 is left of the payment and 80.00 is owed: refunds and payments at once.
    const mixed = await Promise.allSettled(
      Array.from({ length: PARALLEL }, (_, index) => (index % 2 ? refund(payment.id, '15.00') : pay(number, '50.00'))),
    );
    const succeeded = (kind: 'payment' | 'refund') =>
      mixed.filter((result, index) => result.status === 'fulfilled' && (index % 2 ? 'refund' : 'payment') === kind).length;
    expect(new Set(await reasonsOf(mixed))).toEqual(new Set(['overpayment', 'refund_too_large']));
    const invoice = await invoiceNumbered(number);
    const cents = (money: string) => Math.round(Number(money) * 100);
    // Exactly what the successful calls add up to, and never past either limit.
    expect(cents(invoice.paid)).toBe(2_000 - 1_500 * succeeded('refund') + 5_000 * succeeded('payment'));
    expect(cents(invoice.paid)).toBeLessThanOrEqual(10_000);
    expect(cents(invoice.payments[0]!.refunded)).toBeLessThanOrEqual(10_000);
    expect(cents(invoice.paid) + cents(invoice.balance)).toBe(10_000);
  });
});

describe('card numbers', () => {
  it('are runs of 13 to 19 digits, spaced or dashed or not, that pass the Luhn check', () => {
    for (const text of ['4111111111111111', '5500 0000 0000 0004', '3782-822463-10005', 'ref 6011000990139424 ok', '4222222222222']) {
      expect(looksLikeCardNumber(text), text).toBe(true);
    }
    // 12345678-1234-1232 passes the Luhn check, but is the all-digit start of a UUID.
    const uuid = 'ch_12345678-1234-1232-abcd-0123456789ab';
    for (const text of ['4111111111111112', '411111111111', '41111111111111111111', 'ch_3MmlLrLkdIwHu7ix', '2026-12-01', '', uuid]) {
      expect(looksLikeCardNumber(text), text).toBe(false);
    }
  });
});
