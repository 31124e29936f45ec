import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller } from '../caller.ts';
import type { RouterInputs } from '../router.ts';
import { approveEveryJob, newInventoryItem, newTicket, signUpCustomer, signUpMechanic } from '../testing/fixtures.ts';
import { createTestApp, reasonOf, type TestApp } from '../testing/index.ts';
import { averageCents } from './report.service.ts';

/*
 * The sales report against a month worked out by hand (below), on every
 * database. The invoices, payments and refunds are made through the API, then
 * moved to the days of the example (the API stamps them with the time of the call).
 */

let app: TestApp;
let owner: Awaited<ReturnType<typeof signUpMechanic>>;
let ada: Awaited<ReturnType<typeof signUpCustomer>>;
let partId: number;

type LineBody = Omit<RouterInputs['serviceTickets']['addLine'], 'id' | 'job_id'>;

beforeAll(async () => {
  app = await createTestApp();
  owner = await signUpMechanic(app);
  ada = await signUpCustomer(app);
  // Labor untaxed, parts 10%, fees 5%, sublet untaxed; shop supplies 10% of the labor nets, no cap, taxed as fees.
  await app.as(owner.token).shop.updateSettings({
    tax_rates: { labor: '0', parts: '10', fees: '5', sublet: '0' },
    shop_supplies: { percent_of_labor: '10', cap: '0.00', taxable: true },
  });
  partId = (await app.as(owner.token).inventory.create(newInventoryItem({ price: '15.00', quantity: 100 }))).id;
});
afterAll(() => app.close());

const keyed = () => createCaller(app.services, { token: owner.token, idempotencyKey: randomUUID() });
const report = (from: string, to: string) => app.as(owner.token).reports.sales({ from, to });

/** An invoice of one job with these lines (and the ticket's flat `cost`), issued at `issuedAt`; its number. */
async function invoiced(issuedAt: string, lines: LineBody[], cost?: string): Promise<string> {
  const staff = app.as(owner.token);
  const { id } = await app.as(ada.token).serviceTickets.open(newTicket());
  const jobId = (await staff.serviceTickets.addJob({ id, title: 'Work' })).jobs[0]!.id;
  for (const line of lines) await staff.serviceTickets.addLine({ id, job_id: jobId, ...line });
  if (cost) await staff.serviceTickets.edit({ id, cost });
  await approveEveryJob(app, owner.token, id);
  await staff.serviceTickets.edit({ id, status: 'IN_PROGRESS' });
  await staff.serviceTickets.edit({ id, status: 'COMPLETED' });
  const { number } = await staff.invoices.create({ id });
  await app.services.db.invoice.update({ where: { number }, data: { issuedAt: new Date(issuedAt) } });
  return number;
}

async function paid(number: string, amount: string, method: 'cash' | 'card' | 'check' | 'other', receivedAt: string): Promise<number> {
  const { id } = await keyed().payments.create({ number, amount, method });
  await app.services.db.payment.update({ where: { id }, data: { receivedAt: new Date(receivedAt) } });
  return id;
}

async function refunded(paymentId: number, amount: string, refundedAt: string): Promise<void> {
  const { id } = await keyed().payments.refund({ id: paymentId, amount, reason: 'Goodwill' });
  await app.services.db.refund.update({ where: { id }, data: { refundedAt: new Date(refundedAt) } });
}

