import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller, createDocumentCaller } from '../caller.ts';
import { approveEveryJob, newInventoryItem, newTicket, signUpCustomer, signUpMechanic } from '../testing/fixtures.ts';
import { createTestApp, hasPoppler, moneyFigures, pdfText, rejectionOf, showsAmount, type TestApp } from '../testing/index.ts';
import type { Job } from '../service-tickets/estimate.schemas.ts';

/*
 * The printable documents through the caller, on every database: an invoice
 * and an estimate print every figure of their JSON, digit for digit, read
 * back by poppler's pdftotext; and they go to whoever may read the JSON.
 */

let app: TestApp;
let owner: Awaited<ReturnType<typeof signUpMechanic>>;
let technician: Awaited<ReturnType<typeof signUpMechanic>>;
let ada: Awaited<ReturnType<typeof signUpCustomer>>;
let bob: Awaited<ReturnType<typeof signUpCustomer>>;
let ticketId: number;

/** What a customer's document never shows: the shop's cost of sublet work. */
const INTERNAL = ['cost'];

beforeAll(async () => {
  app = await createTestApp();
  owner = await signUpMechanic(app, { name: 'Grace Hopper' });
  technician = await signUpMechanic(app, { role: 'technician' });
  ada = await signUpCustomer(app, { name: 'Ada Lovelace', address: '12 Analytical Row, London' });
  bob = await signUpCustomer(app);
  await app.as(owner.token).shop.updateSettings({
    shop_name: 'Hopper Motors',
    tax_rates: { labor: '2.5', parts: '8.875', fees: '8.875', sublet: '0' },
    shop_supplies: { percent_of_labor: '5', cap: '35.00', taxable: true },
  });
  ticketId = await estimatedTicket();
});
afterAll(() => app.close());

const staff = () => app.as(owner.token);
const documents = (token?: string) => createDocumentCaller(app.services, { token });

/**
 * Ada's ticket: brakes (labor with a 10% discount, two parts, an untaxed fee),
 * an alignment (sublet, warranty), wipers she declines and a tyre rotation
 * still awaiting her decision.
 */
async function estimatedTicket(): Promise<number> {
  const pads = await staff().inventory.create(newInventoryItem({ part_name: 'Brake pad set', price: '49.90', quantity: 100 }));
  const { id } = await app.as(ada.token).serviceTickets.open(newTicket({ odometer_in: 182_340 }));
  const job = async (title: string, lines: Array<Record<string, unknown>>, extra: Record<string, string> = {}) => {
    const jobId = (await staff().serviceTickets.addJob({ id, title, ...extra })).jobs.at(-1)!.id;
    for (const line of lines) await staff().serviceTickets.addLine({ id, job_id: jobId, ...line } as never);
    return jobId;
  };
  const brakes = await job('Front brakes', [
    { type: 'labor', description: 'Replace front pads and resurface rotors', hours: '1.75', discount: { percent: '10' } },
    { type: 'part', inventory_id: pads.id, quantity: 2 },
    { type: 'fee', description: 'Hazardous waste disposal', amount: '4.95', taxable: false },
  ]);
  const alignment = await job(
    'Wheel alignment',
    [{ type: 'sublet', description: 'Alignment at Straight Line Co', amount: '89.00', cost: '61.37' }],
    {
      pay_type: 'warranty',
    },
  );
  const wipers = await job('Wiper blades', [{ type: 'fee', description: 'Wiper blade pair', amount: '32.50' }]);
  const ticket = await staff().serviceTickets.byId({ id });
  await app.as(ada.token).approvals.create({
    id,
    estimate_version: ticket.estimate_version,
    signature_name: 'Ada Lovelace',
    decisions: [
      { job_id: brakes, decision: 'approve' },
      { job_id: alignment, decision: 'approve' },
      { job_id: wipers, decision: 'decline', reason: 'Next month' },
    ],
  });
  await job('Tyre rotation', [{ type: 'labor', description: 'Rotate four tyres', hours: '0.50' }]);
  return id;
}

