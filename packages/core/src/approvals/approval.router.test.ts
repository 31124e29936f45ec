import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { formatCents, parseCents } from '../shared/money.ts';
import type { RouterInputs } from '../router.ts';
import { newInventoryItem, newTicket, signUpCustomer, signUpMechanic } from '../testing/fixtures.ts';
import { createTestApp, reasonOf, rejectionOf, type TestApp } from '../testing/index.ts';

/*
 * Customers' approvals of estimates (issue 17) through the caller: who records
 * them and how, the version they are bound to, what deciding does to jobs,
 * stock and totals, and the race between an approval and a price change.
 */

let app: TestApp;
let owner: Awaited<ReturnType<typeof signUpMechanic>>;
let writer: Awaited<ReturnType<typeof signUpMechanic>>;
let technician: Awaited<ReturnType<typeof signUpMechanic>>;
let ada: Awaited<ReturnType<typeof signUpCustomer>>;
let bob: Awaited<ReturnType<typeof signUpCustomer>>;

type Decisions = RouterInputs['approvals']['create']['decisions'];
type LineBody = Omit<RouterInputs['serviceTickets']['addLine'], 'id' | 'job_id'>;

const BY_PHONE = { method: 'phone', contact_name: 'Ada Lovelace', contact_phone: '+44 20 7946 0000' } as const;

beforeAll(async () => {
  app = await createTestApp();
  // The first account opens the shop as its owner, and registers the others.
  owner = await signUpMechanic(app);
  [writer, technician] = await Promise.all([signUpMechanic(app, { role: 'service_writer' }), signUpMechanic(app, { role: 'technician' })]);
  // Ada Lovelace, the fixtures' customer, and another.
  [ada, bob] = await Promise.all([signUpCustomer(app), signUpCustomer(app, { name: 'Bob Babbage' })]);
});
afterAll(() => app.close());

/** A ticket of Ada's with a job per line given (each job holds that line): the ticket and job ids. */
async function ticketWithJobs(...lines: LineBody[]): Promise<{ id: number; jobs: number[] }> {
  const { id } = await app.as(ada.token).serviceTickets.open(newTicket());
  const jobs: number[] = [];
  for (const [index, line] of lines.entries()) {
    const jobId = (await app.as(writer.token).serviceTickets.addJob({ id, title: `Job ${index + 1}` })).jobs.at(-1)!.id;
    await app.as(writer.token).serviceTickets.addLine({ id, job_id: jobId, ...line });
    jobs.push(jobId);
  }
  return { id, jobs };
}

const labor = (hours: string): LineBody => ({ type: 'labor', description: 'Work', hours });
const fee = (amount: string): LineBody => ({ type: 'fee', description: 'Fee', amount });
const part = (inventoryId: number, quantity: number): LineBody => ({ type: 'part', inventory_id: inventoryId, quantity });

const ticketOf = (id: number) => app.as(writer.token).serviceTickets.byId({ id });
const versionOf = async (id: number) => (await ticketOf(id)).estimate_version;
const stockOf = async (inventoryId: number) => (await app.as(owner.token).inventory.byId({ id: inventoryId })).quantity;
const approvalsOf = async (id: number) => (await app.as(writer.token).approvals.list({ id, per_page: 100 })).items;

/** Ada's decisions in the portal, at the ticket's current version unless one is given. */
async function inPortal(id: number, decisions: Decisions, version?: number) {
  const estimate_version = version ?? (await versionOf(id));
  return app.as(ada.token, '203.0.113.7').approvals.create({ id, estimate_version, decisions, signature_name: 'Ada Lovelace' });
}

/** The service writer records Ada's decisions given on the phone, at the current version. */
async function byPhone(id: number, decisions: Decisions) {
  return app
    .as(writer.token)
    .approvals.create({ id, estimate_version: await versionOf(id), decisions, signature_name: 'Ada Lovelace', ...BY_PHONE });
}

