import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller, createDocumentCaller } from '../caller.ts';
import { Invoice, InvoiceSnapshot } from '../invoices/invoice.schemas.ts';
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
  /** Of the first ticket, each with a decision on its job. */
  approvals: number;
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
  approvals: 1,
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
  approvals: 30,
  mechanicsPerTicket: 3,
  partsPerTicket: 4,
};

interface Shop {
  statements: StatementLog;
  /** A new caller for each read, so that each one authenticates as a request would. */
  asMechanic(): ReturnType<typeof createCaller>;
  asCustomer(): ReturnType<typeof createCaller>;
  /** The last mechanic, made the shop's owner, for the owner's routes. */
  asOwner(): ReturnType<typeof createCaller>;
  /** The printable documents' procedures, as the first customer. */
  documentsAsCustomer(): ReturnType<typeof createDocumentCaller>;
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
  await services.db.mechanic.update({ where: { id: size.mechanics }, data: { role: 'owner' } });
  const ownerToken = (await services.tokens.issue({ role: 'mechanic', id: size.mechanics, tokenVersion: 0 })).token;
  return {
    statements,
    asMechanic: () => createCaller(services, { token: mechanicToken }),
    asCustomer: () => createCaller(services, { token: customerToken }),
    asOwner: () => createCaller(services, { token: ownerToken }),
    documentsAsCustomer: () => createDocumentCaller(services, { token: customerToken }),
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
  await db.webhook.create({
    data: {
      id: 1,
      url: 'https://hooks.example.com/shop',
      eventTypes: '["ticket.created"]',
      secret: 'whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0',
    },
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
  // The first ticket's approvals, each approving its job.
  await db.approval.createMany({
    data: range(size.approvals).map((id) => ({
      id,
      serviceTicketId: 1,
      estimateVersion: 0,
      method: 'portal' as const,
      recordedByKind: 'customer' as const,
      recordedById: 1,
      signatureName: 'Person 1',
      approvedAmountCents: 8_000,
      clientIp: '127.0.0.1',
    })),
  });
  await db.approvalDecision.createMany({
    data: range(size.approvals).map((approvalId) => ({
      approvalId,
      jobId: 1,
      jobTitle: 'General',
      decision: 'approve' as const,
      amountCents: 8_000,
    })),
  });
  // An invoice of 100.00 per ticket, paid in as many payments of 1.00 as the ticket has parts, each refunded 0.50.
  const snapshot = JSON.stringify(InvoiceSnapshot.parse((Invoice.meta() as { example: unknown }).example));
  const zero = { laborCents: 0, partsCents: 0, feesCents: 0, subletCents: 0, suppliesCents: 0, discountsCents: 0 };
  const untaxed = { taxLaborCents: 0, taxPartsCents: 0, taxFeesCents: 0, taxSubletCents: 0, subtotalCents: 10_000, totalCents: 10_000 };
  await db.invoice.createMany({
    data: range(size.tickets).map((id) => ({
      id,
      number: `INV-${id}`,
      sequence: id,
      serviceTicketId: id,
      customerId: 1,
      liveTicketId: id,
      issuedById: 1,
      snapshot,
      ...zero,
      ...untaxed,
    })),
  });
  await db.payment.createMany({
    data: range(size.tickets).flatMap((invoiceId) =>
      range(size.partsPerTicket).map(() => ({ invoiceId, amountCents: 100, method: 'cash' as const, recordedById: 1 })),
    ),
  });
  const payments = await db.payment.findMany({ select: { id: true } });
  await db.refund.createMany({ data: payments.map(({ id }) => ({ paymentId: id, amountCents: 50, reason: 'Goodwill', recordedById: 1 })) });
  // A declined job per ticket to follow up, with a fee line (not a part: tickets list their part lines).
  await db.job.createMany({
    data: range(size.tickets).map((ticket) => ({
      id: size.tickets + ticket,
      serviceTicketId: ticket,
      title: 'Timing belt',
      position: 2,
      authorization: 'declined' as const,
      decidedAt: new Date('2026-12-01T10:00:00.000Z'),
      declineReason: 'Later',
      followUpOn: new Date(Date.UTC(2026, 11, 1 + ticket)),
    })),
  });
  await db.line.createMany({
    data: range(size.tickets).map((ticket) => ({
      jobId: size.tickets + ticket,
      type: 'fee' as const,
      description: 'Coolant',
      amountCents: 1_500,
    })),
  });
  // A published ticket.created event per ticket, and as many customer-visible audit entries on the first ticket.
  await db.event.createMany({
    data: range(size.tickets).map((id) => ({
      position: id,
      type: 'ticket.created',
      subjectType: 'service_ticket',
      subjectId: String(id),
      data: '{}',
    })),
  });
  await db.auditEntry.createMany({
    data: range(size.tickets).map(() => ({
      subjectType: 'service_ticket',
      subjectId: '1',
      serviceTicketId: 1,
      action: 'ticket.status_changed',
      changes: '{"status":{"before":"PENDING","after":"IN_PROGRESS"}}',
      customerVisible: true,
    })),
  });
  // The first ticket's approval link, at its estimate_version.
  await db.approvalLink.create({
    data: {
      serviceTicketId: 1,
      tokenHash: createHash('sha256').update(LINK_TOKEN).digest('hex'),
      estimateVersion: 0,
      expiresAt: new Date(Date.now() + 3_600_000),
      createdById: 1,
    },
  });
}

/** The token of the first ticket's approval link. */
const LINK_TOKEN = 'query-count-approval-link-token';

interface Read {
  /** Sends the read; resolves to the number of rows it returned. */
  send(shop: Shop): Promise<number>;
  /** The rows it should return for a shop of that size: proves the large case really is large. */
  rows(size: ShopSize): number;
  /** Answered without the database (the statements are then none, whatever the data). */
  offline?: true;
  /** Read in exactly this many statements, whatever the data: the reads written as one SQL statement (src/db/kysely.ts). */
  statements?: number;
}

const PAGE = { page: 1, per_page: 20 };
/** A report period from yesterday to tomorrow (UTC). */
const aroundToday = () => {
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  return { from: day(-1), to: day(1) };
};
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
    statements: 1,
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
  'approvalLinks.view': {
    send: async (shop) => (await shop.asCustomer().approvalLinks.view({ token: LINK_TOKEN })).jobs.flatMap((job) => job.lines).length,
    rows: (size) => size.partsPerTicket + 1,
  },
  'declinedWork.list': {
    send: async (shop) => (await shop.asMechanic().declinedWork.list(PAGE)).items.length,
    rows: (size) => pageOf(size.tickets),
  },
  'approvals.list': {
    send: async (shop) => (await shop.asCustomer().approvals.list({ id: 1, ...PAGE })).items.length,
    rows: (size) => pageOf(size.approvals),
  },
  'invoices.list': {
    send: async (shop) => (await shop.asMechanic().invoices.list({ status: 'partially_paid', ...PAGE })).items.length,
    rows: (size) => pageOf(size.tickets),
  },
  'invoices.byNumber': {
    send: async (shop) => (await shop.asCustomer().invoices.byNumber({ number: 'INV-1' })).payments.length,
    rows: (size) => size.partsPerTicket,
  },
  'customers.myInvoices': {
    send: async (shop) => (await shop.asCustomer().customers.myInvoices(PAGE)).items.length,
    rows: (size) => pageOf(size.tickets),
  },
  'events.feed': {
    send: async (shop) => (await shop.asOwner().events.feed({ types: 'ticket.created', limit: PAGE.per_page })).items.length,
    rows: (size) => pageOf(size.tickets),
  },
  // One webhook (fill), without deliveries: its reads, like the others, cost a fixed number of statements.
  'webhooks.list': {
    send: async (shop) => (await shop.asOwner().webhooks.list(PAGE)).items.length,
    rows: one,
  },
  'webhooks.byId': {
    send: async (shop) => ((await shop.asOwner().webhooks.byId({ id: 1 })) ? 1 : 0),
    rows: one,
  },
  'webhooks.deliveries': {
    send: async (shop) => (await shop.asOwner().webhooks.deliveries({ ...PAGE, id: 1 })).items.length,
    rows: () => 0,
  },
  'audit.list': {
    send: async (shop) => (await shop.asOwner().audit.list({ ...PAGE, subject_type: 'service_ticket' })).items.length,
    rows: (size) => pageOf(size.tickets),
  },
  'audit.ticketHistory': {
    send: async (shop) => (await shop.asCustomer().audit.ticketHistory({ ...PAGE, id: 1 })).items.length,
    rows: (size) => pageOf(size.tickets),
  },
  'reports.sales': {
    // Every invoice, payment and refund of the shop is in the period (issued and paid today).
    send: async (shop) => (await shop.asOwner().reports.sales(aroundToday())).invoice_count,
    rows: (size) => size.tickets,
  },
  'documents.invoicePdf': {
    send: async (shop) => ((await shop.documentsAsCustomer().documents.invoicePdf({ number: 'INV-1' })).bytes.length > 0 ? 1 : 0),
    rows: one,
  },
  'documents.estimatePdf': {
    send: async (shop) => ((await shop.documentsAsCustomer().documents.estimatePdf({ id: 1 })).bytes.length > 0 ? 1 : 0),
    rows: one,
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
    // Each account's first call looks it up, then it is remembered briefly; the small shop's owner is also its
    // mechanic. Every account of both shops is looked up once before anything is measured.
    await Promise.all(
      [small, large].flatMap((shop) => [shop.asOwner(), shop.asMechanic(), shop.asCustomer()].map((caller) => caller.me.get())),
    );
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
    if (read.statements !== undefined) {
      expect(few.statements, `${path} is read in ${read.statements} statement(s):\n${few.statements.join('\n')}`).toHaveLength(
        read.statements,
      );
    }
  });
});
