import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller } from '../caller.ts';
import type { RouterInputs } from '../router.ts';
import { newInventoryItem, newTicket, signUpCustomer, signUpMechanic } from '../testing/fixtures.ts';
import { createTestApp, reasonOf, rejectionOf, type TestApp } from '../testing/index.ts';

/*
 * Invoices (issue 18) through the caller, on every database: issuing a
 * completed ticket's approved work, numbering without gaps under concurrency,
 * the snapshot, the freeze, voiding, the list and who sees what. Payments and
 * refunds are in src/payments.
 */

let app: TestApp;
let owner: Awaited<ReturnType<typeof signUpMechanic>>;
let writer: Awaited<ReturnType<typeof signUpMechanic>>;
let technician: Awaited<ReturnType<typeof signUpMechanic>>;
let ada: Awaited<ReturnType<typeof signUpCustomer>>;
let bob: Awaited<ReturnType<typeof signUpCustomer>>;
let padsId: number;

type Customer = typeof ada;
type LineBody = Omit<RouterInputs['serviceTickets']['addLine'], 'id' | 'job_id'>;

/** Many calls at once, each allowed to fail. */
const PARALLEL = 12;

beforeAll(async () => {
  app = await createTestApp();
  owner = await signUpMechanic(app, { name: 'Grace Hopper' });
  writer = await signUpMechanic(app, { role: 'service_writer' });
  technician = await signUpMechanic(app, { role: 'technician' });
  ada = await signUpCustomer(app, { name: 'Ada Lovelace' });
  bob = await signUpCustomer(app, { name: 'Bob Babbage' });
  await app.as(owner.token).shop.updateSettings({
    shop_name: 'Hopper Motors',
    tax_rates: { labor: '0', parts: '8.875', fees: '8.875', sublet: '0' },
    shop_supplies: { percent_of_labor: '5', cap: '35.00', taxable: true },
  });
  padsId = (await app.as(owner.token).inventory.create(newInventoryItem({ price: '49.90', quantity: 1_000 }))).id;
});
afterAll(() => app.close());

interface Work {
  customer?: Customer;
  /** The lines of the approved job (labor and a part line by default). */
  lines?: LineBody[];
  /** A second job, with one fee line, that the customer declines. */
  declined?: boolean;
  /** Left COMPLETED by default. */
  complete?: boolean;
}

const BRAKE_LINES: LineBody[] = [
  { type: 'labor', description: 'Replace front pads', hours: '1.50' },
  { type: 'sublet', description: 'Machine rotors', amount: '80.00', cost: '50.00' },
];

/** A ticket with an approved job (and a declined one, if asked), worked and completed; its id. */
async function workedTicket({ customer = ada, lines = BRAKE_LINES, declined = false, complete = true }: Work = {}): Promise<number> {
  const { id } = await app.as(customer.token).serviceTickets.open(newTicket());
  const approved = (await app.as(writer.token).serviceTickets.addJob({ id, title: 'Front brakes' })).jobs.at(-1)!.id;
  for (const line of [...lines, { type: 'part' as const, inventory_id: padsId, quantity: 2 }]) {
    await app.as(writer.token).serviceTickets.addLine({ id, job_id: approved, ...line });
  }
  const decisions: Array<{ job_id: number; decision: 'approve' | 'decline' }> = [{ job_id: approved, decision: 'approve' }];
  if (declined) {
    const wipers = (await app.as(writer.token).serviceTickets.addJob({ id, title: 'Wiper blades' })).jobs.at(-1)!.id;
    await app.as(writer.token).serviceTickets.addLine({ id, job_id: wipers, type: 'fee', description: 'Blades', amount: '30.00' });
    decisions.push({ job_id: wipers, decision: 'decline' });
  }
  await approve(customer, id, decisions);
  if (complete) await completeTicket(id);
  return id;
}

async function approve(customer: Customer, id: number, decisions: Array<{ job_id: number; decision: 'approve' | 'decline' }>) {
  const { estimate_version } = await app.as(customer.token).serviceTickets.byId({ id });
  await app.as(customer.token).approvals.create({ id, estimate_version, decisions, signature_name: 'Ada Lovelace' });
}