const approve = (...jobIds: number[]): Decisions => jobIds.map((job_id) => ({ job_id, decision: 'approve' }));
const decline = (...jobIds: number[]): Decisions => jobIds.map((job_id) => ({ job_id, decision: 'decline', reason: 'Not now' }));

/** YYYY-MM-DD `days` after the day of `instant` (UTC). */
function daysAfter(instant: string, days: number): string {
  const day = new Date(`${instant.slice(0, 10)}T00:00:00.000Z`);
  day.setUTCDate(day.getUTCDate() + days);
  return day.toISOString().slice(0, 10);
}

describe('jobs have an authorization state', () => {
  it('a new job is pending, with no decision', async () => {
    const { id } = await ticketWithJobs(labor('1.00'));
    expect((await ticketOf(id)).jobs[0]).toMatchObject({
      authorization: 'pending',
      decided_at: null,
      approval_id: null,
      decline_reason: null,
      follow_up_on: null,
      revived_at: null,
    });
  });
});

describe('a change of tax rates or shop supplies', () => {
  it('sends approved jobs back to pending, but for those of invoiced tickets: the customer approved the old figures', async () => {
    const open = await ticketWithJobs(fee('100.00'));
    const invoiced = await ticketWithJobs(fee('100.00'));
    for (const { id, jobs } of [open, invoiced]) await inPortal(id, approve(...jobs));
    for (const status of ['IN_PROGRESS', 'COMPLETED'] as const) await app.as(writer.token).serviceTickets.edit({ id: invoiced.id, status });
    await app.as(writer.token).invoices.create({ id: invoiced.id });
    const { tax_rates, labor_rate } = await app.as(owner.token).shop.settings();
    try {
      await app.as(owner.token).shop.updateSettings({ tax_rates: { fees: '7.250' } });
      expect((await ticketOf(open.id)).jobs[0]).toMatchObject({ authorization: 'pending', decided_at: null, approval_id: null });
      expect((await ticketOf(invoiced.id)).jobs[0]).toMatchObject({ authorization: 'approved' });
      // The labor rate prices new lines only: no new figures, nothing to approve again.
      await inPortal(open.id, approve(...open.jobs));
      await app.as(owner.token).shop.updateSettings({ labor_rate: '140.00' });
      expect((await ticketOf(open.id)).jobs[0]).toMatchObject({ authorization: 'approved' });
    } finally {
      await app.as(owner.token).shop.updateSettings({ tax_rates, labor_rate });
    }
  });
});

