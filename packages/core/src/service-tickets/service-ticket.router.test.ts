import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newInventoryItem, newTicket, signUpCustomer, signUpMechanic } from '../testing/fixtures.ts';
import { createTestApp, reasonOf, rejectionOf, type TestApp } from '../testing/index.ts';

let app: TestApp;
let grace: Awaited<ReturnType<typeof signUpMechanic>>;
let linus: Awaited<ReturnType<typeof signUpMechanic>>;
let ada: Awaited<ReturnType<typeof signUpCustomer>>;
let bob: Awaited<ReturnType<typeof signUpCustomer>>;

beforeAll(async () => {
  app = await createTestApp();
  grace = await signUpMechanic(app, { name: 'Grace Hopper' });
  linus = await signUpMechanic(app, { name: 'Linus Torvalds' });
  ada = await signUpCustomer(app);
  bob = await signUpCustomer(app);
});
afterAll(() => app.close());

describe('opening a ticket', () => {
  it('a customer opens a PENDING ticket of their own, with no cost, mechanics or parts yet', async () => {
    const ticket = await app.as(ada.token).serviceTickets.open(newTicket({ vin: '1hgcm82633a004352 ' }));
    expect(ticket).toMatchObject({
      customer_id: ada.customer.id,
      status: 'PENDING',
      vin: '1HGCM82633A004352',
      service_date: '2026-12-01',
      cost: '0.00',
      mechanics: [],
      parts: [],
      parts_total: '0.00',
      total: '0.00',
    });
  });

  it('refuses VINs with I, O or Q or of the wrong length, and impossible dates', async () => {
    for (const vin of ['1HGCM82633A00435', '1HGCM82633A0043521', 'IHGCM82633A004352', '1HGCM82633A00O352']) {
      expect(await reasonOf(app.as(ada.token).serviceTickets.open(newTicket({ vin })))).toBe('validation_failed');
    }
    expect(await reasonOf(app.as(ada.token).serviceTickets.open(newTicket({ service_date: '2026-02-30' })))).toBe('validation_failed');
  });

  it('takes its owner from the token, never the body', async () => {
    const smuggled = { ...newTicket(), customer_id: bob.customer.id } as ReturnType<typeof newTicket>;
    expect(await reasonOf(app.as(ada.token).serviceTickets.open(smuggled))).toBe('validation_failed');
  });
});

describe('reading tickets', () => {
  it('the owner and mechanics read a ticket; another customer gets a 404, never the data', async () => {
    const ticket = await app.as(ada.token).serviceTickets.open(newTicket());
    expect(await app.as(ada.token).serviceTickets.byId({ id: ticket.id })).toEqual(ticket);
    expect(await app.as(grace.token).serviceTickets.byId({ id: ticket.id })).toEqual(ticket);
    expect(await reasonOf(app.as(bob.token).serviceTickets.byId({ id: ticket.id }))).toBe('not_found');
  });

  it('mechanics list tickets filtered by status and customer', async () => {
    const mine = await app.as(bob.token).serviceTickets.open(newTicket({ title: 'Oil change' }));
    await app.as(grace.token).serviceTickets.edit({ id: mine.id, status: 'IN_PROGRESS' });
    const bobs = await app.as(grace.token).serviceTickets.list({ customer_id: bob.customer.id });
    expect(bobs.items.every((ticket) => ticket.customer_id === bob.customer.id)).toBe(true);
    const inProgress = await app.as(grace.token).serviceTickets.list({ status: 'IN_PROGRESS', per_page: 100 });
    expect(inProgress.items.map((ticket) => ticket.id)).toContain(mine.id);
    expect(inProgress.items.every((ticket) => ticket.status === 'IN_PROGRESS')).toBe(true);
  });

  it("customers.myTickets lists only the caller's tickets, with mechanics and parts", async () => {
    const carol = await signUpCustomer(app);
    const first = await app.as(carol.token).serviceTickets.open(newTicket());
    await app.as(carol.token).serviceTickets.open(newTicket({ title: 'Second' }));
    await app.as(grace.token).serviceTickets.edit({ id: first.id, add_ids: [grace.mechanic.id] });
    const page = await app.as(carol.token).customers.myTickets({});
    expect(page.total).toBe(2);
    expect(page.items.every((ticket) => ticket.customer_id === carol.customer.id)).toBe(true);
    expect(page.items[0]!.mechanics).toEqual([{ id: grace.mechanic.id, name: 'Grace Hopper', assigned_at: expect.any(String) }]);
  });

  it('pagination edges: empty page past the end, last page, per_page cap', async () => {
    const dave = await signUpCustomer(app);
    for (let i = 0; i < 5; i++) await app.as(dave.token).serviceTickets.open(newTicket({ title: `T${i}` }));
    const last = await app.as(dave.token).customers.myTickets({ page: 3, per_page: 2 });
    expect(last).toMatchObject({ page: 3, per_page: 2, total: 5, pages: 3 });
    expect(last.items).toHaveLength(1);
    const past = await app.as(dave.token).customers.myTickets({ page: 4, per_page: 2 });
    expect(past).toMatchObject({ items: [], total: 5, pages: 3 });
    expect(await reasonOf(app.as(dave.token).customers.myTickets({ per_page: 101 }))).toBe('validation_failed');
    const emptyCustomer = await signUpCustomer(app);
    expect(await app.as(emptyCustomer.token).customers.myTickets({})).toEqual({ items: [], page: 1, per_page: 20, total: 0, pages: 0 });
  });
});

