import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouterInputs } from '../router.ts';
import { newInventoryItem, newTicket, signUpCustomer, signUpMechanic } from '../testing/fixtures.ts';
import { createTestApp, reasonOf, statementLog, type TestApp } from '../testing/index.ts';

/*
 * Jobs, lines and shop settings through the caller (issue 16): lines priced on
 * the ticket, estimate_version, who may do what, and stock moving with part lines.
 * The money engine's own rules are property-tested in src/estimates.
 */

let app: TestApp;
let owner: Awaited<ReturnType<typeof signUpMechanic>>;
let writer: Awaited<ReturnType<typeof signUpMechanic>>;
let technician: Awaited<ReturnType<typeof signUpMechanic>>;
let ada: Awaited<ReturnType<typeof signUpCustomer>>;

type NewLine = RouterInputs['serviceTickets']['addLine'];
type LineBody = Omit<NewLine, 'id' | 'job_id'>;

/** Settings with no tax and no shop supplies, so that a test's figures are its lines only. */
const UNTAXED = {
  labor_rate: '120.00',
  tax_rates: { labor: '0', parts: '0', fees: '0', sublet: '0' },
  shop_supplies: { percent_of_labor: '0', cap: '0', taxable: false },
};

beforeAll(async () => {
  app = await createTestApp();
  owner = await signUpMechanic(app, { name: 'Grace Hopper' });
  writer = await signUpMechanic(app, { role: 'service_writer' });
  technician = await signUpMechanic(app, { role: 'technician' });
  ada = await signUpCustomer(app);
});
afterAll(() => app.close());

/** A ticket of Ada's with one job: the ticket id and the job id. */
async function ticketWithJob(title = 'Front brakes'): Promise<{ id: number; jobId: number }> {
  const { id } = await app.as(ada.token).serviceTickets.open(newTicket());
  const ticket = await app.as(writer.token).serviceTickets.addJob({ id, title });
  return { id, jobId: ticket.jobs.at(-1)!.id };
}

function addLine(token: string, id: number, jobId: number, line: LineBody) {
  return app.as(token).serviceTickets.addLine({ id, job_id: jobId, ...line });
}

async function stockOf(inventoryId: number): Promise<number> {
  return (await app.as(owner.token).inventory.byId({ id: inventoryId })).quantity;
}

describe('shop settings', () => {
  it('a new shop has the defaults; every staff role reads them, customers do not', async () => {
    const defaults = {
      shop_name: 'Mechanic Shop',
      currency: 'USD',
      labor_rate: '120.00',
      tax_rates: { labor: '0.000', parts: '0.000', fees: '0.000', sublet: '0.000' },
      shop_supplies: { percent_of_labor: '0.000', cap: '0.00', taxable: false },
      declined_follow_up_days: 14,
      invoice_prefix: 'INV-',
    };
    for (const { token } of [owner, writer, technician]) expect(await app.as(token).shop.settings()).toEqual(defaults);
    expect(await reasonOf(app.as(ada.token).shop.settings())).toBe('forbidden');
  });

  it('the owner changes any subset; percentages come back with three decimals; others are refused', async () => {
    const after = await app.as(owner.token).shop.updateSettings({ tax_rates: { parts: '8.875' }, shop_supplies: { cap: '35' } });
    expect(after).toMatchObject({
      labor_rate: '120.00',
      tax_rates: { labor: '0.000', parts: '8.875', fees: '0.000', sublet: '0.000' },
      shop_supplies: { percent_of_labor: '0.000', cap: '35.00', taxable: false },
    });
    expect(await app.as(writer.token).shop.settings()).toEqual(after);
    for (const percent of ['8.8755', '100.001', '-1', 'ten']) {
      expect(await reasonOf(app.as(owner.token).shop.updateSettings({ tax_rates: { labor: percent } })), percent).toBe('validation_failed');
    }
    for (const { token } of [writer, technician]) {
      expect(await reasonOf(app.as(token).shop.updateSettings({ labor_rate: '1.00' }))).toBe('forbidden');
    }
    await app.as(owner.token).shop.updateSettings(UNTAXED);
  });

  it("a change of tax rates or shop supplies raises every ticket's estimate_version; the labor rate and shop name do not", async () => {
    const { id } = await ticketWithJob();
    const version = async () => (await app.as(owner.token).serviceTickets.byId({ id })).estimate_version;
    const before = await version();
    await app.as(owner.token).shop.updateSettings({ labor_rate: '130.00', shop_name: 'Hopper Motors' });
    expect(await version()).toBe(before);
    await app.as(owner.token).shop.updateSettings({ tax_rates: { labor: '5' } });
    expect(await version()).toBe(before + 1);
    await app.as(owner.token).shop.updateSettings({ shop_supplies: { taxable: true } });
    expect(await version()).toBe(before + 2);
    // The same values again change nothing.
    await app.as(owner.token).shop.updateSettings({ tax_rates: { labor: '5.000' } });
    expect(await version()).toBe(before + 2);
    await app.as(owner.token).shop.updateSettings({ ...UNTAXED, shop_name: 'Mechanic Shop' });
  });
});