describe('the sales report of March 2026, worked out by hand', () => {
  beforeAll(async () => {
    /*
     * A, issued on the first instant of March: labor 2.00 h × 100.00 = 200.00, 10% off = 20.00, net 180.00;
     * 3 parts × 15.00 = 45.00; a fee of 7.50; the ticket's flat cost 10.00.
     *   Shop supplies 10% × 180.00 = 18.00. Tax: parts 10% × 45.00 = 4.50; fees 5% × (7.50 + 18.00) = 1.275 → 1.28.
     *   Subtotal 180.00 + 45.00 + 7.50 + 18.00 + 10.00 = 260.50; total 260.50 + 5.78 = 266.28.
     */
    const a = await invoiced(
      '2026-03-01T00:00:00.000Z',
      [
        { type: 'labor', description: 'Brakes', hours: '2.00', rate: '100.00', discount: { percent: '10' } },
        { type: 'part', inventory_id: partId, quantity: 3 },
        { type: 'fee', description: 'Disposal', amount: '7.50' },
      ],
      '10.00',
    );
    /*
     * B, issued on the last instant of March: sublet 120.00; labor 0.75 h × 100.00 = 75.00; an untaxed fee of 3.33.
     *   Shop supplies 10% × 75.00 = 7.50. Tax: fees 5% × 7.50 (the fee is untaxed) = 0.375 → 0.38.
     *   Subtotal 120.00 + 75.00 + 3.33 + 7.50 = 205.83; total 206.21.
     */
    const b = await invoiced('2026-03-31T23:59:59.999Z', [
      { type: 'sublet', description: 'Alignment', amount: '120.00', cost: '80.00' },
      { type: 'labor', description: 'Diagnosis', hours: '0.75', rate: '100.00' },
      { type: 'fee', description: 'Permit', amount: '3.33', taxable: false },
    ]);
    // C, the last instant of February, and E, the first of April: outside the period (fee 50.00 + 2.50 tax; 20.00 + 1.00).
    const c = await invoiced('2026-02-28T23:59:59.999Z', [{ type: 'fee', description: 'Tow', amount: '50.00' }]);
    await invoiced('2026-04-01T00:00:00.000Z', [{ type: 'fee', description: 'Tow', amount: '20.00' }]);
    // D, in March but void: its payment and refund count nowhere (fee 40.00 + 2.00 tax).
    const d = await invoiced('2026-03-10T12:00:00.000Z', [{ type: 'fee', description: 'Tow', amount: '40.00' }]);
    await refunded(await paid(d, '42.00', 'cash', '2026-03-10T13:00:00.000Z'), '42.00', '2026-03-11T09:00:00.000Z');
    await app.as(owner.token).invoices.void({ number: d, reason: 'Wrong customer' });

    // A: 100.00 by card in March, 30.00 of it refunded in March; 50.00 cash in April.
    await refunded(await paid(a, '100.00', 'card', '2026-03-02T10:00:00.000Z'), '30.00', '2026-03-20T10:00:00.000Z');
    await paid(a, '50.00', 'cash', '2026-04-02T10:00:00.000Z');
    // B: paid in full by check in March; 6.21 of it refunded in April.
    await refunded(await paid(b, '206.21', 'check', '2026-03-31T12:00:00.000Z'), '6.21', '2026-04-05T10:00:00.000Z');
    // C (issued in February): 52.50 cash in March, 2.50 of it refunded in March: money of the period all the same.
    await refunded(await paid(c, '52.50', 'cash', '2026-03-05T10:00:00.000Z'), '2.50', '2026-03-06T10:00:00.000Z');
  });

  it('adds up A and B, and the money that moved in March', async () => {
    expect(await report('2026-03-01', '2026-03-31')).toEqual({
      from: '2026-03-01',
      to: '2026-03-31',
      currency: 'USD',
      invoice_count: 2,
      revenue: {
        labor: '255.00', // 180.00 + 75.00
        parts: '45.00',
        fees: '10.83', // 7.50 + 3.33
        sublet: '120.00',
        shop_supplies: '25.50', // 18.00 + 7.50
        flat_charges: '10.00',
        total: '466.33', // 260.50 + 205.83
      },
      discounts: '20.00',
      tax: { labor: '0.00', parts: '4.50', fees: '1.66', sublet: '0.00', total: '6.16' }, // fees 1.28 + 0.38
      invoiced: '472.49', // 266.28 + 206.21
      average_invoice: '236.25', // 472.49 / 2 = 236.245, half-up
      payments: { cash: '52.50', card: '100.00', check: '206.21', other: '0.00', total: '358.71' },
      refunds: { cash: '2.50', card: '30.00', check: '0.00', other: '0.00', total: '32.50' },
      net_payments: '326.21', // 358.71 − 32.50
      // A: 266.28 − (100.00 − 30.00 + 50.00) = 146.28; B: 206.21 − (206.21 − 6.21) = 6.21.
      outstanding_balance: '152.49',
    });
  });

  it('counts a period without invoices as zeros, with the money that moved in it', async () => {
    const april = await report('2026-04-02', '2026-04-30');
    expect(april).toMatchObject({
      invoice_count: 0,
      revenue: { total: '0.00' },
      invoiced: '0.00',
      average_invoice: '0.00',
      payments: { cash: '50.00', total: '50.00' },
      refunds: { check: '6.21', total: '6.21' },
      net_payments: '43.79',
      outstanding_balance: '0.00',
    });
    // One day: E alone (20.00 + 1.00 tax), nothing paid.
    expect(await report('2026-04-01', '2026-04-01')).toMatchObject({ invoice_count: 1, invoiced: '21.00', outstanding_balance: '21.00' });
  });
});

describe('the period', () => {
  it('runs from a day to a later or the same one, at most 366 days', async () => {
    expect(await reasonOf(report('2026-03-02', '2026-03-01'))).toBe('validation_failed');
    expect(await reasonOf(report('2026-01-01', '2027-01-02'))).toBe('validation_failed');
    await expect(report('2028-01-01', '2028-12-31')).resolves.toMatchObject({ invoice_count: 0 });
  });

  it('is for the owner only', async () => {
    const writer = await signUpMechanic(app, { role: 'service_writer' });
    expect(await reasonOf(app.as(writer.token).reports.sales({ from: '2026-03-01', to: '2026-03-31' }))).toBe('forbidden');
    expect(await reasonOf(app.as(ada.token).reports.sales({ from: '2026-03-01', to: '2026-03-31' }))).toBe('forbidden');
  });
});

describe('averageCents', () => {
  it('rounds half-up, once', () => {
    expect(averageCents(47_249, 2)).toBe(23_625);
    expect(averageCents(100, 3)).toBe(33);
    expect(averageCents(200, 3)).toBe(67);
    expect(averageCents(0, 0)).toBe(0);
  });
});