describe('editing a ticket', () => {
  it('adds and removes mechanics and changes status and cost together', async () => {
    const ticket = await app.as(ada.token).serviceTickets.open(newTicket());
    const first = await app
      .as(grace.token)
      .serviceTickets.edit({ id: ticket.id, add_ids: [grace.mechanic.id, linus.mechanic.id], status: 'IN_PROGRESS', cost: 120 });
    expect(first.mechanics.map((mechanic) => mechanic.id)).toEqual([grace.mechanic.id, linus.mechanic.id].sort((a, b) => a - b));
    expect(first).toMatchObject({ status: 'IN_PROGRESS', cost: '120.00', total: '120.00' });
    const second = await app
      .as(grace.token)
      .serviceTickets.edit({ id: ticket.id, remove_ids: [linus.mechanic.id], add_ids: [grace.mechanic.id] });
    expect(second.mechanics.map((mechanic) => mechanic.id)).toEqual([grace.mechanic.id]);
  });

  it('an unknown mechanic id is a 404 naming it, and nothing changes', async () => {
    const ticket = await app.as(ada.token).serviceTickets.open(newTicket());
    const failure = await rejectionOf(
      app
        .as(grace.token)
        .serviceTickets.edit({ id: ticket.id, add_ids: [grace.mechanic.id, 99_999], remove_ids: [], status: 'IN_PROGRESS', cost: 50 }),
    );
    expect(failure.reason).toBe('not_found');
    expect(failure.message).toContain('99999');
    expect(await app.as(grace.token).serviceTickets.byId({ id: ticket.id })).toEqual(ticket);
  });

  it('refuses impossible status moves (COMPLETED is final) and a mechanic both added and removed', async () => {
    const ticket = await app.as(ada.token).serviceTickets.open(newTicket());
    expect(await reasonOf(app.as(grace.token).serviceTickets.edit({ id: ticket.id, status: 'COMPLETED' }))).toBe(
      'invalid_status_transition',
    );
    await app.as(grace.token).serviceTickets.edit({ id: ticket.id, status: 'IN_PROGRESS' });
    await app.as(grace.token).serviceTickets.edit({ id: ticket.id, status: 'COMPLETED' });
    expect(await reasonOf(app.as(grace.token).serviceTickets.edit({ id: ticket.id, status: 'PENDING' }))).toBe('invalid_status_transition');
    expect(
      await reasonOf(
        app.as(grace.token).serviceTickets.edit({ id: ticket.id, add_ids: [grace.mechanic.id], remove_ids: [grace.mechanic.id] }),
      ),
    ).toBe('validation_failed');
  });

  it('an unknown ticket is a 404', async () => {
    expect(await reasonOf(app.as(grace.token).serviceTickets.edit({ id: 424_242, status: 'CANCELLED' }))).toBe('not_found');
  });
});