describe('pricing a ticket', () => {
  it('the worked example: 8.875% tax, a 10% discount on 1.25 h × 99.99, capped taxable shop supplies', async () => {
    await app.as(owner.token).shop.updateSettings({
      tax_rates: { labor: '0', parts: '8.875', fees: '8.875', sublet: '0' },
      shop_supplies: { percent_of_labor: '5', cap: '35.00', taxable: true },
    });
    const pads = await app.as(owner.token).inventory.create(newInventoryItem({ price: '49.90', quantity: 10 }));
    const { id, jobId: brakes } = await ticketWithJob('Front brakes');
    await addLine(writer.token, id, brakes, {
      type: 'labor',
      description: 'Replace pads',
      hours: '1.25',
      rate: '99.99',
      discount: { percent: '10' },
    });
    await addLine(writer.token, id, brakes, { type: 'fee', description: 'Disposal', amount: '5.00', taxable: false });
    const rotors = (await app.as(writer.token).serviceTickets.addJob({ id, title: 'Rotors', pay_type: 'warranty' })).jobs[1]!.id;
    await addLine(writer.token, id, rotors, { type: 'part', inventory_id: pads.id, quantity: 2 });
    const ticket = await addLine(owner.token, id, rotors, {
      type: 'sublet',
      description: 'Machine rotors',
      amount: '80.00',
      cost: '50.00',
      discount: { amount: '5.00' },
    });

    // Labor 124.9875 → 124.99, less 12.499 → 12.50: 112.49. Supplies 5% of 112.49 = 5.6245 → 5.62.
    // Parts tax 99.80 × 8.875% = 8.85725 → 8.86; fees tax (supplies only) 5.62 × 8.875% = 0.49877… → 0.50.
    expect(ticket.totals).toEqual({
      labor: '112.49',
      parts: '99.80',
      fees: '5.00',
      sublet: '75.00',
      discounts: '17.50',
      shop_supplies: '5.62',
      tax: { labor: '0.00', parts: '8.86', fees: '0.50', sublet: '0.00', total: '9.36' },
      subtotal: '297.91',
      total: '307.27',
    });
    expect(ticket).toMatchObject({ total: '307.27', parts_total: '99.80' });
    expect(ticket.parts).toEqual([
      { inventory_id: pads.id, part_name: 'Brake pad set', quantity: 2, unit_price: '49.90', line_total: '99.80' },
    ]);
    expect(ticket.jobs.map((job) => [job.title, job.pay_type, job.totals.tax.total, job.totals.total])).toEqual([
      ['Front brakes', 'customer', '0.50', '123.61'],
      ['Rotors', 'warranty', '8.86', '183.66'],
    ]);
    expect(ticket.jobs[0]!.lines).toEqual([
      expect.objectContaining({
        type: 'labor',
        hours: '1.25',
        rate: '99.99',
        discount: { percent: '10.000' },
        amount: '124.99',
        discount_amount: '12.50',
        net: '112.49',
      }),
      expect.objectContaining({ type: 'fee', taxable: false, amount: '5.00', net: '5.00' }),
    ]);
    expect(ticket.jobs[1]!.lines).toEqual([
      expect.objectContaining({
        type: 'part',
        inventory_id: pads.id,
        part_name: 'Brake pad set',
        quantity: 2,
        unit_price: '49.90',
        net: '99.80',
      }),
      expect.objectContaining({
        type: 'sublet',
        cost: '50.00',
        discount: { amount: '5.00' },
        amount: '80.00',
        discount_amount: '5.00',
        net: '75.00',
      }),
    ]);

    // The flat cost is an untaxed charge on top; the customer reads the same figures without the sublet cost.
    const withCost = await app.as(writer.token).serviceTickets.edit({ id, cost: '10.00' });
    expect(withCost.totals).toMatchObject({ subtotal: '307.91', tax: { total: '9.36' }, total: '317.27' });
    const seen = await app.as(ada.token).serviceTickets.byId({ id });
    expect(seen.totals).toEqual(withCost.totals);
    expect(seen.jobs[1]!.lines[1]).not.toHaveProperty('cost');
    await app.as(owner.token).shop.updateSettings(UNTAXED);
  });

  it('a labor line takes the shop rate and a part line the item price of that moment, and keeps them', async () => {
    const item = await app.as(owner.token).inventory.create(newInventoryItem({ price: '10.00', quantity: 10 }));
    const { id, jobId } = await ticketWithJob();
    await app.as(owner.token).shop.updateSettings({ labor_rate: '100.00' });
    await addLine(writer.token, id, jobId, { type: 'labor', description: 'Diagnose', hours: '0.50' });
    await addLine(writer.token, id, jobId, { type: 'part', inventory_id: item.id, quantity: 1 });
    await app.as(owner.token).shop.updateSettings({ labor_rate: '150.00' });
    await app.as(owner.token).inventory.update({ id: item.id, price: '12.00' });
    const ticket = await app.as(writer.token).serviceTickets.byId({ id });
    expect(ticket.jobs[0]!.lines.map((line) => [line.rate, line.unit_price, line.net])).toEqual([
      ['100.00', null, '50.00'],
      [null, '10.00', '10.00'],
    ]);
    await app.as(owner.token).shop.updateSettings(UNTAXED);
  });

  it('estimate_version rises with every change to jobs and lines but the notes (cause, correction), and with the flat cost', async () => {
    const item = await app.as(owner.token).inventory.create(newInventoryItem({ quantity: 10 }));
    const { id } = await app.as(ada.token).serviceTickets.open(newTicket());
    const versions = [(await app.as(writer.token).serviceTickets.byId({ id })).estimate_version];
    const record = async (change: Promise<{ estimate_version: number }>) => versions.push((await change).estimate_version);
    await record(app.as(writer.token).serviceTickets.addJob({ id, title: 'Oil change' }));
    const jobId = (await app.as(writer.token).serviceTickets.byId({ id })).jobs[0]!.id;
    await record(app.as(writer.token).serviceTickets.editJob({ id, job_id: jobId, concern: 'Due' }));
    // The shop's notes on the work are no change to what the customer is offered.
    const notes = await app.as(writer.token).serviceTickets.editJob({ id, job_id: jobId, cause: 'Old oil', correction: 'Changed it' });
    expect(notes.estimate_version).toBe(versions.at(-1));
    await record(addLine(writer.token, id, jobId, { type: 'fee', description: 'Filter disposal', amount: '2.00' }));
    const lineId = (await app.as(writer.token).serviceTickets.byId({ id })).jobs[0]!.lines[0]!.id;
    await record(app.as(writer.token).serviceTickets.editLine({ id, job_id: jobId, line_id: lineId, amount: '3.00' }));
    await record(app.as(writer.token).serviceTickets.deleteLine({ id, job_id: jobId, line_id: lineId }));
    await record(app.as(writer.token).serviceTickets.addPart({ id, inventory_id: item.id, quantity: 1 }));
    await app.as(writer.token).serviceTickets.removePart({ id, inventory_id: item.id });
    versions.push((await app.as(writer.token).serviceTickets.byId({ id })).estimate_version);
    await record(app.as(writer.token).serviceTickets.edit({ id, cost: '5.00' }));
    await record(app.as(writer.token).serviceTickets.deleteJob({ id, job_id: jobId }));
    expect(versions).toEqual(versions.map((_, index) => versions[0]! + index));
    // A change of status is no change to the estimate.
    expect((await app.as(writer.token).serviceTickets.edit({ id, status: 'IN_PROGRESS' })).estimate_version).toBe(versions.at(-1));
  });

  it('refuses fields a line type does not have, a missing required field, and unknown jobs, lines and parts', async () => {
    const { id, jobId } = await ticketWithJob();
    const other = await ticketWithJob();
    expect(await reasonOf(addLine(writer.token, id, jobId, { type: 'fee', description: 'x', amount: '1.00', hours: '1.00' }))).toBe(
      'validation_failed',
    );
    expect(await reasonOf(addLine(writer.token, id, jobId, { type: 'labor', description: 'x' }))).toBe('validation_failed');
    expect(await reasonOf(addLine(writer.token, id, jobId, { type: 'labor', description: 'x', hours: '0' }))).toBe('validation_failed');
    expect(await reasonOf(addLine(writer.token, id, jobId, { type: 'labor', description: 'x', hours: '1.005' }))).toBe('validation_failed');
    expect(await reasonOf(addLine(writer.token, id, other.jobId, { type: 'fee', description: 'x', amount: '1.00' }))).toBe('not_found');
    expect(await reasonOf(addLine(writer.token, id, jobId, { type: 'part', inventory_id: 999_999, quantity: 1 }))).toBe('not_found');
    const line = (await addLine(writer.token, id, jobId, { type: 'fee', description: 'x', amount: '1.00' })).jobs[0]!.lines[0]!;
    expect(await reasonOf(app.as(writer.token).serviceTickets.editLine({ id, job_id: jobId, line_id: line.id, hours: '1.00' }))).toBe(
      'validation_failed',
    );
    expect(
      await reasonOf(app.as(writer.token).serviceTickets.editLine({ id: other.id, job_id: other.jobId, line_id: line.id, amount: '2.00' })),
    ).toBe('not_found');
  });

  it('a fixed discount is at most the line amount; discount null takes it off', async () => {
    const { id, jobId } = await ticketWithJob();
    const added = await addLine(writer.token, id, jobId, {
      type: 'fee',
      description: 'Courtesy',
      amount: '4.00',
      discount: { amount: '9.00' },
    });
    const line = added.jobs[0]!.lines[0]!;
    expect(line).toMatchObject({ amount: '4.00', discount_amount: '4.00', net: '0.00' });
    const edited = await app.as(writer.token).serviceTickets.editLine({ id, job_id: jobId, line_id: line.id, discount: null });
    expect(edited.jobs[0]!.lines[0]).toMatchObject({ discount: null, discount_amount: '0.00', net: '4.00' });
    expect(edited.totals).toMatchObject({ discounts: '0.00', total: '4.00' });
  });
});

