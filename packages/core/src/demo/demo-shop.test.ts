import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/index.ts';
import { checkVin } from '../vehicles/vin.ts';
import { DEMO_CUSTOMER, DEMO_MECHANIC, DEMO_SERVICE_WRITER, DEMO_TECHNICIAN, seedDemoShop } from './demo-shop.ts';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

/** Everything the seed writes, without ids and timestamps, in a stable order. */
async function shopContents() {
  const { db } = app.services;
  return {
    mechanics: await db.mechanic.findMany({
      select: { name: true, email: true, role: true, salaryCents: true },
      orderBy: { email: 'asc' },
    }),
    customers: await db.customer.findMany({ select: { name: true, email: true }, orderBy: { email: 'asc' } }),
    parts: await db.inventoryItem.findMany({ select: { partName: true, priceCents: true, quantity: true }, orderBy: { partName: 'asc' } }),
    vehicles: await db.vehicle.findMany({ select: { vin: true, plate: true, odometer: true }, orderBy: { vin: 'asc' } }),
    tickets: await db.serviceTicket.findMany({
      select: { title: true, status: true, costCents: true, _count: { select: { assignments: true, jobs: true } } },
      orderBy: { title: 'asc' },
    }),
  };
}

describe('seedDemoShop', () => {
  it('fills an empty shop with mechanics, customers, parts and tickets in every status', async () => {
    expect(await seedDemoShop(app.services)).toEqual({ mechanics: 4, customers: 5, parts: 10, vehicles: 5, tickets: 7 });
    const contents = await shopContents();
    expect(new Set(contents.tickets.map((ticket) => ticket.status))).toEqual(new Set(['PENDING', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED']));
    expect(contents.parts.find((part) => part.partName === 'Engine oil 5W-30 (1 L)')?.quantity).toBe(115);
  });

  it('prices every ticket: a job with labor and parts, taxed at the shop rates, with shop supplies', async () => {
    const { token } = await app.as().mechanics.logIn(DEMO_MECHANIC);
    const { items } = await app.as(token).serviceTickets.list({});
    const brakes = items.find((ticket) => ticket.title === 'Brakes squeal')!;
    expect(brakes.jobs).toHaveLength(1);
    expect(brakes.jobs[0]!.lines.map((line) => line.type).sort()).toEqual(['labor', 'part', 'part']);
    expect(brakes.totals.labor).toBe('180.00');
    expect(brakes.totals.shop_supplies).toBe('9.00');
    expect(Number(brakes.totals.tax.parts)).toBeGreaterThan(0);
    expect(brakes.total).toBe(brakes.totals.total);
  });

  it("records the customers' decisions before work starts: in the portal, or by phone with the service writer; one job declined", async () => {
    const { token } = await app.as().mechanics.logIn(DEMO_SERVICE_WRITER);
    const writer = await app.as(token).me.get();
    const { items } = await app.as(token).serviceTickets.list({ per_page: 100 });
    for (const ticket of items.filter((item) => item.status === 'IN_PROGRESS' || item.status === 'COMPLETED')) {
      expect(
        ticket.jobs.map((job) => job.authorization),
        ticket.title,
      ).toEqual(['approved']);
    }
    const engine = items.find((ticket) => ticket.title === 'Engine misfire')!;
    const [approval] = (await app.as(token).approvals.list({ id: engine.id })).items;
    expect(approval).toMatchObject({ method: 'phone', recorded_by: { kind: 'staff', id: writer.id }, contact_name: 'Jordan Lee' });
    const timingBelt = items.find((ticket) => ticket.title === 'Timing belt due')!;
    expect(timingBelt).toMatchObject({ status: 'PENDING', total: '0.00', parts: [] });
    expect(timingBelt.jobs[0]).toMatchObject({ authorization: 'declined', decline_reason: 'Next month, after the holidays' });
  });

  it("invoices the completed tickets: the demo customer's paid by card, the other one partly paid in cash", async () => {
    const { token } = await app.as().mechanics.logIn(DEMO_MECHANIC);
    const { items } = await app.as(token).invoices.list({});
    expect(
      items.map(({ customer, status, payments }) => ({ customer: customer.email, status, methods: payments.map((p) => p.method) })),
    ).toEqual([
      { customer: 'tom.becker@example.com', status: 'partially_paid', methods: ['cash'] },
      { customer: DEMO_CUSTOMER.email, status: 'paid', methods: ['card'] },
    ]);
    expect(items[0]).toMatchObject({ paid: '100.00' });
    const customer = await app.as().customers.logIn(DEMO_CUSTOMER);
    expect((await app.as(customer.token).customers.myInvoices({})).items).toEqual([items[1]]);
  });

  it('gives every customer a vehicle with a VIN that passes every rule, and puts each ticket on its vehicle', async () => {
    const vehicles = await app.services.db.vehicle.findMany({
      select: { vin: true, customerId: true, make: true, _count: { select: { tickets: true } } },
    });
    expect(vehicles).toHaveLength(5);
    for (const vehicle of vehicles) {
      expect(checkVin(vehicle.vin!), vehicle.vin!).toMatchObject({ ok: true });
      expect(vehicle.make, vehicle.vin!).not.toBeNull();
    }
    expect(vehicles.reduce((sum, vehicle) => sum + vehicle._count.tickets, 0)).toBe(7);
  });

  it('is idempotent and deterministic: a second run adds and changes nothing', async () => {
    const before = await shopContents();
    expect(await seedDemoShop(app.services)).toEqual({ mechanics: 0, customers: 0, parts: 0, vehicles: 0, tickets: 0 });
    expect(await shopContents()).toEqual(before);
  });

  it('gives the demo accounts of the quick start: a customer, the owner and one staff account of each other role', async () => {
    const logins = { owner: DEMO_MECHANIC, service_writer: DEMO_SERVICE_WRITER, technician: DEMO_TECHNICIAN };
    for (const [role, credentials] of Object.entries(logins)) {
      const { token } = await app.as().mechanics.logIn(credentials);
      expect(await app.as(token).me.get()).toMatchObject({ kind: 'staff', email: credentials.email, role });
    }
    const { token } = await app.as().customers.logIn(DEMO_CUSTOMER);
    expect((await app.as(token).customers.myTickets({})).total).toBe(2);
  });

  it('assigns the demo technician to tickets, whose status they may change', async () => {
    const { token } = await app.as().mechanics.logIn(DEMO_TECHNICIAN);
    const { id } = await app.as(token).me.get();
    const assigned = await app.as(token).assignments.list({ mechanic_id: id });
    expect(assigned.total).toBeGreaterThan(0);
    const ticket = await app.as(token).serviceTickets.byId({ id: assigned.items[0]!.service_ticket_id });
    await expect(app.as(token).serviceTickets.edit({ id: ticket.id, status: ticket.status })).resolves.toMatchObject({ id: ticket.id });
  });
});