describe('parts on tickets', () => {
  it('adds part lines from stock with unit price, line total and parts total, exact to the cent', async () => {
    const pads = await app.as(grace.token).inventory.create(newInventoryItem({ price: '0.10', quantity: 10 }));
    const oil = await app.as(grace.token).inventory.create(newInventoryItem({ part_name: 'Oil 5W-30', price: '0.20', quantity: 10 }));
    const ticket = await app.as(ada.token).serviceTickets.open(newTicket());
    await app.as(grace.token).serviceTickets.edit({ id: ticket.id, cost: '0.30' });
    await app.as(grace.token).serviceTickets.addPart({ id: ticket.id, inventory_id: pads.id, quantity: 1 });
    const after = await app.as(grace.token).serviceTickets.addPart({ id: ticket.id, inventory_id: oil.id, quantity: 1 });
    // 0.1 + 0.2 in binary floating point is 0.30000000000000004.
    expect(after).toMatchObject({ parts_total: '0.30', total: '0.60' });
    expect(after.parts).toEqual([
      { inventory_id: pads.id, part_name: 'Brake pad set', quantity: 1, unit_price: '0.10', line_total: '0.10' },
      { inventory_id: oil.id, part_name: 'Oil 5W-30', quantity: 1, unit_price: '0.20', line_total: '0.20' },
    ]);
    expect((await app.as(grace.token).inventory.byId({ id: pads.id })).quantity).toBe(9);
  });

  it('adding the same part again adds to its quantity at the first unit price', async () => {
    const item = await app.as(grace.token).inventory.create(newInventoryItem({ price: '10.00', quantity: 10 }));
    const ticket = await app.as(ada.token).serviceTickets.open(newTicket());
    await app.as(grace.token).serviceTickets.addPart({ id: ticket.id, inventory_id: item.id, quantity: 2 });
    await app.as(grace.token).inventory.update({ id: item.id, price: '12.00' });
    const after = await app.as(grace.token).serviceTickets.addPart({ id: ticket.id, inventory_id: item.id, quantity: 3 });
    expect(after.parts).toEqual([expect.objectContaining({ quantity: 5, unit_price: '10.00', line_total: '50.00' })]);
    expect((await app.as(grace.token).inventory.byId({ id: item.id })).quantity).toBe(5);
  });

  it('refuses more than is in stock (409) and unknown parts or tickets (404)', async () => {
    const item = await app.as(grace.token).inventory.create(newInventoryItem({ quantity: 2 }));
    const ticket = await app.as(ada.token).serviceTickets.open(newTicket());
    expect(await reasonOf(app.as(grace.token).serviceTickets.addPart({ id: ticket.id, inventory_id: item.id, quantity: 3 }))).toBe(
      'insufficient_stock',
    );
    expect(await reasonOf(app.as(grace.token).serviceTickets.addPart({ id: ticket.id, inventory_id: 999_999, quantity: 1 }))).toBe(
      'not_found',
    );
    expect(await reasonOf(app.as(grace.token).serviceTickets.addPart({ id: 999_999, inventory_id: item.id, quantity: 1 }))).toBe(
      'not_found',
    );
    expect((await app.as(grace.token).inventory.byId({ id: item.id })).quantity).toBe(2);
  });

  it('removing a part line puts its quantity back in stock; an absent line is a 404', async () => {
    const item = await app.as(grace.token).inventory.create(newInventoryItem({ quantity: 4 }));
    const ticket = await app.as(ada.token).serviceTickets.open(newTicket());
    await app.as(grace.token).serviceTickets.addPart({ id: ticket.id, inventory_id: item.id, quantity: 3 });
    await app.as(grace.token).serviceTickets.removePart({ id: ticket.id, inventory_id: item.id });
    expect((await app.as(grace.token).inventory.byId({ id: item.id })).quantity).toBe(4);
    expect((await app.as(grace.token).serviceTickets.byId({ id: ticket.id })).parts).toEqual([]);
    expect(await reasonOf(app.as(grace.token).serviceTickets.removePart({ id: ticket.id, inventory_id: item.id }))).toBe('not_found');
  });

  it('a part on a ticket cannot leave the inventory until it is off the ticket', async () => {
    const item = await app.as(grace.token).inventory.create(newInventoryItem());
    const ticket = await app.as(ada.token).serviceTickets.open(newTicket());
    await app.as(grace.token).serviceTickets.addPart({ id: ticket.id, inventory_id: item.id, quantity: 1 });
    expect(await reasonOf(app.as(grace.token).inventory.delete({ id: item.id }))).toBe('inventory_in_use');
    await app.as(grace.token).serviceTickets.removePart({ id: ticket.id, inventory_id: item.id });
    await app.as(grace.token).inventory.delete({ id: item.id });
    expect(await reasonOf(app.as(grace.token).inventory.byId({ id: item.id }))).toBe('not_found');
  });
});

