import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller } from '../caller.ts';
import { listProcedures } from '../router.ts';
import type { RunningServices } from '../services.ts';
import { createTestApp, statementLog, type StatementLog } from '../testing/index.ts';

/**
 * No N+1 queries: every GET route sends as many SQL statements for a page of
 * tickets with three mechanics and four parts each as for a shop with one of
 * each. A read whose count grows with the data issues a query per row. The
 * routes come from the router: a new GET route fails here until it has a read below.
 */

interface ShopSize {
  customers: number;
  mechanics: number;
  parts: number;
  /** All of the first customer's, so that "my vehicles" grows too. */
  vehicles: number;
  /** All of the first customer's, on their first vehicle, so that "my tickets" and its history grow too. */
  tickets: number;
  /** Of the first vehicle. */
  readings: number;
  mechanicsPerTicket: number;
  partsPerTicket: number;
}

const SMALL: ShopSize = {
  customers: 1,
  mechanics: 1,
  parts: 1,
  vehicles: 1,
  tickets: 1,
  readings: 1,
  mechanicsPerTicket: 1,
  partsPerTicket: 1,
};
const LARGE: ShopSize = {
  customers: 30,
  mechanics: 40,
  parts: 40,
  vehicles: 30,
  tickets: 60,
  readings: 30,
  mechanicsPerTicket: 3,
  partsPerTicket: 4,
};

interface Shop {
  statements: StatementLog;
  /** A new caller for each read, so that each one authenticates as a request would. */
  asMechanic(): ReturnType<typeof createCaller>;
  asCustomer(): ReturnType<typeof createCaller>;
  close(): Promise<void>;
}

async function openShop(size: ShopSize): Promise<Shop> {
  const statements = statementLog();
  // The response cache is off: this counts what a read costs the database.
  const running = await createTestApp({ cache: 'off', database: { onStatement: statements.onStatement } });
  const { services } = running;
  await fill(services.db, size);
  const mechanicToken = (await services.tokens.issue({ role: 'mechanic', id: 1, tokenVersion: 0 })).token;
  const customerToken = (await services.tokens.issue({ role: 'customer', id: 1, tokenVersion: 0 })).token;
  return {
    statements,
    asMechanic: () => createCaller(services, { token: mechanicToken }),
    asCustomer: () => createCaller(services, { token: customerToken }),
    close: running.close,
  };
}

async function fill(db: RunningServices['services']['db'], size: ShopSize): Promise<void> {
  const range = (count: number) => Array.from({ length: count }, (_, index) => index + 1);
  const account = (id: number) => ({ id, name: `Person ${id}`, phone: '+1 555 0100', address: '1 Main Street', passwordHash: 'x' });
  await db.customer.createMany({ data: range(size.customers).map((id) => ({ ...account(id), email: `customer${id}@example.com` })) });
  await db.mechanic.createMany({
    data: range(size.mechanics).map((id) => ({ ...account(id), email: `mechanic${id}@example.com`, salaryCents: 5_000_000 })),
  });
  await db.inventoryItem.createMany({
    data: range(size.parts).map((id) => ({ id, partName: `Part ${id}`, priceCents: 1_000 + id, quantity: 100 })),
  });
  await db.vehicle.createMany({
    data: range(size.vehicles).map((id) => ({ id, customerId: 1, vin: `1HGCM82633A${String(id).padStart(6, '0')}`, make: 'Honda' })),
  });
  await db.odometerReading.createMany({
    data: range(size.readings).map((id) => ({ vehicleId: 1, reading: id * 1_000, unit: 'mi', recordedByKind: 'staff', recordedById: 1 })),
  });
  await db.serviceTicket.createMany({
    data: range(size.tickets).map((id) => ({
      id,
      customerId: 1,
      vehicleId: 1,
      title: `Ticket ${id}`,
      description: 'Squeaks',
      serviceDate: new Date('2026-12-01T00:00:00.000Z'),
    })),
  });
  // Ticket t gets mechanics and parts t, t+1, … (wrapping), so each one differs.
  const spread = (ticket: number, offset: number, count: number) => ((ticket + offset - 1) % count) + 1;
  await db.serviceAssignment.createMany({
    data: range(size.tickets).flatMap((ticket) =>
      range(size.mechanicsPerTicket).map((offset) => ({ serviceTicketId: ticket, mechanicId: spread(ticket, offset, size.mechanics) })),
    ),
  });
  // One job per ticket, holding its part lines.
  await db.job.createMany({
    data: range(size.tickets).map((ticket) => ({ id: ticket, serviceTicketId: ticket, title: 'General', position: 1 })),
  });
  await db.line.createMany({
    data: range(size.tickets).flatMap((ticket) =>
      range(size.partsPerTicket).map((offset) => ({
        jobId: ticket,
        type: 'part' as const,
        inventoryId: spread(ticket, offset, size.parts),
        quantity: 2,
        unitPriceCents: 1_000,
      })),
    ),
  });
}

interface Read {
  /** Sends the read; resolves to the number of rows it returned. */
  send(shop: Shop): Promise<number>;
  /** The rows it should return for a shop of that size: proves the large case really is large. */
  rows(size: ShopSize): number;
  /** Answered without the database (the statements are then none, whatever the data). */
  offline?: true;
}

const PAGE = { page: 1, per_page: 20 };
const pageOf = (total: number) => Math.min(total, PAGE.per_page);
const one = () => 1;