async function completeTicket(id: number): Promise<void> {
  await app.as(writer.token).serviceTickets.edit({ id, status: 'IN_PROGRESS' });
  await app.as(writer.token).serviceTickets.edit({ id, status: 'COMPLETED' });
}

/** A caller whose POSTs carry a new Idempotency-Key, which payments and refunds require. */
const keyed = (token: string) => createCaller(app.services, { token, idempotencyKey: randomUUID() });

const invoice = (id: number, token = writer.token) => app.as(token).invoices.create({ id });
const sequenceOf = (number: string) => Number(/(\d+)$/.exec(number)![1]);
const settled = <T>(count: number, make: (index: number) => Promise<T>) =>
  Promise.allSettled(Array.from({ length: count }, (_, index) => make(index)));

describe('issuing an invoice', () => {
  it("copies the completed ticket's approved work, customer and vehicle; declined work is left out", async () => {
    const id = await workedTicket({ declined: true });
    const ticket = await app.as(owner.token).serviceTickets.byId({ id });
    const issued = await invoice(id);

    expect(issued).toMatchObject({
      number: expect.stringMatching(/^INV-\d{6}$/),
      service_ticket_id: id,
      customer_id: ada.customer.id,
      shop: { name: 'Hopper Motors', currency: 'USD' },
      customer: { id: ada.customer.id, name: 'Ada Lovelace', email: ada.customer.email },
      vehicle: { id: ticket.vehicle.id, vin: ticket.vin, odometer_in: null, odometer_out: null, odometer_unit: 'mi' },
      cost: '0.00',
      // The ticket's totals count no declined job: the invoice has the same ones.
      totals: ticket.totals,
      paid: '0.00',
      balance: ticket.total,
      status: 'unpaid',
      voided_at: null,
      void_reason: null,
      payments: [],
    });
    expect(issued.jobs.map((job) => job.title)).toEqual(['Front brakes']);
    expect(issued.jobs[0]).toMatchObject({ authorization: 'approved', totals: ticket.jobs[0]!.totals });
    // 1.5 h × 120.00 = 180.00; supplies 5% = 9.00; parts 99.80 taxed 8.86, supplies taxed 0.80.
    expect(issued.totals).toMatchObject({ labor: '180.00', parts: '99.80', sublet: '80.00', shop_supplies: '9.00', total: '378.46' });
    // A customer's document: what sublet work costs the shop is not on it.
    expect(JSON.stringify(issued)).not.toContain('"cost":"50.00"');
    expect(await app.as(ada.token).invoices.byNumber({ number: issued.number })).toEqual(issued);
  });

  it('refuses a ticket that is not completed, has work awaiting a decision, or is invoiced already', async () => {
    const open = await workedTicket({ complete: false });
    expect(await reasonOf(invoice(open))).toBe('ticket_not_completed');

    // Work added after the approval, then completed: the customer has not decided on it.
    await app.as(writer.token).serviceTickets.edit({ id: open, status: 'IN_PROGRESS' });
    await app.as(writer.token).serviceTickets.addJob({ id: open, title: 'Found on the way: a leaking hose' });
    await app.as(writer.token).serviceTickets.edit({ id: open, status: 'COMPLETED' });
    expect(await reasonOf(invoice(open))).toBe('pending_work');

    const done = await workedTicket();
    await invoice(done);
    expect(await reasonOf(invoice(done))).toBe('already_invoiced');
    expect(await reasonOf(invoice(424_242))).toBe('not_found');
  });

  it('a completed ticket without jobs is invoiced for its flat cost', async () => {
    const { id } = await app.as(ada.token).serviceTickets.open(newTicket());
    await app.as(writer.token).serviceTickets.edit({ id, cost: '45.00' });
    await completeTicket(id);
    expect(await invoice(id)).toMatchObject({ jobs: [], cost: '45.00', totals: { subtotal: '45.00', total: '45.00' }, balance: '45.00' });
  });

  it('owners and service writers issue invoices; technicians and customers may not', async () => {
    const id = await workedTicket();
    expect(await reasonOf(invoice(id, technician.token))).toBe('forbidden');
    expect(await reasonOf(invoice(id, ada.token))).toBe('forbidden');
    expect(await invoice(id, owner.token)).toMatchObject({ service_ticket_id: id });
  });
});