describe('deleting', () => {
  it('a ticket takes its assignments and part lines with it', async () => {
    const item = await app.as(grace.token).inventory.create(newInventoryItem());
    const ticket = await app.as(ada.token).serviceTickets.open(newTicket());
    await app.as(grace.token).serviceTickets.edit({ id: ticket.id, add_ids: [grace.mechanic.id] });
    await app.as(grace.token).serviceTickets.addPart({ id: ticket.id, inventory_id: item.id, quantity: 1 });
    await app.as(grace.token).serviceTickets.delete({ id: ticket.id });
    expect(await app.services.db.serviceAssignment.count({ where: { serviceTicketId: ticket.id } })).toBe(0);
    expect(await app.services.db.line.count({ where: { inventoryId: item.id } })).toBe(0);
    expect(await reasonOf(app.as(grace.token).serviceTickets.delete({ id: ticket.id }))).toBe('not_found');
  });

  it('a customer takes their tickets with them', async () => {
    const erin = await signUpCustomer(app);
    const ticket = await app.as(erin.token).serviceTickets.open(newTicket());
    await app.as(grace.token).serviceTickets.edit({ id: ticket.id, add_ids: [grace.mechanic.id] });
    await app.as(erin.token).customers.delete({ id: erin.customer.id });
    expect(await reasonOf(app.as(grace.token).serviceTickets.byId({ id: ticket.id }))).toBe('not_found');
    expect(await app.services.db.serviceAssignment.count({ where: { serviceTicketId: ticket.id } })).toBe(0);
  });
});

describe('service dates', () => {
  // MariaDB stored 0069-01-01 as 1969-01-01; PostgreSQL answered 500 for year 0000.
  it('are refused outside 1900-01-01 … 2200-12-31, naming the field, the same on every database', async () => {
    for (const service_date of ['0000-01-01', '0069-01-01', '0099-12-31', '1899-12-31', '2201-01-01', '9999-12-31']) {
      const rejection = await rejectionOf(app.as(ada.token).serviceTickets.open(newTicket({ service_date })));
      expect(rejection.reason, service_date).toBe('validation_failed');
      expect(rejection.message, service_date).toContain('service_date');
    }
  });

  it('at both ends of the range are stored and read back exactly', async () => {
    for (const service_date of ['1900-01-01', '2200-12-31']) {
      const ticket = await app.as(ada.token).serviceTickets.open(newTicket({ service_date }));
      expect((await app.as(grace.token).serviceTickets.byId({ id: ticket.id })).service_date).toBe(service_date);
    }
  });
});

