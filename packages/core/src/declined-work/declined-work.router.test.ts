import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouterInputs } from '../router.ts';
import { newInventoryItem, newTicket, signUpCustomer, signUpMechanic } from '../testing/fixtures.ts';
import { createTestApp, reasonOf, type TestApp } from '../testing/index.ts';

/*
 * Declined work (issue 17): the follow-up list of jobs customers declined, its
 * filters and pages; bringing a job back at today's prices into an open ticket
 * of its vehicle or a new one, once; and the vehicle's history showing it.
 */

let app: TestApp;
let owner: Awaited<ReturnType<typeof signUpMechanic>>;
let writer: Awaited<ReturnType<typeof signUpMechanic>>;
let technician: Awaited<ReturnType<typeof signUpMechanic>>;
let itemId: number;

type Customer = Awaited<ReturnType<typeof signUpCustomer>>;
type Decision = RouterInputs['approvals']['create']['decisions'][number];

beforeAll(async () => {
  app = await createTestApp();
  owner = await signUpMechanic(app);
  writer = await signUpMechanic(app, { role: 'service_writer' });
  technician = await signUpMechanic(app, { role: 'technician' });
  itemId = (await app.as(owner.token).inventory.create(newInventoryItem({ price: '49.90', quantity: 10_000 }))).id;
  await app.as(owner.token).shop.updateSettings({
    labor_rate: '120.00',
    tax_rates: { labor: '0', parts: '8.875', fees: '0', sublet: '0' },
    declined_follow_up_days: 14,
  });
});
afterAll(() => app.close());

const today = (offsetDays = 0) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

/** Records decisions on a ticket, as the service writer taking them in person. */
async function decide(id: number, decisions: Decision[]) {
  const { estimate_version } = await app.as(writer.token).serviceTickets.byId({ id });
  return app.as(writer.token).approvals.create({ id, estimate_version, decisions, signature_name: 'Ada Lovelace', method: 'in_person' });
}

/**
 * A ticket of `customer` (on `vehicleId`, or a new car) with an approved brakes
 * job and a timing-belt job the customer declines: labor, two parts, a fee and
 * sublet work at 10% off. `followUpDays` is the shop's delay when it is declined.
 */
async function declinedJob(
  customer: Customer,
  { vehicleId, followUpDays = 14, reason = 'Next month' } = {} as {
    vehicleId?: number;
    followUpDays?: number;
    reason?: string;
  },
) {
  const ticket = await app
    .as(customer.token)
    .serviceTickets.open(vehicleId === undefined ? newTicket() : newTicket({ vin: undefined, vehicle_id: vehicleId }));
  const id = ticket.id;
  const brakes = (await app.as(writer.token).serviceTickets.addJob({ id, title: 'Front brakes' })).jobs[0]!.id;
  const belt = (
    await app.as(writer.token).serviceTickets.addJob({ id, title: 'Timing belt', concern: 'Due at 100k', pay_type: 'customer' })
  ).jobs[1]!.id;
  const line = (jobId: number, body: Record<string, unknown>) =>
    app.as(writer.token).serviceTickets.addLine({ id, job_id: jobId, ...body } as RouterInputs['serviceTickets']['addLine']);
  await line(brakes, { type: 'fee', description: 'Inspection', amount: '20.00' });
  await line(belt, { type: 'labor', description: 'Replace belt', hours: '3.00', technician_id: technician.mechanic.id });
  await line(belt, { type: 'part', inventory_id: itemId, quantity: 2 });
  await line(belt, { type: 'fee', description: 'Coolant', amount: '15.00', taxable: false });
  await line(belt, { type: 'sublet', description: 'Pulley machining', amount: '40.00', cost: '25.00', discount: { percent: '10' } });
  await app.as(owner.token).shop.updateSettings({ declined_follow_up_days: followUpDays });
  await decide(id, [
    { job_id: brakes, decision: 'approve' },
    { job_id: belt, decision: 'decline', reason },
  ]);
  const after = await app.as(owner.token).serviceTickets.byId({ id });
  return { id, brakes, belt, vehicleId: after.vehicle.id, ticket: after };
}

async function stock(): Promise<number> {
  return (await app.as(owner.token).inventory.byId({ id: itemId })).quantity;
}