describe('recording an approval', () => {
  it('the owning customer decides in the portal: 201 the record; the jobs take its decisions; estimate_version stays', async () => {
    const { id, jobs } = await ticketWithJobs(labor('1.00'), fee('20.00'));
    const version = await versionOf(id);
    const record = await inPortal(id, [
      { job_id: jobs[0]!, decision: 'approve' },
      { job_id: jobs[1]!, decision: 'decline', reason: 'Next month' },
    ]);
    expect(record).toEqual({
      id: expect.any(Number),
      service_ticket_id: id,
      estimate_version: version,
      method: 'portal',
      recorded_by: { kind: 'customer', id: ada.customer.id },
      contact_name: null,
      contact_phone: null,
      signature_name: 'Ada Lovelace',
      decisions: [
        { job_id: jobs[0], job_title: 'Job 1', decision: 'approve', reason: null, amount: '120.00' },
        { job_id: jobs[1], job_title: 'Job 2', decision: 'decline', reason: 'Next month', amount: '20.00' },
      ],
      approved_amount: '120.00',
      client_ip: '203.0.113.7',
      user_agent: '',
      created_at: expect.any(String),
    });

    const ticket = await ticketOf(id);
    expect(ticket.estimate_version).toBe(version);
    expect(ticket.jobs[0]).toMatchObject({
      authorization: 'approved',
      decided_at: record.created_at,
      approval_id: record.id,
      decline_reason: null,
      follow_up_on: null,
    });
    expect(ticket.jobs[1]).toMatchObject({
      authorization: 'declined',
      decided_at: record.created_at,
      approval_id: record.id,
      decline_reason: 'Next month',
      // The shop's default declined_follow_up_days.
      follow_up_on: daysAfter(record.created_at, 14),
    });
    // The declined job shows its own totals and is left out of the ticket's.
    expect(ticket.jobs[1]!.totals.total).toBe('20.00');
    expect(ticket).toMatchObject({ total: '120.00', totals: { fees: '0.00', total: '120.00' } });
    expect(await app.as(ada.token).approvals.list({ id })).toMatchObject({ items: [record], total: 1 });
  });

  it("owners and service writers record it on the customer's behalf, saying how it was given; technicians may not (403)", async () => {
    const { id, jobs } = await ticketWithJobs(labor('1.00'));
    await app.as(writer.token).assignments.create({ service_ticket_id: id, mechanic_id: technician.mechanic.id });
    const estimate_version = await versionOf(id);
    const body = { id, estimate_version, decisions: approve(jobs[0]!), signature_name: 'Ada Lovelace' };

    const missingMethod = await app
      .as(writer.token)
      .approvals.create(body)
      .catch((error: AppError) => error);
    expect(missingMethod).toMatchObject({ problem: 'validation_failed', fields: [{ field: 'method' }] });
    const phoneAlone = await app
      .as(writer.token)
      .approvals.create({ ...body, method: 'phone' })
      .catch((error: AppError) => error);
    expect(phoneAlone).toMatchObject({ problem: 'validation_failed', fields: [{ field: 'contact_name' }, { field: 'contact_phone' }] });
    expect(await reasonOf(app.as(writer.token).approvals.create({ ...body, method: 'phone', contact_name: 'Ada' }))).toBe(
      'validation_failed',
    );
    expect(await reasonOf(app.as(technician.token).approvals.create({ ...body, method: 'in_person' }))).toBe('forbidden');
    expect(await approvalsOf(id)).toEqual([]);

    const byWriter = await app.as(writer.token).approvals.create({ ...body, ...BY_PHONE });
    expect(byWriter).toMatchObject({
      method: 'phone',
      recorded_by: { kind: 'staff', id: writer.mechanic.id },
      contact_name: 'Ada Lovelace',
      contact_phone: '+44 20 7946 0000',
    });
    const byOwner = await app.as(owner.token).approvals.create({ ...body, method: 'text' });
    expect(byOwner).toMatchObject({ method: 'text', recorded_by: { kind: 'staff', id: owner.mechanic.id }, contact_name: null });
  });

  it('a customer sends no method or contact fields: a 400 naming them', async () => {
    const { id, jobs } = await ticketWithJobs(labor('1.00'));
    const body = { id, estimate_version: await versionOf(id), decisions: approve(jobs[0]!), signature_name: 'Ada Lovelace' };
    for (const extra of [{ method: 'in_person' as const }, { contact_name: 'Ada' }, { contact_phone: '+1 555 0100' }]) {
      const refusal = await app
        .as(ada.token)
        .approvals.create({ ...body, ...extra })
        .catch((error: AppError) => error);
      expect(refusal).toMatchObject({ problem: 'validation_failed', fields: [{ field: Object.keys(extra)[0] }] });
    }
    expect(await approvalsOf(id)).toEqual([]);
    // Their own method, said out loud, is fine; staff may not claim it.
    expect((await app.as(ada.token).approvals.create({ ...body, method: 'portal' })).method).toBe('portal');
    const writerClaims = app
      .as(writer.token)
      .approvals.create({ ...body, method: 'portal' })
      .catch((error: AppError) => error);
    expect(await writerClaims).toMatchObject({ problem: 'validation_failed', fields: [{ field: 'method' }] });
  });

  it("another customer's ticket and an unknown one are 404s; so is a job not on the ticket, named, and nothing is recorded", async () => {
    const { id, jobs } = await ticketWithJobs(labor('1.00'));
    const other = await ticketWithJobs(labor('1.00'));
    const estimate_version = await versionOf(id);
    const body = { id, estimate_version, decisions: approve(jobs[0]!), signature_name: 'Bob' };
    expect(await reasonOf(app.as(bob.token).approvals.create(body))).toBe('not_found');
    expect(await reasonOf(app.as(bob.token).approvals.list({ id }))).toBe('not_found');
    expect(await reasonOf(app.as(ada.token).approvals.create({ ...body, id: 999_999 }))).toBe('not_found');

    const unknown = await app
      .as(ada.token)
      .approvals.create({ ...body, decisions: [...approve(jobs[0]!), ...decline(other.jobs[0]!)] })
      .catch((error: AppError) => error);
    expect(unknown).toBeInstanceOf(AppError);
    expect(unknown).toMatchObject({ problem: 'not_found', fields: [{ field: 'decisions.1.job_id' }] });
    expect((unknown as AppError).message).toContain(String(other.jobs[0]));
    expect(await approvalsOf(id)).toEqual([]);
    expect((await ticketOf(id)).jobs[0]!.authorization).toBe('pending');
  });

  it('takes at least one decision, and one per job', async () => {
    const { id, jobs } = await ticketWithJobs(labor('1.00'));
    expect(await reasonOf(inPortal(id, []))).toBe('validation_failed');
    const twice = await inPortal(id, [...approve(jobs[0]!), ...decline(jobs[0]!)]).catch((error: AppError) => error);
    expect(twice).toMatchObject({ code: 'BAD_REQUEST' });
    expect(await approvalsOf(id)).toEqual([]);
  });

  it('a version other than the current one is 409 estimate_changed, carrying the current version; nothing is recorded', async () => {
    const { id, jobs } = await ticketWithJobs(labor('1.00'));
    const seen = await versionOf(id);
    await app.as(writer.token).serviceTickets.addLine({ id, job_id: jobs[0]!, ...fee('5.00') });
    for (const stale of [seen, seen + 5]) {
      const refusal = await inPortal(id, approve(jobs[0]!), stale).catch((error: AppError) => error);
      expect(refusal).toMatchObject({ problem: 'estimate_changed', details: { current_estimate_version: seen + 1 } });
    }
    // A change of tax rates prices every ticket anew: its version moves too.
    await app.as(owner.token).shop.updateSettings({ tax_rates: { sublet: '1' } });
    const refusal = await inPortal(id, approve(jobs[0]!), seen + 1).catch((error: AppError) => error);
    expect(refusal).toMatchObject({ problem: 'estimate_changed', details: { current_estimate_version: seen + 2 } });
    await app.as(owner.token).shop.updateSettings({ tax_rates: { sublet: '0' } });
    expect(await approvalsOf(id)).toEqual([]);
    expect((await ticketOf(id)).jobs[0]!.authorization).toBe('pending');
  });

  it('a cancelled ticket takes no approval (409 ticket_cancelled)', async () => {
    const { id, jobs } = await ticketWithJobs(labor('1.00'));
    await app.as(writer.token).serviceTickets.edit({ id, status: 'CANCELLED' });
    expect(await reasonOf(inPortal(id, approve(jobs[0]!)))).toBe('ticket_cancelled');
    expect(await approvalsOf(id)).toEqual([]);
  });

  it('a decision may change an earlier one; the records stay, listed newest first, to staff of any role and the customer', async () => {
    const { id, jobs } = await ticketWithJobs(labor('1.00'), labor('2.00'));
    const first = await inPortal(id, approve(jobs[0]!, jobs[1]!));
    const second = await byPhone(id, decline(jobs[1]!));
    const third = await inPortal(id, approve(jobs[1]!));
    expect([first, second, third].map((record) => record.approved_amount)).toEqual(['360.00', '120.00', '360.00']);
    expect((await ticketOf(id)).jobs.map((job) => [job.authorization, job.approval_id, job.decline_reason])).toEqual([
      ['approved', first.id, null],
      ['approved', third.id, null],
    ]);
    for (const { token } of [owner, writer, technician, ada]) {
      expect((await app.as(token).approvals.list({ id })).items.map((record) => record.id)).toEqual([third.id, second.id, first.id]);
    }
    expect(await app.as(ada.token).approvals.list({ id, per_page: 2, page: 2 })).toMatchObject({
      items: [{ id: first.id }],
      total: 3,
      pages: 2,
    });
  });

  it("approved_amount: the approved jobs priced together, with their shares of shop supplies and tax; a declined job's own total", async () => {
    await app.as(owner.token).shop.updateSettings({
      tax_rates: { labor: '5', parts: '8.875', fees: '8.875', sublet: '0' },
      shop_supplies: { percent_of_labor: '5', cap: '10.00', taxable: true },
    });
    const item = await app.as(owner.token).inventory.create(newInventoryItem({ price: '33.33', quantity: 10 }));
    const { id, jobs } = await ticketWithJobs(labor('1.25'), part(item.id, 3), labor('0.75'));
    await app.as(writer.token).serviceTickets.addLine({ id, job_id: jobs[1]!, ...labor('0.50') });

    const first = await byPhone(id, [...approve(jobs[0]!, jobs[1]!), ...decline(jobs[2]!)]);
    let ticket = await ticketOf(id);
    // Nothing pending: the ticket's totals are those of the approved jobs.
    expect(first.approved_amount).toBe(ticket.total);
    expect(first.decisions.map((decision) => decision.amount)).toEqual(ticket.jobs.map((job) => job.totals.total));
    expect(formatCents(parseCents(first.decisions[0]!.amount)! + parseCents(first.decisions[1]!.amount)!)).toBe(first.approved_amount);

    const second = await byPhone(id, approve(jobs[2]!));
    ticket = await ticketOf(id);
    expect(second.approved_amount).toBe(ticket.total);
    expect(second.decisions).toEqual([expect.objectContaining({ job_id: jobs[2], amount: ticket.jobs[2]!.totals.total })]);
    await app.as(owner.token).shop.updateSettings({
      tax_rates: { labor: '0', parts: '0', fees: '0', sublet: '0' },
      shop_supplies: { percent_of_labor: '0', cap: '0', taxable: false },
    });
  });

  it('a declined job brought back into another ticket is not approved here again (409 already_revived)', async () => {
    const { id, jobs } = await ticketWithJobs(labor('1.00'));
    await inPortal(id, decline(jobs[0]!));
    await app.services.db.job.update({ where: { id: jobs[0]! }, data: { revivedAt: new Date() } });
    expect(await reasonOf(inPortal(id, approve(jobs[0]!)))).toBe('already_revived');
    expect((await ticketOf(id)).jobs[0]).toMatchObject({ authorization: 'declined', revived_at: expect.any(String) });
  });
});