/** The text of each job's part of a document: from its title to the next one's, or to the end of its totals' paragraph. */
function jobSections(text: string, jobs: Job[]): string[] {
  const starts = jobs.map((job, index) => text.indexOf(`${index + 1}. ${job.title}`));
  starts.forEach((start, index) => expect(start, `job ${jobs[index]!.title} is printed`).toBeGreaterThan(-1));
  return starts.map((start, index) => text.slice(start, starts[index + 1] ?? text.indexOf('\n\n', text.indexOf('Job total', start))));
}

/** Every figure of `json` is in `text`; each job's non-zero figures are in its own section. */
function expectEveryFigure(text: string, json: { jobs: Job[] }) {
  const missing = moneyFigures(json, INTERNAL).filter(({ amount }) => !showsAmount(text, amount));
  expect(missing, 'figures of the JSON missing from the PDF').toEqual([]);
  jobSections(text, json.jobs).forEach((section, index) => {
    const figures = moneyFigures(json.jobs[index], INTERNAL).filter(({ amount }) => amount !== '0.00');
    expect(
      figures.filter(({ amount }) => !showsAmount(section, amount)),
      `figures of job ${index + 1} missing from its section`,
    ).toEqual([]);
  });
}

describe.runIf(hasPoppler)('the estimate PDF', () => {
  it("prints every figure of the ticket's JSON, each job with the customer's decision on it", async () => {
    const ticket = await staff().serviceTickets.byId({ id: ticketId });
    const file = await documents(owner.token).documents.estimatePdf({ id: ticketId });
    expect(file.filename).toBe(`estimate-${ticketId}.pdf`);
    const text = pdfText(file.bytes);

    for (const words of [
      'Hopper Motors',
      'ESTIMATE',
      `#${ticketId}`,
      'Ada Lovelace',
      '12 Analytical Row, London',
      ticket.vin!,
      '182,340 mi',
    ])
      expect(text).toContain(words);
    expect(text).toMatch(new RegExp(`Estimate version\\s+${ticket.estimate_version}\\b`));
    expectEveryFigure(text, ticket);
    const [brakes, alignment, wipers, rotation] = jobSections(text, ticket.jobs);
    expect(brakes).toContain('APPROVED');
    expect(alignment).toMatch(/Wheel alignment \(warranty\)[\s\S]*APPROVED/);
    expect(wipers).toContain('DECLINED');
    expect(wipers).toContain("Declined: Next month. Not included in the estimate's total.");
    expect(rotation).toContain('AWAITING APPROVAL');
    // The shop's own cost of the sublet work is not on the customer's paper, even printed by the owner.
    expect(text).not.toContain('61.37');
  });

  it('is the same document every time it is printed, until the ticket changes', async () => {
    const first = await documents(owner.token).documents.estimatePdf({ id: ticketId });
    const again = await documents(ada.token).documents.estimatePdf({ id: ticketId });
    expect(Buffer.compare(first.bytes, again.bytes)).toBe(0);
  });
});