describe('the follow-up list', () => {
  it('shows each declined job with its vehicle, customer, amount, reason and follow-up day; staff of every role read it', async () => {
    const ada = await signUpCustomer(app, { name: 'Ada Lovelace' });
    const { id, belt, ticket } = await declinedJob(ada);
    const declined = ticket.jobs.find((job) => job.id === belt)!;
    for (const { token } of [owner, writer, technician]) {
      const page = await app.as(token).declinedWork.list({ customer_id: ada.customer.id });
      expect(page).toEqual({
        items: [
          {
            job_id: belt,
            title: 'Timing belt',
            service_ticket_id: id,
            vehicle: ticket.vehicle,
            customer: { id: ada.customer.id, name: 'Ada Lovelace' },
            amount: declined.totals.total,
            reason: 'Next month',
            declined_at: declined.decided_at,
            follow_up_on: today(14),
          },
        ],
        page: 1,
        per_page: 20,
        total: 1,
        pages: 1,
      });
    }
    // The job's own total with its tax: labor 360.00, parts 99.80 + 8.86 tax, fee 15.00, sublet 36.00.
    expect(declined.totals.total).toBe('519.66');
    // Not counted in the ticket's totals: those are the approved brakes job's.
    expect(ticket.total).toBe('20.00');
  });

  it('is refused to customers and to callers without a token', async () => {
    const ada = await signUpCustomer(app);
    expect(await reasonOf(app.as(ada.token).declinedWork.list({}))).toBe('forbidden');
    expect(await reasonOf(app.as().declinedWork.list({}))).toBe('unauthenticated');
  });

  it('lists the longest-due follow-up first, by customer, vehicle and due day, in pages', async () => {
    const grace = await signUpCustomer(app);
    const late = await declinedJob(grace, { followUpDays: 30 });
    const soon = await declinedJob(grace, { followUpDays: 5, vehicleId: late.vehicleId });
    const middle = await declinedJob(grace, { followUpDays: 12 });
    await app.as(owner.token).shop.updateSettings({ declined_follow_up_days: 14 });
    const list = async (query: RouterInputs['declinedWork']['list']) =>
      (await app.as(writer.token).declinedWork.list({ customer_id: grace.customer.id, ...query })).items.map((item) => item.job_id);

    expect(await list({})).toEqual([soon.belt, middle.belt, late.belt]);
    expect(await list({ vehicle_id: late.vehicleId })).toEqual([soon.belt, late.belt]);
    expect(await app.as(writer.token).declinedWork.list({ vehicle_id: middle.vehicleId })).toMatchObject({
      items: [{ job_id: middle.belt }],
      total: 1,
    });
    // Due on or before the day given.
    expect(await list({ due_before: today(12) })).toEqual([soon.belt, middle.belt]);
    expect(await list({ due_before: today(11) })).toEqual([soon.belt]);
    expect(await list({ due_before: today(4) })).toEqual([]);

    const second = await app.as(writer.token).declinedWork.list({ customer_id: grace.customer.id, page: 2, per_page: 2 });
    expect(second).toMatchObject({ page: 2, per_page: 2, total: 3, pages: 2 });
    expect(second.items.map((item) => item.job_id)).toEqual([late.belt]);
    // A decision changed to approve takes the job off the list.
    await decide(late.id, [{ job_id: late.belt, decision: 'approve' }]);
    expect(await list({})).toEqual([soon.belt, middle.belt]);
  });

  it('refuses filters it does not know, and bad days', async () => {
    expect(await reasonOf(app.as(writer.token).declinedWork.list({ due_before: '2026-13-01' }))).toBe('validation_failed');
    expect(await reasonOf(app.as(writer.token).declinedWork.list({ status: 'declined' } as never))).toBe('validation_failed');
  });
});