describe('who may change an estimate', () => {
  async function assignedTicket(): Promise<{ id: number; jobId: number }> {
    const ticket = await ticketWithJob();
    await app.as(writer.token).assignments.create({ service_ticket_id: ticket.id, mechanic_id: technician.mechanic.id });
    return ticket;
  }

  it('an assigned technician adds labor and part lines at the shop prices, and records cause and correction', async () => {
    const item = await app.as(owner.token).inventory.create(newInventoryItem({ price: '20.00', quantity: 5 }));
    const { id, jobId } = await assignedTicket();
    await addLine(technician.token, id, jobId, {
      type: 'labor',
      description: 'Bleed brakes',
      hours: '0.75',
      technician_id: technician.mechanic.id,
    });
    const after = await addLine(technician.token, id, jobId, { type: 'part', inventory_id: item.id, quantity: 2 });
    expect(after.jobs[0]!.lines.map((line) => [line.type, line.net])).toEqual([
      ['labor', '90.00'],
      ['part', '40.00'],
    ]);
    const job = (await app.as(technician.token).serviceTickets.editJob({ id, job_id: jobId, cause: 'Air in lines', correction: 'Bled' }))
      .jobs[0]!;
    expect(job).toMatchObject({ cause: 'Air in lines', correction: 'Bled' });
  });

  it('a technician may not price, discount, add fees or sublet work, edit or delete lines, or change the job itself (403)', async () => {
    const item = await app.as(owner.token).inventory.create(newInventoryItem({ quantity: 5 }));
    const { id, jobId } = await assignedTicket();
    const refused: LineBody[] = [
      { type: 'labor', description: 'x', hours: '1.00', rate: '1.00' },
      { type: 'labor', description: 'x', hours: '1.00', discount: { percent: '50' } },
      { type: 'part', inventory_id: item.id, quantity: 1, unit_price: '0.01' },
      { type: 'fee', description: 'x', amount: '1.00' },
      { type: 'sublet', description: 'x', amount: '1.00' },
    ];
    for (const line of refused) expect(await reasonOf(addLine(technician.token, id, jobId, line)), JSON.stringify(line)).toBe('forbidden');
    expect(await reasonOf(app.as(technician.token).serviceTickets.editJob({ id, job_id: jobId, title: 'Mine' }))).toBe('forbidden');
    expect(await reasonOf(app.as(technician.token).serviceTickets.addJob({ id, title: 'Mine' }))).toBe('forbidden');
    expect(await reasonOf(app.as(technician.token).serviceTickets.deleteJob({ id, job_id: jobId }))).toBe('forbidden');
    const line = (await addLine(writer.token, id, jobId, { type: 'fee', description: 'x', amount: '1.00' })).jobs[0]!.lines[0]!;
    expect(await reasonOf(app.as(technician.token).serviceTickets.editLine({ id, job_id: jobId, line_id: line.id, amount: '0.01' }))).toBe(
      'forbidden',
    );
    expect(await reasonOf(app.as(technician.token).serviceTickets.deleteLine({ id, job_id: jobId, line_id: line.id }))).toBe('forbidden');
    expect(await stockOf(item.id)).toBe(5);
  });

  it('a technician not assigned to the ticket is refused (403); customers only read', async () => {
    const { id, jobId } = await ticketWithJob();
    expect(await reasonOf(addLine(technician.token, id, jobId, { type: 'labor', description: 'x', hours: '1.00' }))).toBe('forbidden');
    expect(await reasonOf(app.as(technician.token).serviceTickets.editJob({ id, job_id: jobId, cause: 'x' }))).toBe('forbidden');
    expect(await reasonOf(app.as(ada.token).serviceTickets.addJob({ id, title: 'x' }))).toBe('forbidden');
    expect(await reasonOf(addLine(ada.token, id, jobId, { type: 'labor', description: 'x', hours: '1.00' }))).toBe('forbidden');
  });

  it("a sublet's cost shows to owners and service writers only, never to technicians or customers", async () => {
    const { id, jobId } = await assignedTicket();
    await addLine(writer.token, id, jobId, { type: 'sublet', description: 'Alignment', amount: '90.00', cost: '60.00' });
    for (const { token } of [owner, writer]) {
      expect((await app.as(token).serviceTickets.byId({ id })).jobs[0]!.lines[0]).toMatchObject({ cost: '60.00' });
    }
    for (const { token } of [technician, ada]) {
      const sublet = (await app.as(token).serviceTickets.byId({ id })).jobs[0]!.lines[0]!;
      expect(sublet).toMatchObject({ amount: '90.00', net: '90.00' });
      expect(sublet).not.toHaveProperty('cost');
    }
    const listed = await app.as(technician.token).serviceTickets.list({ customer_id: ada.customer.id, per_page: 100 });
    expect(listed.items.find((ticket) => ticket.id === id)!.jobs[0]!.lines[0]).not.toHaveProperty('cost');
    const mine = await app.as(ada.token).customers.myTickets({ per_page: 100 });
    expect(mine.items.find((ticket) => ticket.id === id)!.jobs[0]!.lines[0]).not.toHaveProperty('cost');
  });
});