describe('numeric bounds', () => {
  // Quantities and totals past 2^31 − 1 answered 500 on PostgreSQL and MariaDB (SQLite stored them),
  // and sums past 2^53 cents were inexact.
  it('a part line holds at most 1,000,000 units: adding past it is a 409 that takes nothing from stock', async () => {
    const item = await app.as(grace.token).inventory.create(newInventoryItem({ price: '1.00', quantity: 1_000_000 }));
    const ticket = await app.as(ada.token).serviceTickets.open(newTicket());
    await app.as(grace.token).serviceTickets.addPart({ id: ticket.id, inventory_id: item.id, quantity: 1_000_000 });
    await app.as(grace.token).inventory.update({ id: item.id, quantity: 10 });
    expect(await reasonOf(app.as(grace.token).serviceTickets.addPart({ id: ticket.id, inventory_id: item.id, quantity: 1 }))).toBe(
      'quantity_too_large',
    );
    expect((await app.as(grace.token).inventory.byId({ id: item.id })).quantity).toBe(10);
    expect((await app.as(grace.token).serviceTickets.byId({ id: ticket.id })).parts[0]).toMatchObject({ quantity: 1_000_000 });
    expect(await reasonOf(app.as(grace.token).serviceTickets.addPart({ id: ticket.id, inventory_id: item.id, quantity: 1_000_001 }))).toBe(
      'validation_failed',
    );
  });

  it('stock holds at most 1,000,000 units: a line that would take it past that stays on the ticket (409)', async () => {
    const item = await app.as(grace.token).inventory.create(newInventoryItem({ quantity: 5 }));
    const ticket = await app.as(ada.token).serviceTickets.open(newTicket());
    await app.as(grace.token).serviceTickets.addPart({ id: ticket.id, inventory_id: item.id, quantity: 5 });
    await app.as(grace.token).inventory.update({ id: item.id, quantity: 1_000_000 });
    expect(await reasonOf(app.as(grace.token).serviceTickets.removePart({ id: ticket.id, inventory_id: item.id }))).toBe(
      'quantity_too_large',
    );
    expect((await app.as(grace.token).serviceTickets.byId({ id: ticket.id })).parts).toHaveLength(1);
    expect((await app.as(grace.token).inventory.byId({ id: item.id })).quantity).toBe(1_000_000);
    await app.as(grace.token).inventory.update({ id: item.id, quantity: 999_995 });
    await app.as(grace.token).serviceTickets.removePart({ id: ticket.id, inventory_id: item.id });
    expect((await app.as(grace.token).inventory.byId({ id: item.id })).quantity).toBe(1_000_000);
  });

  it("a ticket's total is at most 1,000,000,000.00, through parts or the labour cost, and stays exact", async () => {
    const item = await app.as(grace.token).inventory.create(newInventoryItem({ price: '1000000.00', quantity: 2_000 }));
    const ticket = await app.as(ada.token).serviceTickets.open(newTicket());
    expect(await reasonOf(app.as(grace.token).serviceTickets.addPart({ id: ticket.id, inventory_id: item.id, quantity: 1_001 }))).toBe(
      'amount_too_large',
    );
    expect((await app.as(grace.token).inventory.byId({ id: item.id })).quantity).toBe(2_000);
    const full = await app.as(grace.token).serviceTickets.addPart({ id: ticket.id, inventory_id: item.id, quantity: 1_000 });
    expect(full).toMatchObject({ parts_total: '1000000000.00', total: '1000000000.00' });
    expect(await reasonOf(app.as(grace.token).serviceTickets.edit({ id: ticket.id, cost: '0.01' }))).toBe('amount_too_large');
    expect((await app.as(grace.token).serviceTickets.byId({ id: ticket.id })).cost).toBe('0.00');
  });

  it('one amount of money is at most 1,000,000.00 (400 above)', async () => {
    for (const price of ['1000000.01', 21_474_836.48, '999999999.99']) {
      expect(await reasonOf(app.as(grace.token).inventory.create(newInventoryItem({ price })))).toBe('validation_failed');
    }
    const ticket = await app.as(ada.token).serviceTickets.open(newTicket());
    expect(await reasonOf(app.as(grace.token).serviceTickets.edit({ id: ticket.id, cost: '1000000.01' }))).toBe('validation_failed');
    expect((await app.as(grace.token).serviceTickets.edit({ id: ticket.id, cost: '1000000.00' })).total).toBe('1000000.00');
  });
});