describe('invoice numbers', () => {
  it('are the prefix and six digits, strictly increasing in the order issued, without gaps, under parallel invoicing', async () => {
    const tickets: number[] = [];
    for (let index = 0; index < PARALLEL; index++) tickets.push(await workedTicket({ lines: [] }));
    const results = await settled(PARALLEL, (index) => invoice(tickets[index]!));
    const issued = results.map((result) => {
      if (result.status === 'rejected') throw result.reason;
      return result.value;
    });
    const sequences = issued.map((row) => sequenceOf(row.number)).sort((a, b) => a - b);
    expect(new Set(sequences).size).toBe(PARALLEL);
    expect(sequences.at(-1)! - sequences[0]!).toBe(PARALLEL - 1);
    const byTime = [...issued].sort((a, b) => a.issued_at.localeCompare(b.issued_at) || sequenceOf(a.number) - sequenceOf(b.number));
    expect(byTime.map((row) => sequenceOf(row.number))).toEqual(sequences);
    // Nothing was skipped before them either: every number up to the last one is an invoice.
    expect(await app.services.db.invoice.count({ where: { sequence: { lte: sequences.at(-1)! } } })).toBe(sequences.at(-1)!);
  });

  it('two parallel calls for one ticket give exactly one invoice, round after round', async () => {
    for (let round = 0; round < 5; round++) {
      const id = await workedTicket({ lines: [] });
      const results = await settled(2, () => invoice(id));
      const refused = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
      expect(refused).toHaveLength(1);
      expect(await reasonOf(Promise.reject(refused[0]!.reason as Error))).toBe('already_invoiced');
      expect(await app.services.db.invoice.count({ where: { serviceTicketId: id } })).toBe(1);
    }
  });

  it('follow the invoice_prefix of the settings, and an issued number never changes', async () => {
    const first = await invoice(await workedTicket({ lines: [] }));
    await app.as(owner.token).shop.updateSettings({ invoice_prefix: 'HM-2026/' });
    const second = await invoice(await workedTicket({ lines: [] }));
    expect(second.number).toBe(`HM-2026/${String(sequenceOf(first.number) + 1).padStart(6, '0')}`);
    expect((await app.as(owner.token).invoices.byNumber({ number: first.number })).number).toBe(first.number);
    for (const invoice_prefix of ['', 'THIRTEEN-CHAR', 'INV 1', 'INV_', 'ÉCU-']) {
      expect(await reasonOf(app.as(owner.token).shop.updateSettings({ invoice_prefix })), invoice_prefix).toBe('validation_failed');
    }
    await app.as(owner.token).shop.updateSettings({ invoice_prefix: 'INV-' });
  });
});

describe('the snapshot', () => {
  it("stays as issued when prices, tax rates, the shop, the customer's name or the vehicle's plate change", async () => {
    const carol = await signUpCustomer(app, { name: 'Carol Shaw' });
    const id = await workedTicket({ customer: carol });
    const issued = await invoice(id);
    const { vehicle } = await app.as(owner.token).serviceTickets.byId({ id });

    await app.as(owner.token).inventory.update({ id: padsId, price: '99.00' });
    await app
      .as(owner.token)
      .shop.updateSettings({ shop_name: 'Renamed Motors', tax_rates: { parts: '10' }, shop_supplies: { cap: '1.00' } });
    await app.as(carol.token).customers.update({ id: carol.customer.id, name: 'Carol Renamed' });
    await app.as(owner.token).vehicles.update({ id: vehicle.id, plate: 'NEW 1' });
    // Read from the database, not from an answer cached before the changes.
    app.services.cache.clear();

    expect(await app.as(owner.token).invoices.byNumber({ number: issued.number })).toEqual(issued);
    await app.as(owner.token).inventory.update({ id: padsId, price: '49.90' });
    await app
      .as(owner.token)
      .shop.updateSettings({ shop_name: 'Hopper Motors', tax_rates: { parts: '8.875' }, shop_supplies: { cap: '35.00' } });
  });
});