describe('part lines and stock', () => {
  it("changing a part line's quantity moves stock by the difference, never below zero (409)", async () => {
    const item = await app.as(owner.token).inventory.create(newInventoryItem({ quantity: 5 }));
    const { id, jobId } = await ticketWithJob();
    const line = (await addLine(writer.token, id, jobId, { type: 'part', inventory_id: item.id, quantity: 2 })).jobs[0]!.lines[0]!;
    expect(await stockOf(item.id)).toBe(3);
    const edit = (quantity: number) => app.as(writer.token).serviceTickets.editLine({ id, job_id: jobId, line_id: line.id, quantity });
    expect((await edit(5)).jobs[0]!.lines[0]).toMatchObject({ quantity: 5 });
    expect(await stockOf(item.id)).toBe(0);
    expect(await reasonOf(edit(6))).toBe('insufficient_stock');
    expect(await stockOf(item.id)).toBe(0);
    expect((await app.as(writer.token).serviceTickets.byId({ id })).jobs[0]!.lines[0]).toMatchObject({ quantity: 5 });
    await edit(1);
    expect(await stockOf(item.id)).toBe(4);
  });

  it('changing a part line to another part puts the old one back and takes the new one, at its price', async () => {
    const first = await app.as(owner.token).inventory.create(newInventoryItem({ quantity: 5, price: '10.00' }));
    const second = await app.as(owner.token).inventory.create(newInventoryItem({ quantity: 2, price: '25.50' }));
    const { id, jobId } = await ticketWithJob();
    const line = (await addLine(writer.token, id, jobId, { type: 'part', inventory_id: first.id, quantity: 2 })).jobs[0]!.lines[0]!;
    const swap = (edit: { inventory_id: number; quantity?: number }) =>
      app.as(writer.token).serviceTickets.editLine({ id, job_id: jobId, line_id: line.id, ...edit });
    expect(await reasonOf(swap({ inventory_id: second.id, quantity: 3 }))).toBe('insufficient_stock');
    expect([await stockOf(first.id), await stockOf(second.id)]).toEqual([3, 2]);
    expect((await swap({ inventory_id: second.id })).jobs[0]!.lines[0]).toMatchObject({
      inventory_id: second.id,
      quantity: 2,
      unit_price: '25.50',
    });
    expect([await stockOf(first.id), await stockOf(second.id)]).toEqual([5, 0]);
  });

  it('deleting a part line, or a job with part lines, puts the parts back in stock', async () => {
    const item = await app.as(owner.token).inventory.create(newInventoryItem({ quantity: 10 }));
    const { id, jobId } = await ticketWithJob();
    await addLine(writer.token, id, jobId, { type: 'part', inventory_id: item.id, quantity: 2 });
    const twice = await addLine(writer.token, id, jobId, { type: 'part', inventory_id: item.id, quantity: 3 });
    expect(await stockOf(item.id)).toBe(5);
    const afterDelete = await app.as(writer.token).serviceTickets.deleteLine({ id, job_id: jobId, line_id: twice.jobs[0]!.lines[1]!.id });
    expect(afterDelete.jobs[0]!.lines).toHaveLength(1);
    expect(await stockOf(item.id)).toBe(8);
    const second = (await app.as(writer.token).serviceTickets.addJob({ id, title: 'Second' })).jobs[1]!.id;
    await addLine(writer.token, id, second, { type: 'part', inventory_id: item.id, quantity: 4 });
    expect(await stockOf(item.id)).toBe(4);
    const afterJob = await app.as(writer.token).serviceTickets.deleteJob({ id, job_id: second });
    expect(afterJob.jobs.map((job) => job.id)).toEqual([jobId]);
    expect(await stockOf(item.id)).toBe(8);
    await app.as(writer.token).serviceTickets.deleteJob({ id, job_id: jobId });
    expect(await stockOf(item.id)).toBe(10);
    expect(await app.as(writer.token).serviceTickets.byId({ id })).toMatchObject({ jobs: [], parts: [], total: '0.00' });
  });

  it('the seed\'s addPart puts a part on the first job, or on a new "General" job; removePart takes it off every job', async () => {
    const item = await app.as(owner.token).inventory.create(newInventoryItem({ quantity: 10 }));
    const bare = await app.as(ada.token).serviceTickets.open(newTicket());
    const general = await app.as(writer.token).serviceTickets.addPart({ id: bare.id, inventory_id: item.id, quantity: 1 });
    expect(general.jobs.map((job) => [job.title, job.lines.map((line) => [line.type, line.inventory_id, line.quantity])])).toEqual([
      ['General', [['part', item.id, 1]]],
    ]);

    const { id, jobId } = await ticketWithJob('Brakes');
    await app.as(writer.token).serviceTickets.addJob({ id, title: 'Later' });
    const first = await app.as(writer.token).serviceTickets.addPart({ id, inventory_id: item.id, quantity: 2 });
    expect(first.jobs.map((job) => [job.id === jobId, job.lines.length])).toEqual([
      [true, 1],
      [false, 0],
    ]);
    // The same part on a second job: removePart takes both lines off and puts all of it back.
    await addLine(writer.token, id, first.jobs[1]!.id, { type: 'part', inventory_id: item.id, quantity: 3 });
    expect(await stockOf(item.id)).toBe(4);
    await app.as(writer.token).serviceTickets.removePart({ id, inventory_id: item.id });
    expect((await app.as(writer.token).serviceTickets.byId({ id })).parts).toEqual([]);
    expect(await stockOf(item.id)).toBe(9);
  });

  it("the seed's addPart adds to the part's oldest line on the ticket, whichever job shows first", async () => {
    const item = await app.as(owner.token).inventory.create(newInventoryItem({ quantity: 10 }));
    const { id, jobId: first } = await ticketWithJob('Brakes');
    const second = (await app.as(writer.token).serviceTickets.addJob({ id, title: 'Later' })).jobs[1]!.id;
    await addLine(writer.token, id, second, { type: 'part', inventory_id: item.id, quantity: 1 });
    await addLine(writer.token, id, first, { type: 'part', inventory_id: item.id, quantity: 1 });
    const added = await app.as(writer.token).serviceTickets.addPart({ id, inventory_id: item.id, quantity: 2 });
    expect(added.jobs.map((job) => [job.id, job.lines.map((line) => line.quantity)])).toEqual([
      [first, [1]],
      [second, [3]],
    ]);
    expect(await stockOf(item.id)).toBe(6);
  });

  it('an estimate change reads the ticket twice, before and after, and finds its jobs and lines there', async () => {
    const statements = statementLog();
    const counted = await createTestApp({ database: { onStatement: statements.onStatement } });
    try {
      const staff = await signUpMechanic(counted, { role: 'service_writer' });
      const customer = await signUpCustomer(counted);
      const item = await counted.as(staff.token).inventory.create(newInventoryItem({ quantity: 10 }));
      const { id } = await counted.as(customer.token).serviceTickets.open(newTicket());
      await counted.as(staff.token).serviceTickets.addJob({ id, title: 'Brakes' });
      // A new line on the first job, then more of it on that line.
      const addOne = () => counted.as(staff.token).serviceTickets.addPart({ id, inventory_id: item.id, quantity: 1 });
      const sent = [...(await statements.statementsOf(addOne)), ...(await statements.statementsOf(addOne))];
      // The ticket document names its fields in the SQL (json_object / json_build_object keys).
      const isTicketRead = (sql: string) => sql.includes("'estimateVersion'");
      // Twice per change: the event, the audit entry and the answer are views of the one read after it.
      expect(sent.filter(isTicketRead)).toHaveLength(4);
      // No query of its own for the part's line (by item) or the ticket's first job (by ticket): the ticket reads have them.
      const findsJobsOrLines = (sql: string) =>
        /^\s*select\b/i.test(sql) && /\bjob(_line)?s\b/.test(sql) && /\b(inventory_id|service_ticket_id)\b/.test(sql) && !isTicketRead(sql);
      expect(sent.filter(findsJobsOrLines)).toEqual([]);
    } finally {
      await counted.close();
    }
  });
});

