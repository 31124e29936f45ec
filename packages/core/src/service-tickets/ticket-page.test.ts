import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows } from '../db/dialect.ts';
import { pageWindow, type PaginationInput } from '../shared/schemas.ts';
import { DEFAULT_SHOP_SETTINGS, readSettings } from '../shop/shop.service.ts';
import { createTestApp, type TestApp } from '../testing/index.ts';
import { ticketFields } from '../testing/prisma-reads.ts';
import { readTicketPage, type TicketFilter } from './ticket-page.ts';

/**
 * The one-statement page of tickets against Prisma's read of the same page (the
 * reference: the tickets with a statement per relation, the count, the
 * settings), on the suite's database, for every filter the lists use, pages
 * full, partial and past the end, with and without the shop's settings. What
 * each ticket document carries (nulls, unicode, amounts, dates) is
 * ticket-document.test.ts's subject; the tickets here vary in what a page
 * composes: customers, statuses, mechanics, jobs and lines, or none.
 */

let app: TestApp;
const customers: number[] = [];
const STATUSES = ['PENDING', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED'] as const;
const TICKETS = 13;

beforeAll(async () => {
  app = await createTestApp({ cache: 'off' });
  const { db } = app.services;
  const account = { phone: '+1 555 0100', address: '1 Main Street', passwordHash: 'x' };
  for (const name of ['Zoë Ω', 'Ada']) {
    customers.push((await db.customer.create({ data: { ...account, name, email: `${customers.length}@example.com` } })).id);
  }
  const mechanics = [];
  for (const name of ['Łukasz 李', 'Grace', 'Linus']) {
    mechanics.push((await db.mechanic.create({ data: { ...account, name, email: `${name}@example.com`, salaryCents: 1 } })).id);
  }
  const part = await db.inventoryItem.create({ data: { partName: 'Bremsbeläge 🚗', priceCents: 4_990, quantity: 5 } });
  for (let index = 0; index < TICKETS; index++) {
    const customerId = customers[index % 2]!;
    const vehicle = await db.vehicle.create({
      data: index % 3 === 0 ? { customerId } : { customerId, vin: `1HGCM82633A00${String(index).padStart(4, '0')}`, make: 'Škoda' },
    });
    const ticket = await db.serviceTicket.create({
      data: {
        customerId,
        vehicleId: vehicle.id,
        title: `Ticket ${index} — "quoted"`,
        description: index % 4 === 0 ? '' : 'Squeaks\nwhen stopping',
        serviceDate: new Date(Date.UTC(2026, 11, 1 + index)),
        status: STATUSES[index % STATUSES.length],
        costCents: index * 1_001,
      },
    });
    // Mechanics out of id order, on some tickets.
    for (const mechanicId of mechanics.slice(0, index % 4).reverse()) {
      await db.serviceAssignment.create({ data: { serviceTicketId: ticket.id, mechanicId } });
    }
    if (index % 3 === 2) continue;
    const job = await db.job.create({
      data: {
        serviceTicketId: ticket.id,
        title: 'Brakes',
        position: 1,
        ...(index % 5 === 1 ? { authorization: 'declined', decidedAt: new Date(), followUpOn: new Date(Date.UTC(2027, 0, 1)) } : {}),
      },
    });
    await db.line.createMany({
      data: [
        { jobId: job.id, type: 'labor', description: 'Pads', hoursHundredths: 150, rateCents: 12_000, technicianId: mechanics[0] },
        { jobId: job.id, type: 'part', inventoryId: part.id, quantity: index + 1, unitPriceCents: 4_990 },
      ],
    });
  }
});
afterAll(() => app?.close());

/** Prisma's read of a page, the reference. */
async function prismaPage(filter: TicketFilter, page: PaginationInput) {
  const { db } = app.services;
  return {
    rows: await db.serviceTicket.findMany({ where: filter, select: ticketFields, orderBy: { id: 'asc' }, ...pageWindow(page) }),
    total: await countRows(db, 'service_tickets', { customer_id: filter.customerId, status: filter.status }),
    settings: await readSettings(db),
  };
}

const read = (filter: TicketFilter, page: PaginationInput) => readTicketPage(app.services.db, app.services.provider, filter, page);

/** Every filter a list uses, each page of 5 and the one after the last. */
function cases(): Array<[TicketFilter, PaginationInput]> {
  const filters: TicketFilter[] = [
    {},
    { customerId: customers[0] },
    { customerId: customers[1] },
    { status: 'IN_PROGRESS' },
    { customerId: customers[0], status: 'PENDING' },
    { customerId: 999_999 },
  ];
  return filters.flatMap((filter) => [1, 2, 3, 4].map((page): [TicketFilter, PaginationInput] => [filter, { page, per_page: 5 }]));
}

describe('a page of tickets read in one statement is what Prisma reads', () => {
  it('for every filter and page, without shop settings', async () => {
    for (const [filter, page] of cases())
      expect(await read(filter, page), JSON.stringify({ filter, page })).toStrictEqual(await prismaPage(filter, page));
  });

  it('for every filter and page, with the shop’s settings', async () => {
    await app.services.db.shopSettings.create({
      data: { ...DEFAULT_SHOP_SETTINGS, id: 1, shopName: 'Zoë’s “garage”', currency: 'EUR', suppliesTaxable: true, pricingVersion: 4 },
    });
    for (const [filter, page] of cases())
      expect(await read(filter, page), JSON.stringify({ filter, page })).toStrictEqual(await prismaPage(filter, page));
  });

  it('the pages compared are not trivial', async () => {
    const first = await read({}, { page: 1, per_page: 100 });
    expect(first.total).toBe(TICKETS);
    expect(first.rows.map((row) => row.id)).toEqual([...first.rows.map((row) => row.id)].sort((a, b) => a - b));
    expect(first.rows.some((row) => row.assignments.length === 3 && row.jobs.some((job) => job.lines.length === 2))).toBe(true);
    expect((await read({ customerId: customers[0] }, { page: 2, per_page: 5 })).rows).toHaveLength(2);
  });
});