describe('the freeze', () => {
  it("an invoiced ticket's jobs, lines and cost are frozen until its invoice is voided; then it is invoiced anew", async () => {
    const id = await workedTicket();
    const ticket = await app.as(owner.token).serviceTickets.byId({ id });
    const job = ticket.jobs[0]!;
    const first = await invoice(id);

    const changes = [
      () => app.as(writer.token).serviceTickets.addJob({ id, title: 'Late addition' }),
      () => app.as(writer.token).serviceTickets.editJob({ id, job_id: job.id, title: 'Renamed' }),
      () => app.as(writer.token).serviceTickets.addLine({ id, job_id: job.id, type: 'fee', description: 'Late fee', amount: '5.00' }),
      () => app.as(writer.token).serviceTickets.editLine({ id, job_id: job.id, line_id: job.lines[0]!.id, hours: '3.00' }),
      () => app.as(writer.token).serviceTickets.deleteLine({ id, job_id: job.id, line_id: job.lines[0]!.id }),
      () => app.as(writer.token).serviceTickets.deleteJob({ id, job_id: job.id }),
      () => app.as(writer.token).serviceTickets.edit({ id, cost: '10.00' }),
    ];
    for (const change of changes) expect(await reasonOf(change())).toBe('ticket_invoiced');
    // What is not the estimate stays open: the mechanics, and the same cost again.
    await app.as(writer.token).serviceTickets.edit({ id, add_ids: [technician.mechanic.id], cost: ticket.cost });
    expect(await reasonOf(app.as(owner.token).serviceTickets.delete({ id }))).toBe('ticket_has_invoices');

    const voided = await app.as(owner.token).invoices.void({ number: first.number, reason: 'Wrong labor hours' });
    // A void invoice asks for nothing: its balance is 0.00, its totals stay as issued.
    expect(voided).toEqual({ ...first, status: 'void', balance: '0.00', voided_at: expect.any(String), void_reason: 'Wrong labor hours' });
    expect(await reasonOf(app.as(owner.token).invoices.void({ number: first.number, reason: 'Again' }))).toBe('invoice_void');

    // A new price: the customer approves the job again before it is invoiced again.
    await app.as(writer.token).serviceTickets.editLine({ id, job_id: job.id, line_id: job.lines[0]!.id, hours: '2.00' });
    await approve(ada, id, [{ job_id: job.id, decision: 'approve' }]);
    const second = await invoice(id);
    expect(sequenceOf(second.number)).toBeGreaterThan(sequenceOf(first.number));
    expect(second.totals.labor).toBe('240.00');
    expect(await app.as(owner.token).invoices.byNumber({ number: first.number })).toMatchObject({ status: 'void', totals: first.totals });
    // A ticket with invoices, void ones too, stays as their record.
    expect(await reasonOf(app.as(owner.token).serviceTickets.delete({ id }))).toBe('ticket_has_invoices');
  });

  it('only the owner voids, only an invoice that holds no money, and an unknown number is a 404', async () => {
    const issued = await invoice(await workedTicket({ lines: [] }));
    const body = { number: issued.number, reason: 'Duplicate' };
    for (const token of [writer.token, technician.token, ada.token])
      expect(await reasonOf(app.as(token).invoices.void(body))).toBe('forbidden');
    const payment = await keyed(writer.token).payments.create({ number: issued.number, amount: '10.00', method: 'cash' });
    expect(await reasonOf(app.as(owner.token).invoices.void(body))).toBe('invoice_has_payments');
    await keyed(owner.token).payments.refund({ id: payment.id, amount: '10.00', reason: 'Paid by mistake' });
    expect(await app.as(owner.token).invoices.void(body)).toMatchObject({
      status: 'void',
      paid: '0.00',
      payments: [{ refunded: '10.00' }],
    });
    expect(await reasonOf(app.as(owner.token).invoices.void({ number: 'INV-999999', reason: 'x' }))).toBe('not_found');
    expect(await reasonOf(app.as(owner.token).invoices.void({ number: issued.number.toLowerCase(), reason: 'x' }))).toBe('not_found');
  });
});