describe('concurrent part lines on one ticket', () => {
  it('lose nothing and never oversell: every accepted line is on the ticket, and stock fell by exactly what they took', async () => {
    const item = await app.as(owner.token).inventory.create(newInventoryItem({ quantity: 12 }));
    const { id, jobId } = await ticketWithJob();
    const quantities = [1, 2, 3, 1, 2, 3, 1, 2, 3, 1];
    const outcomes = await Promise.all(
      quantities.map((quantity) => {
        const call = addLine(writer.token, id, jobId, { type: 'part', inventory_id: item.id, quantity });
        return call.then(
          () => 'accepted',
          () => reasonOf(call),
        );
      }),
    );
    const accepted = quantities.filter((_, index) => outcomes[index] === 'accepted');
    const takenQuantity = accepted.reduce((sum, quantity) => sum + quantity, 0);
    // 19 units asked of 12: some are refused, and only for want of stock.
    expect(new Set(outcomes)).toEqual(new Set(['accepted', 'insufficient_stock']));
    const ticket = await app.as(writer.token).serviceTickets.byId({ id });
    expect(ticket.jobs[0]!.lines.map((line) => line.quantity).sort()).toEqual([...accepted].sort());
    expect(await stockOf(item.id)).toBe(12 - takenQuantity);
    expect(12 - takenQuantity).toBeGreaterThanOrEqual(0);
    // Whatever was refused was refused for want of stock: nothing more would have fitted.
    const smallestRefused = Math.min(...quantities.filter((_, index) => outcomes[index] !== 'accepted'));
    expect(smallestRefused).toBeGreaterThan(12 - takenQuantity);
  });
});