describe('reviving a declined job', () => {
  it("into a new PENDING ticket: the job and its lines at today's prices, parts taken from stock; the job leaves the list", async () => {
    const ada = await signUpCustomer(app);
    const { id, belt, vehicleId, ticket } = await declinedJob(ada);
    await app.as(owner.token).shop.updateSettings({ labor_rate: '150.00' });
    await app.as(owner.token).inventory.update({ id: itemId, price: '55.00' });
    const stockBefore = await stock();
    try {
      const revived = await app.as(writer.token).declinedWork.revive({ job_id: belt });
      expect(revived.id).not.toBe(id);
      expect(revived).toMatchObject({
        customer_id: ada.customer.id,
        vehicle: { id: vehicleId },
        status: 'PENDING',
        title: 'Timing belt',
        description: 'Due at 100k',
        service_date: today(),
      });
      expect(revived.jobs).toHaveLength(1);
      const [copy] = revived.jobs;
      expect(copy).toMatchObject({ title: 'Timing belt', concern: 'Due at 100k', pay_type: 'customer', authorization: 'pending' });
      expect(
        copy!.lines.map(({ type, hours, rate, technician_id, quantity, unit_price, amount, cost, discount }) => ({
          type,
          hours,
          rate,
          technician_id,
          quantity,
          unit_price,
          amount,
          cost,
          discount,
        })),
      ).toEqual([
        {
          type: 'labor',
          hours: '3.00',
          rate: '150.00',
          technician_id: null,
          quantity: null,
          unit_price: null,
          amount: '450.00',
          cost: undefined,
          discount: null,
        },
        {
          type: 'part',
          hours: null,
          rate: null,
          technician_id: null,
          quantity: 2,
          unit_price: '55.00',
          amount: '110.00',
          cost: undefined,
          discount: null,
        },
        {
          type: 'fee',
          hours: null,
          rate: null,
          technician_id: null,
          quantity: null,
          unit_price: null,
          amount: '15.00',
          cost: undefined,
          discount: null,
        },
        {
          type: 'sublet',
          hours: null,
          rate: null,
          technician_id: null,
          quantity: null,
          unit_price: null,
          amount: '40.00',
          cost: '25.00',
          discount: { percent: '10.000' },
        },
      ]);
      expect(copy!.lines[2]!.taxable).toBe(false);
      expect(await stock()).toBe(stockBefore - 2);

      const original = (await app.as(owner.token).serviceTickets.byId({ id })).jobs.find((job) => job.id === belt)!;
      expect(original.authorization).toBe('declined');
      expect(original.revived_at).not.toBeNull();
      // The old offer keeps its prices.
      expect(original.totals).toEqual(ticket.jobs.find((job) => job.id === belt)!.totals);
      expect((await app.as(writer.token).declinedWork.list({ customer_id: ada.customer.id })).items).toEqual([]);
    } finally {
      await app.as(owner.token).shop.updateSettings({ labor_rate: '120.00' });
      await app.as(owner.token).inventory.update({ id: itemId, price: '49.90' });
    }
  });

  it('into an open ticket of the same vehicle: the copy is added to its jobs and its estimate changes', async () => {
    const ada = await signUpCustomer(app);
    const { belt, vehicleId } = await declinedJob(ada);
    const open = await app.as(ada.token).serviceTickets.open(newTicket({ vin: undefined, vehicle_id: vehicleId }));
    const withJob = await app.as(writer.token).serviceTickets.addJob({ id: open.id, title: 'Oil change' });
    const revived = await app.as(owner.token).declinedWork.revive({ job_id: belt, service_ticket_id: open.id });
    expect(revived.id).toBe(open.id);
    expect(revived.jobs.map((job) => [job.title, job.authorization])).toEqual([
      ['Oil change', 'pending'],
      ['Timing belt', 'pending'],
    ]);
    expect(revived.estimate_version).toBe(withJob.estimate_version + 1);
    expect(revived.total).toBe(revived.jobs[1]!.totals.total);
  });

  it('only into an open ticket of the same vehicle (an invoiced one is COMPLETED)', async () => {
    const ada = await signUpCustomer(app);
    const { id, brakes, belt, vehicleId } = await declinedJob(ada);
    const otherCar = await app.as(ada.token).serviceTickets.open(newTicket());
    expect(await reasonOf(app.as(writer.token).declinedWork.revive({ job_id: belt, service_ticket_id: otherCar.id }))).toBe(
      'vehicle_mismatch',
    );
    const cancelled = await app.as(ada.token).serviceTickets.open(newTicket({ vin: undefined, vehicle_id: vehicleId }));
    await app.as(writer.token).serviceTickets.edit({ id: cancelled.id, status: 'CANCELLED' });
    expect(await reasonOf(app.as(writer.token).declinedWork.revive({ job_id: belt, service_ticket_id: cancelled.id }))).toBe(
      'ticket_not_open',
    );
    // The declined job's own ticket, its brakes approved, once the work is done.
    await app.as(writer.token).serviceTickets.edit({ id, status: 'IN_PROGRESS' });
    await app.as(writer.token).serviceTickets.edit({ id, status: 'COMPLETED' });
    expect(await reasonOf(app.as(writer.token).declinedWork.revive({ job_id: belt, service_ticket_id: id }))).toBe('ticket_not_open');
    expect(await reasonOf(app.as(writer.token).declinedWork.revive({ job_id: belt, service_ticket_id: 2_000_000 }))).toBe('not_found');
    // None of that revived it; a job that was not declined is not revived either.
    expect((await app.as(writer.token).declinedWork.list({ customer_id: ada.customer.id })).total).toBe(1);
    expect(await reasonOf(app.as(writer.token).declinedWork.revive({ job_id: brakes }))).toBe('job_not_declined');
    expect(await reasonOf(app.as(writer.token).declinedWork.revive({ job_id: 2_000_000 }))).toBe('not_found');
  });

  it('once: reviving it again is a 409 already_revived', async () => {
    const ada = await signUpCustomer(app);
    const { belt } = await declinedJob(ada);
    await app.as(writer.token).declinedWork.revive({ job_id: belt });
    expect(await reasonOf(app.as(writer.token).declinedWork.revive({ job_id: belt }))).toBe('already_revived');
  });

  it('is for owners and service writers', async () => {
    const ada = await signUpCustomer(app);
    const { belt } = await declinedJob(ada);
    expect(await reasonOf(app.as(technician.token).declinedWork.revive({ job_id: belt }))).toBe('forbidden');
    expect(await reasonOf(app.as(ada.token).declinedWork.revive({ job_id: belt }))).toBe('forbidden');
  });

  it('changes nothing when its parts are short: 409 insufficient_stock', async () => {
    const ada = await signUpCustomer(app);
    const { belt } = await declinedJob(ada);
    const before = await stock();
    await app.as(owner.token).inventory.update({ id: itemId, quantity: 1 });
    try {
      expect(await reasonOf(app.as(writer.token).declinedWork.revive({ job_id: belt }))).toBe('insufficient_stock');
      expect(await stock()).toBe(1);
      expect((await app.as(writer.token).declinedWork.list({ customer_id: ada.customer.id })).total).toBe(1);
      expect((await app.as(writer.token).serviceTickets.list({ customer_id: ada.customer.id })).total).toBe(1);
    } finally {
      await app.as(owner.token).inventory.update({ id: itemId, quantity: before });
    }
  });

  it('revived by several calls at once, it is copied once and its parts taken once', async () => {
    for (let round = 0; round < 3; round++) {
      const ada = await signUpCustomer(app);
      const { belt } = await declinedJob(ada);
      const before = await stock();
      const reasons = await Promise.all(
        Array.from({ length: 4 }, () => reasonOf(app.as(writer.token).declinedWork.revive({ job_id: belt })).catch(() => 'revived')),
      );
      expect(reasons.sort(), `round ${round}`).toEqual(['already_revived', 'already_revived', 'already_revived', 'revived']);
      expect(await stock()).toBe(before - 2);
      expect((await app.as(writer.token).serviceTickets.list({ customer_id: ada.customer.id })).total).toBe(2);
    }
  });
});

describe("the vehicle's history", () => {
  it('shows the work declined on its tickets, with its amount and reason, and when it was brought back', async () => {
    const ada = await signUpCustomer(app);
    const { id, belt, vehicleId, ticket } = await declinedJob(ada, { reason: 'Too expensive' });
    const declined = ticket.jobs.find((job) => job.id === belt)!;
    const history = await app.as(ada.token).vehicles.history({ id: vehicleId });
    expect(history.declined_work).toEqual([
      {
        job_id: belt,
        service_ticket_id: id,
        title: 'Timing belt',
        amount: declined.totals.total,
        reason: 'Too expensive',
        declined_at: declined.decided_at,
        follow_up_on: declined.follow_up_on,
        revived_at: null,
      },
    ]);
    expect(history.tickets.find((entry) => entry.id === id)!.total).toBe(ticket.total);

    const revived = await app.as(writer.token).declinedWork.revive({ job_id: belt });
    const after = await app.as(owner.token).vehicles.history({ id: vehicleId });
    expect(after.declined_work).toEqual([{ ...history.declined_work[0], revived_at: expect.any(String) }]);
    expect(after.tickets.map((entry) => entry.id)).toContain(revived.id);
  });
});