describe('reading invoices', () => {
  it("the invoice's customer and all staff read it; another customer gets a 404, as for a number that does not exist", async () => {
    const issued = await invoice(await workedTicket());
    for (const token of [owner.token, writer.token, technician.token, ada.token]) {
      expect(await app.as(token).invoices.byNumber({ number: issued.number })).toEqual(issued);
    }
    const refused = await rejectionOf(app.as(bob.token).invoices.byNumber({ number: issued.number }));
    const missing = await rejectionOf(app.as(bob.token).invoices.byNumber({ number: 'INV-999999' }));
    expect(refused.reason).toBe('not_found');
    expect(refused.message.replace(issued.number, 'N')).toBe(missing.message.replace('INV-999999', 'N'));
    expect(await reasonOf(app.as(ada.token).invoices.list({}))).toBe('forbidden');
    expect(await reasonOf(app.as(owner.token).customers.myInvoices({}))).toBe('forbidden');
  });

  it('lists by derived status, customer and day issued, newest first, in pages', async () => {
    const dana = await signUpCustomer(app);
    const numbers: string[] = [];
    for (let index = 0; index < 5; index++) numbers.push((await invoice(await workedTicket({ customer: dana, lines: [] }))).number);
    const [unpaid, partly, paid, voided, refunded] = numbers as [string, string, string, string, string];
    const totalOf = async (number: string) => (await app.as(owner.token).invoices.byNumber({ number })).totals.total;
    await keyed(writer.token).payments.create({ number: partly, amount: '1.00', method: 'cash' });
    await keyed(writer.token).payments.create({ number: paid, amount: await totalOf(paid), method: 'card', reference: 'ch_1' });
    await app.as(owner.token).invoices.void({ number: voided, reason: 'Duplicate' });
    const back = await keyed(writer.token).payments.create({ number: refunded, amount: '2.00', method: 'check' });
    await keyed(owner.token).payments.refund({ id: back.id, amount: '2.00', reason: 'Check bounced' });

    const list = (query: Omit<RouterInputs['invoices']['list'], 'customer_id'> = {}) =>
      app.as(owner.token).invoices.list({ customer_id: dana.customer.id, per_page: 100, ...query });
    const numbersOf = async (query: Parameters<typeof list>[0]) => (await list(query)).items.map((item) => item.number);
    expect(await numbersOf({})).toEqual([...numbers].reverse());
    expect(await numbersOf({ status: 'unpaid' })).toEqual([refunded, unpaid]);
    expect(await numbersOf({ status: 'partially_paid' })).toEqual([partly]);
    expect(await numbersOf({ status: 'paid' })).toEqual([paid]);
    expect(await numbersOf({ status: 'void' })).toEqual([voided]);
    expect((await list({ status: 'unpaid' })).items.map((item) => item.status)).toEqual(['unpaid', 'unpaid']);

    const today = new Date().toISOString().slice(0, 10);
    const dayAfter = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
    expect(await numbersOf({ from: today, to: today })).toHaveLength(5);
    expect(await numbersOf({ from: dayAfter(1) })).toEqual([]);
    expect(await numbersOf({ to: dayAfter(-1) })).toEqual([]);
    expect(await reasonOf(list({ from: today, to: dayAfter(-1) }))).toBe('validation_failed');

    const second = await list({ status: 'unpaid', page: 2, per_page: 1 });
    expect(second).toMatchObject({ page: 2, per_page: 1, total: 2, pages: 2 });
    expect(second.items.map((item) => item.number)).toEqual([unpaid]);
    expect(await list({ page: 3, per_page: 2 })).toMatchObject({ total: 5, pages: 3, items: [{ number: unpaid }] });

    const mine = await app.as(dana.token).customers.myInvoices({ per_page: 2 });
    expect(mine).toMatchObject({ total: 5, pages: 3 });
    expect(mine.items.map((item) => item.number)).toEqual([refunded, voided]);
  });
});