describe('declined jobs and stock', () => {
  it("declining puts a job's parts back in stock and its lines stay, out of the ticket's totals; approving again takes them", async () => {
    const item = await app.as(owner.token).inventory.create(newInventoryItem({ price: '49.90', quantity: 5 }));
    const { id, jobs } = await ticketWithJobs(part(item.id, 2), labor('1.00'));
    expect(await stockOf(item.id)).toBe(3);
    await inPortal(id, [...decline(jobs[0]!), ...approve(jobs[1]!)]);
    expect(await stockOf(item.id)).toBe(5);
    const ticket = await ticketOf(id);
    expect(ticket.jobs[0]!.lines).toEqual([expect.objectContaining({ type: 'part', inventory_id: item.id, quantity: 2 })]);
    expect(ticket.jobs[0]!.totals).toMatchObject({ parts: '99.80', total: '99.80' });
    expect(ticket).toMatchObject({ parts: [], parts_total: '0.00', total: '120.00' });

    await inPortal(id, approve(jobs[0]!));
    expect(await stockOf(item.id)).toBe(3);
    expect(await ticketOf(id)).toMatchObject({ parts_total: '99.80', total: '219.80' });
  });

  it('approving a declined job without the stock for it is 409 insufficient_stock, and nothing is recorded', async () => {
    const item = await app.as(owner.token).inventory.create(newInventoryItem({ quantity: 4 }));
    const { id, jobs } = await ticketWithJobs(part(item.id, 3));
    await inPortal(id, decline(jobs[0]!));
    // The parts went back to stock, and another ticket took them.
    await ticketWithJobs(part(item.id, 2));
    const before = await approvalsOf(id);
    expect(await reasonOf(inPortal(id, approve(jobs[0]!)))).toBe('insufficient_stock');
    expect(await approvalsOf(id)).toEqual(before);
    expect((await ticketOf(id)).jobs[0]!.authorization).toBe('declined');
    expect(await stockOf(item.id)).toBe(2);
  });

  it("a declined job's lines hold no stock: changing or deleting them moves none twice, and a change makes the job a new offer", async () => {
    const item = await app.as(owner.token).inventory.create(newInventoryItem({ price: '10.00', quantity: 10 }));
    const other = await app.as(owner.token).inventory.create(newInventoryItem({ price: '20.00', quantity: 10 }));
    const { id, jobs } = await ticketWithJobs(part(item.id, 2));
    const [job] = jobs as [number];
    const lineId = async () => (await ticketOf(id)).jobs[0]!.lines.at(-1)!.id;
    const stock = async () => [await stockOf(item.id), await stockOf(other.id)];

    await inPortal(id, decline(job));
    expect(await stock()).toEqual([10, 10]);
    // A new quantity: the job is pending again and its line takes the new quantity, once.
    let ticket = await app.as(writer.token).serviceTickets.editLine({ id, job_id: job, line_id: await lineId(), quantity: 3 });
    expect(ticket.jobs[0]).toMatchObject({ authorization: 'pending', decline_reason: null, follow_up_on: null, approval_id: null });
    expect(await stock()).toEqual([7, 10]);

    // Another part on a declined line: the new one is taken, the old one was in stock already.
    await inPortal(id, decline(job));
    await app.as(writer.token).serviceTickets.editLine({ id, job_id: job, line_id: await lineId(), inventory_id: other.id });
    expect(await stock()).toEqual([10, 7]);

    // Deleting a declined job's line puts nothing back; the job's other lines take their stock again.
    await app.as(writer.token).serviceTickets.addLine({ id, job_id: job, ...part(item.id, 1) });
    expect(await stock()).toEqual([9, 7]);
    await inPortal(id, decline(job));
    expect(await stock()).toEqual([10, 10]);
    ticket = await app.as(writer.token).serviceTickets.deleteLine({ id, job_id: job, line_id: await lineId() });
    expect(ticket.jobs[0]!.authorization).toBe('pending');
    expect(await stock()).toEqual([10, 7]);

    // Deleting a declined job puts nothing back either.
    await inPortal(id, decline(job));
    await app.as(writer.token).serviceTickets.deleteJob({ id, job_id: job });
    expect(await stock()).toEqual([10, 10]);
  });

  it('a change to a declined job whose parts are short is 409 insufficient_stock, and the job stays declined', async () => {
    const item = await app.as(owner.token).inventory.create(newInventoryItem({ quantity: 4 }));
    const { id, jobs } = await ticketWithJobs(part(item.id, 3));
    await inPortal(id, decline(jobs[0]!));
    await ticketWithJobs(part(item.id, 2));
    expect(await reasonOf(app.as(writer.token).serviceTickets.addLine({ id, job_id: jobs[0]!, ...labor('1.00') }))).toBe(
      'insufficient_stock',
    );
    expect((await ticketOf(id)).jobs[0]).toMatchObject({ authorization: 'declined', lines: [expect.objectContaining({ type: 'part' })] });
    expect(await stockOf(item.id)).toBe(2);
  });

  it("the seed's addPart leaves declined jobs alone; removePart takes a part off them without putting it back twice", async () => {
    const item = await app.as(owner.token).inventory.create(newInventoryItem({ quantity: 10 }));
    const { id, jobs } = await ticketWithJobs(part(item.id, 2), labor('1.00'));
    await inPortal(id, decline(jobs[0]!));
    expect(await stockOf(item.id)).toBe(10);
    const added = await app.as(writer.token).serviceTickets.addPart({ id, inventory_id: item.id, quantity: 1 });
    expect(added.jobs.map((job) => job.lines.map((line) => [line.type, line.quantity]))).toEqual([
      [['part', 2]],
      [
        ['labor', null],
        ['part', 1],
      ],
    ]);
    expect(added.jobs[0]!.authorization).toBe('declined');
    expect(await stockOf(item.id)).toBe(9);
    await app.as(writer.token).serviceTickets.removePart({ id, inventory_id: item.id });
    expect(await stockOf(item.id)).toBe(10);
    expect((await ticketOf(id)).jobs.map((job) => [job.authorization, job.lines.length])).toEqual([
      ['pending', 0],
      ['pending', 1],
    ]);
  });
});