describe.runIf(hasPoppler)('the invoice PDF', () => {
  it('prints every figure of the invoice JSON: lines, jobs, tax by category, totals, payments, refunds and balance', async () => {
    const { id } = await app.as(ada.token).serviceTickets.open(newTicket());
    const jobId = (await staff().serviceTickets.addJob({ id, title: 'Front brakes' })).jobs[0]!.id;
    await staff().serviceTickets.addLine({
      id,
      job_id: jobId,
      type: 'labor',
      description: 'Pads',
      hours: '2.25',
      discount: { amount: '15.00' },
    });
    await staff().serviceTickets.addLine({ id, job_id: jobId, type: 'fee', description: 'Disposal', amount: '4.95' });
    await approveEveryJob(app, owner.token, id);
    await staff().serviceTickets.edit({ id, status: 'IN_PROGRESS' });
    await staff().serviceTickets.edit({ id, status: 'COMPLETED' });
    const issued = await staff().invoices.create({ id });
    const keyed = () => createCaller(app.services, { token: owner.token, idempotencyKey: randomUUID() });
    const payment = await keyed().payments.create({ number: issued.number, amount: '120.00', method: 'card', reference: 'ch_1Test' });
    await keyed().payments.refund({ id: payment.id, amount: '20.50', reason: 'Goodwill for the delay' });
    const invoice = await app.as(ada.token).invoices.byNumber({ number: issued.number });

    const file = await documents(ada.token).documents.invoicePdf({ number: invoice.number });
    expect(file.filename).toBe(`${invoice.number}.pdf`);
    const text = pdfText(file.bytes);
    for (const words of [
      'Hopper Motors',
      'INVOICE',
      invoice.number,
      'Partially paid',
      'Ada Lovelace',
      'ch_1Test',
      'Goodwill for the delay',
    ])
      expect(text).toContain(words);
    expectEveryFigure(text, invoice);
    expect(text).toMatch(new RegExp(`Balance due\\s+\\$${invoice.balance.replace('.', '\\.')}`));
    expect(text).not.toMatch(/Void/i);

    await keyed().payments.refund({ id: payment.id, amount: '99.50', reason: 'Paid twice' });
    await staff().invoices.void({ number: invoice.number, reason: 'Issued to the wrong customer' });
    const voided = pdfText((await documents(owner.token).documents.invoicePdf({ number: invoice.number })).bytes);
    expect(voided).toMatch(/Status\s+Void/);
    expect(voided).toContain('Voided on ');
    expect(voided).toContain('Issued to the wrong customer');
  });

  it('runs onto more pages with the table header repeated and every page numbered', async () => {
    const { id } = await app.as(ada.token).serviceTickets.open(newTicket());
    for (let index = 1; index <= 14; index++) {
      const jobId = (
        await staff().serviceTickets.addJob({ id, title: `Job number ${index}`, concern: 'A long concern '.repeat(8) })
      ).jobs.at(-1)!.id;
      for (const hours of ['0.25', '0.50', '1.00'])
        await staff().serviceTickets.addLine({ id, job_id: jobId, type: 'labor', description: `Step of job ${index}`, hours });
    }
    const ticket = await staff().serviceTickets.byId({ id });
    const text = pdfText((await documents(owner.token).documents.estimatePdf({ id })).bytes);
    const pages = text.split('\f').filter((page) => page.trim());
    expect(pages.length).toBeGreaterThan(2);
    pages.forEach((page, index) => expect(page).toContain(`Page ${index + 1} of ${pages.length}`));
    for (const page of pages.filter((page) => /\d+\. Job number/.test(page)))
      expect(page).toMatch(/Description\s+Qty \/ hrs\s+Rate\s+Amount\s+Discount\s+Net/);
    expectEveryFigure(text, ticket);
  });
});

describe('who gets a document', () => {
  it('is whoever may read its JSON: staff, and the customer for their own only', async () => {
    await expect(documents(technician.token).documents.estimatePdf({ id: ticketId })).resolves.toMatchObject({
      filename: expect.any(String),
    });
    await expect(documents(ada.token).documents.estimatePdf({ id: ticketId })).resolves.toMatchObject({ filename: expect.any(String) });
    expect((await rejectionOf(documents(bob.token).documents.estimatePdf({ id: ticketId }))).reason).toBe('not_found');
    expect((await rejectionOf(documents().documents.estimatePdf({ id: ticketId }))).reason).toBe('unauthenticated');
    expect((await rejectionOf(documents(owner.token).documents.estimatePdf({ id: ticketId + 1_000 }))).reason).toBe('not_found');
    expect((await rejectionOf(documents(owner.token).documents.invoicePdf({ number: 'INV-999999' }))).reason).toBe('not_found');
    expect((await rejectionOf(documents(owner.token).documents.estimatePdf({ id: 0 }))).reason).toBe('validation_failed');
  });
});