/** A read of every GET route, by procedure path. */
const READS: Record<string, Read> = {
  'customers.list': {
    send: async (shop) => (await shop.asMechanic().customers.list(PAGE)).items.length,
    rows: (size) => pageOf(size.customers),
  },
  'customers.myTickets': {
    send: async (shop) => (await shop.asCustomer().customers.myTickets(PAGE)).items.length,
    rows: (size) => pageOf(size.tickets),
  },
  'customers.byId': {
    send: async (shop) => ((await shop.asMechanic().customers.byId({ id: 1 })) ? 1 : 0),
    rows: one,
  },
  'mechanics.list': {
    send: async (shop) => (await shop.asMechanic().mechanics.list(PAGE)).items.length,
    rows: (size) => pageOf(size.mechanics),
  },
  'mechanics.top': {
    send: async (shop) => (await shop.asMechanic().mechanics.top({ limit: 10 })).items.length,
    rows: (size) => Math.min(size.mechanics, 10),
  },
  'mechanics.byId': {
    send: async (shop) => ((await shop.asMechanic().mechanics.byId({ id: 1 })) ? 1 : 0),
    rows: one,
  },
  'serviceTickets.list': {
    send: async (shop) => (await shop.asMechanic().serviceTickets.list(PAGE)).items.length,
    rows: (size) => pageOf(size.tickets),
  },
  'serviceTickets.byId': {
    send: async (shop) => {
      const ticket = await shop.asMechanic().serviceTickets.byId({ id: 1 });
      return ticket.mechanics.length + ticket.parts.length;
    },
    rows: (size) => size.mechanicsPerTicket + size.partsPerTicket,
  },
  'inventory.list': {
    send: async (shop) => (await shop.asMechanic().inventory.list(PAGE)).items.length,
    rows: (size) => pageOf(size.parts),
  },
  'inventory.byId': {
    send: async (shop) => ((await shop.asMechanic().inventory.byId({ id: 1 })) ? 1 : 0),
    rows: one,
  },
  'assignments.list': {
    send: async (shop) => (await shop.asMechanic().assignments.list(PAGE)).items.length,
    rows: (size) => pageOf(size.tickets * size.mechanicsPerTicket),
  },
  'customers.myVehicles': {
    send: async (shop) => (await shop.asCustomer().customers.myVehicles(PAGE)).items.length,
    rows: (size) => pageOf(size.vehicles),
  },
  'vehicles.list': {
    send: async (shop) => (await shop.asMechanic().vehicles.list(PAGE)).items.length,
    rows: (size) => pageOf(size.vehicles),
  },
  'vehicles.decode': {
    send: async (shop) => ((await shop.asMechanic().vehicles.decode({ vin: '1HGCM82633A004352' })) ? 1 : 0),
    rows: one,
    offline: true,
  },
  'vehicles.byId': {
    send: async (shop) => ((await shop.asCustomer().vehicles.byId({ id: 1 })) ? 1 : 0),
    rows: one,
  },
  'vehicles.readings': {
    send: async (shop) => (await shop.asMechanic().vehicles.readings({ id: 1, ...PAGE })).items.length,
    rows: (size) => pageOf(size.readings),
  },
  'vehicles.history': {
    send: async (shop) => {
      const history = await shop.asCustomer().vehicles.history({ id: 1 });
      return history.tickets.length + history.odometer.length;
    },
    rows: (size) => size.tickets + size.readings,
  },
  'me.get': {
    send: async (shop) => ((await shop.asMechanic().me.get()) ? 1 : 0),
    rows: one,
  },
  'shop.settings': {
    send: async (shop) => ((await shop.asMechanic().shop.settings()) ? 1 : 0),
    rows: one,
  },
};

const GET_ROUTES = listProcedures()
  .filter(({ meta }) => meta.openapi?.method === 'GET')
  .map(({ path }) => path);

it('has a read for every GET route of the router, and none for a route that is gone', () => {
  expect({
    missing: GET_ROUTES.filter((path) => !(path in READS)),
    unknown: Object.keys(READS).filter((path) => !GET_ROUTES.includes(path)),
  }).toEqual({
    missing: [],
    unknown: [],
  });
});

describe('every GET route issues a fixed number of SQL statements, whatever the data (no N+1)', () => {
  let small: Shop;
  let large: Shop;

  beforeAll(async () => {
    [small, large] = await Promise.all([openShop(SMALL), openShop(LARGE)]);
  });
  afterAll(async () => {
    await Promise.all([small?.close(), large?.close()]);
  });

  /** The statements one call sends, and how many rows it returned. */
  async function measure(shop: Shop, read: Read): Promise<{ statements: string[]; rows: number }> {
    let rows = 0;
    const statements = await shop.statements.statementsOf(async () => {
      rows = await read.send(shop);
    });
    return { statements, rows };
  }

  it.each(Object.entries(READS).map(([path, read]) => ({ path, read })))('$path', async ({ path, read }) => {
    const few = await measure(small, read);
    const many = await measure(large, read);
    expect(few.rows).toBe(read.rows(SMALL));
    expect(many.rows).toBe(read.rows(LARGE));
    expect(few.statements.length > 0, 'statements were recorded').toBe(!read.offline);
    expect(many.statements, `${path} sent more statements for more data:\n${many.statements.join('\n')}`).toHaveLength(
      few.statements.length,
    );
  });
});