describe('a change to the price of approved work', () => {
  it('sets the changed job back to pending, in the same write; other jobs, and its cause and correction, leave it approved', async () => {
    const item = await app.as(owner.token).inventory.create(newInventoryItem({ quantity: 50 }));
    const { id, jobs } = await ticketWithJobs(part(item.id, 1), labor('1.00'));
    const [changed, untouched] = jobs as [number, number];
    const lineOf = async () => (await ticketOf(id)).jobs[0]!.lines[0]!.id;
    const changes: Array<() => Promise<unknown>> = [
      () => app.as(writer.token).serviceTickets.addLine({ id, job_id: changed, ...fee('1.00') }),
      async () => app.as(writer.token).serviceTickets.editLine({ id, job_id: changed, line_id: await lineOf(), quantity: 2 }),
      async () => app.as(writer.token).serviceTickets.editLine({ id, job_id: changed, line_id: await lineOf(), description: 'Pads' }),
      () => app.as(writer.token).serviceTickets.addPart({ id, inventory_id: item.id, quantity: 1 }),
      async () => app.as(writer.token).serviceTickets.deleteLine({ id, job_id: changed, line_id: await lineOf() }),
      () => app.as(writer.token).serviceTickets.removePart({ id, inventory_id: item.id }),
    ];
    for (const change of changes) {
      if (!(await ticketOf(id)).jobs[0]!.lines.some((line) => line.type === 'part')) {
        await app.as(writer.token).serviceTickets.addLine({ id, job_id: changed, ...part(item.id, 1) });
      }
      const record = await inPortal(id, approve(changed, untouched));
      await app.as(writer.token).serviceTickets.editJob({ id, job_id: changed, cause: 'Worn', correction: 'Replaced' });
      expect((await ticketOf(id)).jobs[0]!.authorization).toBe('approved');
      await change();
      const ticket = await ticketOf(id);
      expect(ticket.jobs.map((job) => [job.authorization, job.decided_at === null, job.approval_id])).toEqual([
        ['pending', true, null],
        ['approved', false, record.id],
      ]);
    }
  });
});