describe('what each staff role may do to tickets', () => {
  let writer: Awaited<ReturnType<typeof signUpMechanic>>;
  let technician: Awaited<ReturnType<typeof signUpMechanic>>;
  let itemId: number;
  beforeAll(async () => {
    writer = await signUpMechanic(app, { role: 'service_writer' });
    technician = await signUpMechanic(app, { role: 'technician' });
    itemId = (await app.as(grace.token).inventory.create(newInventoryItem({ quantity: 100 }))).id;
  });

  /** A ticket of Ada's, with `technician` on it or not. */
  async function ticketFor(assigned: boolean): Promise<number> {
    const { id } = await app.as(ada.token).serviceTickets.open(newTicket());
    if (assigned) await app.as(writer.token).assignments.create({ service_ticket_id: id, mechanic_id: technician.mechanic.id });
    return id;
  }

  it('every staff role reads and lists tickets', async () => {
    const id = await ticketFor(false);
    for (const { token } of [grace, writer, technician]) {
      expect((await app.as(token).serviceTickets.byId({ id })).id).toBe(id);
      expect((await app.as(token).serviceTickets.list({ customer_id: ada.customer.id, per_page: 100 })).items.map((t) => t.id)).toContain(
        id,
      );
    }
  });

  it('owners and service writers change mechanics, cost and status of any ticket; only owners delete tickets', async () => {
    const id = await ticketFor(false);
    expect(
      await app.as(writer.token).serviceTickets.edit({ id, add_ids: [linus.mechanic.id], cost: '80.00', status: 'IN_PROGRESS' }),
    ).toMatchObject({
      cost: '80.00',
      status: 'IN_PROGRESS',
      mechanics: [expect.objectContaining({ id: linus.mechanic.id })],
    });
    await app.as(writer.token).serviceTickets.addPart({ id, inventory_id: itemId, quantity: 1 });
    await app.as(writer.token).serviceTickets.removePart({ id, inventory_id: itemId });
    for (const { token } of [writer, technician]) expect(await reasonOf(app.as(token).serviceTickets.delete({ id }))).toBe('forbidden');
    await app.as(grace.token).serviceTickets.delete({ id });
  });

  it('a technician changes the status and the parts of the tickets assigned to them, and only that', async () => {
    const id = await ticketFor(true);
    expect(await app.as(technician.token).serviceTickets.edit({ id, status: 'IN_PROGRESS' })).toMatchObject({ status: 'IN_PROGRESS' });
    expect(await app.as(technician.token).serviceTickets.addPart({ id, inventory_id: itemId, quantity: 2 })).toMatchObject({
      parts: [expect.objectContaining({ inventory_id: itemId, quantity: 2 })],
    });
    await app.as(technician.token).serviceTickets.removePart({ id, inventory_id: itemId });
    for (const edit of [
      { cost: '10.00' },
      { add_ids: [linus.mechanic.id] },
      { remove_ids: [technician.mechanic.id] },
      { status: 'COMPLETED' as const, cost: '1.00' },
    ]) {
      expect(await reasonOf(app.as(technician.token).serviceTickets.edit({ id, ...edit })), JSON.stringify(edit)).toBe('forbidden');
    }
    expect((await app.as(grace.token).serviceTickets.byId({ id })).status).toBe('IN_PROGRESS');
  });

  it('a technician is refused on a ticket not assigned to them (403), and on one that does not exist (404)', async () => {
    const id = await ticketFor(false);
    await app.as(writer.token).serviceTickets.addPart({ id, inventory_id: itemId, quantity: 1 });
    const refused = await rejectionOf(app.as(technician.token).serviceTickets.edit({ id, status: 'IN_PROGRESS' }));
    expect(refused).toMatchObject({ reason: 'forbidden', message: expect.stringMatching(/not assigned to this ticket$/) });
    expect(await reasonOf(app.as(technician.token).serviceTickets.addPart({ id, inventory_id: itemId, quantity: 1 }))).toBe('forbidden');
    expect(await reasonOf(app.as(technician.token).serviceTickets.removePart({ id, inventory_id: itemId }))).toBe('forbidden');
    expect(await reasonOf(app.as(technician.token).serviceTickets.edit({ id: 999_999, status: 'IN_PROGRESS' }))).toBe('not_found');
    expect((await app.as(grace.token).serviceTickets.byId({ id })).parts).toHaveLength(1);
  });

  it('a technician taken off a ticket loses it from the next request on', async () => {
    const id = await ticketFor(true);
    await app.as(technician.token).serviceTickets.edit({ id, status: 'IN_PROGRESS' });
    await app.as(writer.token).assignments.delete({ service_ticket_id: id, mechanic_id: technician.mechanic.id });
    expect(await reasonOf(app.as(technician.token).serviceTickets.edit({ id, status: 'PENDING' }))).toBe('forbidden');
  });
});