describe('starting work', () => {
  it('a ticket with jobs moves to IN_PROGRESS only with an approved one (409 no_approved_work); one without jobs as before', async () => {
    const { id, jobs } = await ticketWithJobs(labor('1.00'), labor('2.00'));
    await app.as(writer.token).assignments.create({ service_ticket_id: id, mechanic_id: technician.mechanic.id });
    const start = (token: string) => app.as(token).serviceTickets.edit({ id, status: 'IN_PROGRESS' });
    expect(await reasonOf(start(writer.token))).toBe('no_approved_work');
    await inPortal(id, decline(jobs[0]!, jobs[1]!));
    expect(await reasonOf(start(technician.token))).toBe('no_approved_work');
    await inPortal(id, approve(jobs[1]!));
    expect(await start(technician.token)).toMatchObject({ status: 'IN_PROGRESS' });

    const bare = await app.as(ada.token).serviceTickets.open(newTicket());
    expect(await app.as(writer.token).serviceTickets.edit({ id: bare.id, status: 'IN_PROGRESS' })).toMatchObject({ status: 'IN_PROGRESS' });
  });
});

describe('the stale-version race', () => {
  it('a line changed while the customer approves: one of the two wins, and an approval never covers a price not seen', async () => {
    const { id, jobs } = await ticketWithJobs(labor('1.00'));
    const [job] = jobs as [number];
    const lineId = (await ticketOf(id)).jobs[0]!.lines[0]!.id;
    let approved = 0;
    for (let round = 1; round <= 12; round++) {
      const seen = await ticketOf(id);
      const seenTotal = seen.jobs[0]!.totals.total;
      const hours = `${(round % 5) + 1}.${String(round).padStart(2, '0')}`;
      const [approval, change] = await Promise.allSettled([
        inPortal(id, approve(job), seen.estimate_version),
        app.as(writer.token).serviceTickets.editLine({ id, job_id: job, line_id: lineId, hours }),
      ]);
      // The price change always lands, after the approval or before it.
      expect(change.status, `round ${round}`).toBe('fulfilled');
      const ticket = await ticketOf(id);
      expect(ticket.jobs[0]!.authorization, `round ${round}`).toBe('pending');
      if (approval.status === 'fulfilled') {
        approved++;
        expect(approval.value).toMatchObject({ estimate_version: seen.estimate_version, approved_amount: seenTotal });
        expect(approval.value.decisions[0]!.amount).toBe(seenTotal);
      } else {
        const refusal = await rejectionOf(Promise.reject(approval.reason as Error));
        expect(refusal.reason, `round ${round}`).toBe('estimate_changed');
        expect(approval.reason).toMatchObject({ details: { current_estimate_version: ticket.estimate_version } });
      }
    }
    // A refused approval left no record.
    expect(await approvalsOf(id)).toHaveLength(approved);
  });

  it('whatever runs at once, an approved job is always at the price of the approval that approved it', async () => {
    const { id, jobs } = await ticketWithJobs(labor('1.00'), labor('1.00'));
    const lineOf = async (index: number) => (await ticketOf(id)).jobs[index]!.lines[0]!.id;
    const lines = [await lineOf(0), await lineOf(1)];
    for (let round = 1; round <= 8; round++) {
      const seen = await ticketOf(id);
      await Promise.allSettled([
        inPortal(id, approve(jobs[0]!, jobs[1]!), seen.estimate_version),
        app.as(writer.token).serviceTickets.editLine({ id, job_id: jobs[round % 2]!, line_id: lines[round % 2]!, hours: `${round}.00` }),
        inPortal(id, approve(jobs[0]!), seen.estimate_version),
      ]);
      const ticket = await ticketOf(id);
      const records = new Map((await approvalsOf(id)).map((record) => [record.id, record]));
      for (const job of ticket.jobs.filter((candidate) => candidate.authorization === 'approved')) {
        const decision = records.get(job.approval_id!)!.decisions.find((candidate) => candidate.job_id === job.id)!;
        // Each job alone, untaxed: its price is its total, whatever the other job does.
        expect(job.totals.total, `round ${round}`).toBe(decision.amount);
      }
    }
  });
});
