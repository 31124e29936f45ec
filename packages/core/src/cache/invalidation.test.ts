import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller, type Caller } from '../caller.ts';
import { publishAllEvents } from '../events/publisher.ts';
import { listProcedures } from '../router.ts';
import {
  approveEveryJob,
  newCustomer,
  newInventoryItem,
  newMechanic,
  newTicket,
  PASSWORD,
  signUpCustomer,
  signUpMechanic,
  uniqueVin,
} from '../testing/fixtures.ts';
import { createTestApp, statementLog, type TestApp } from '../testing/index.ts';
import type { Resource } from './response-cache.ts';

/**
 * Cross-resource invalidation, checked against the SQL the routes really send:
 * each write route is run once and the tables it writes are collected, each
 * cached read likewise with the tables it reads. Wherever a write touches a
 * table a cached read shows, the table's resource must be both in the write's
 * `invalidates` and in the read's `dependsOn`, or the read could serve an answer
 * the write made stale. The routes come from the router: a new write or cached
 * read fails here until it has a driver below.
 */

/** The resource each table's rows belong to; `null` for tables no answer shows. */
const RESOURCE_OF_TABLE: Record<string, Resource | null> = {
  customers: 'customers',
  mechanics: 'mechanics',
  service_tickets: 'serviceTickets',
  jobs: 'serviceTickets',
  job_lines: 'serviceTickets',
  shop_settings: 'shop',
  service_assignments: 'assignments',
  inventory: 'inventory',
  vehicles: 'vehicles',
  odometer_readings: 'vehicles',
  approval_links: 'approvalLinks',
  approvals: 'approvals',
  approval_decisions: 'approvals',
  shop_setup: null,
  invoices: 'invoices',
  // Raised by issuing an invoice; no answer shows it.
  invoice_sequence: null,
  payments: 'payments',
  refunds: 'payments',
  // Written around every keyed POST (src/idempotency); no answer shows it.
  idempotency_keys: null,
  // Written by the changes themselves (src/events); GET /events, /audit and a ticket's history are never cached.
  events: null,
  event_publisher: null,
  audit_entries: null,
  webhooks: 'webhooks',
  webhook_deliveries: 'webhooks',
  webhook_attempts: 'webhooks',
};

/** The data model, for the table names and the deletes the database cascades (which no statement shows). */
const SCHEMA = readFileSync(new URL('../../prisma/models.prisma', import.meta.url), 'utf8');
const MODELS = [...SCHEMA.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)].map(([, name, body]) => ({
  name: name!,
  table: /@@map\("(\w+)"\)/.exec(body!)?.[1] ?? name!,
  body: body!,
}));
const tableOf = (model: string) => MODELS.find((candidate) => candidate.name === model)!.table;
/** Parent table → the tables whose rows go with a deleted parent row. */
const CASCADES = new Map<string, string[]>();
for (const { table, body } of MODELS) {
  for (const [, parent] of body.matchAll(/^\s+\w+\s+(\w+)\s+@relation\([^)]*onDelete: Cascade/gm)) {
    CASCADES.set(tableOf(parent!), [...(CASCADES.get(tableOf(parent!)) ?? []), table]);
  }
}

/** A table name as SQLite, PostgreSQL and MySQL quote it, schema-qualified or not. */
const TABLE = String.raw`(?:[\x60"]?\w+[\x60"]?\.)?[\x60"]?(\w+)[\x60"]?`;
const WRITE = new RegExp(String.raw`^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+${TABLE}`, 'i');
const READ = new RegExp(String.raw`\b(?:FROM|JOIN)\s+${TABLE}`, 'gi');

function writtenTables(statements: string[]): Set<string> {
  const written = new Set<string>();
  const add = (table: string, deleted: boolean) => {
    if (written.has(table)) return;
    written.add(table);
    if (deleted) for (const child of CASCADES.get(table) ?? []) add(child, true);
  };
  for (const sql of statements) {
    const match = WRITE.exec(sql);
    if (match) add(match[2]!, /^DELETE/i.test(match[1]!));
  }
  return written;
}

function readTables(statements: string[]): Set<string> {
  return new Set(statements.flatMap((sql) => [...sql.matchAll(READ)].map((match) => match[1]!)));
}

interface World {
  app: TestApp;
  mechanic: Awaited<ReturnType<typeof signUpMechanic>>;
  customer: Awaited<ReturnType<typeof signUpCustomer>>;
  itemId: number;
  /** A ticket of the customer with the mechanic and a part on it. */
  ticketId: number;
  /** The vehicle of that ticket, with an odometer reading. */
  vehicleId: number;
  /** An invoice of the customer with a payment, partly refunded. */
  invoiceNumber: string;
}

/** A route's call, with the token it runs under (prepared beforehand, so that only the call itself is recorded). */
interface Run {
  token?: string;
  call: (caller: Caller) => Promise<unknown>;
}

async function workedTicket(world: World, ownerToken = world.customer.token): Promise<number> {
  const { app, mechanic, itemId } = world;
  const ticket = await app.as(ownerToken).serviceTickets.open(newTicket());
  await app.as(mechanic.token).serviceTickets.addPart({ id: ticket.id, inventory_id: itemId, quantity: 1 });
  await app.as(mechanic.token).serviceTickets.edit({ id: ticket.id, add_ids: [mechanic.mechanic.id] });
  return ticket.id;
}

const asMechanic = (world: World, call: Run['call']): Run => ({ token: world.mechanic.token, call });

/** A public address literally: the URL check needs no DNS. */
const WEBHOOK_URL = 'https://93.184.215.14/hook';
const newWebhook = (world: World) =>
  world.app.as(world.mechanic.token).webhooks.create({ url: WEBHOOK_URL, event_types: ['invoice.issued'] });

/** One run of every write route, by procedure path. */
const WRITES: Record<string, (world: World) => Promise<Run>> = {
  'customers.register': async () => ({ call: (caller) => caller.customers.register(newCustomer()) }),
  'customers.logIn': async ({ app }) => {
    const input = newCustomer();
    await app.as().customers.register(input);
    return { call: (caller) => caller.customers.logIn({ email: input.email, password: PASSWORD }) };
  },
  'customers.update': async ({ app }) => {
    const { customer, token } = await signUpCustomer(app);
    return { token, call: (caller) => caller.customers.update({ id: customer.id, phone: '+1 555 0199' }) };
  },
  'customers.delete': async (world) => {
    // One ticket with no work done (deleted, its parts restocked) and one in progress (kept: the account is erased).
    const owner = await signUpCustomer(world.app);
    await workedTicket(world, owner.token);
    const inProgress = await workedTicket(world, owner.token);
    await approveEveryJob(world.app, world.mechanic.token, inProgress);
    await world.app.as(world.mechanic.token).serviceTickets.edit({ id: inProgress, status: 'IN_PROGRESS' });
    return { token: owner.token, call: (caller) => caller.customers.delete({ id: owner.customer.id }) };
  },
  'mechanics.register': async (world) => asMechanic(world, (caller) => caller.mechanics.register(newMechanic())),
  'mechanics.logIn': async ({ app }) => {
    const { mechanic } = await signUpMechanic(app);
    return { call: (caller) => caller.mechanics.logIn({ email: mechanic.email!, password: PASSWORD }) };
  },
  'mechanics.update': async ({ app }) => {
    const { mechanic, token } = await signUpMechanic(app);
    return { token, call: (caller) => caller.mechanics.update({ id: mechanic.id, phone: '+1 555 0198' }) };
  },
  'mechanics.delete': async (world) => {
    const { mechanic, token } = await signUpMechanic(world.app);
    await world.app.as(world.mechanic.token).serviceTickets.edit({ id: world.ticketId, add_ids: [mechanic.id] });
    return { token, call: (caller) => caller.mechanics.delete({ id: mechanic.id }) };
  },
  'mechanics.changeRole': async (world) => {
    const { mechanic } = await signUpMechanic(world.app);
    return asMechanic(world, (caller) => caller.mechanics.changeRole({ id: mechanic.id, role: 'service_writer' }));
  },
  'serviceTickets.open': async ({ customer }) => ({
    token: customer.token,
    call: (caller) => caller.serviceTickets.open(newTicket({ odometer_in: 10 })),
  }),
  'serviceTickets.edit': async (world) => {
    const id = await workedTicket(world);
    await approveEveryJob(world.app, world.mechanic.token, id);
    const { mechanic } = await signUpMechanic(world.app);
    return asMechanic(world, (caller) =>
      caller.serviceTickets.edit({
        id,
        add_ids: [mechanic.id],
        remove_ids: [world.mechanic.mechanic.id],
        status: 'IN_PROGRESS',
        cost: '10.00',
        odometer_in: 20,
      }),
    );
  },
  'serviceTickets.delete': async (world) => {
    const id = await workedTicket(world);
    return asMechanic(world, (caller) => caller.serviceTickets.delete({ id }));
  },
  'serviceTickets.addPart': async (world) => {
    const ticket = await world.app.as(world.customer.token).serviceTickets.open(newTicket());
    return asMechanic(world, (caller) => caller.serviceTickets.addPart({ id: ticket.id, inventory_id: world.itemId, quantity: 1 }));
  },
  'serviceTickets.removePart': async (world) => {
    const id = await workedTicket(world);
    return asMechanic(world, (caller) => caller.serviceTickets.removePart({ id, inventory_id: world.itemId }));
  },
  'serviceTickets.addJob': async (world) => {
    const id = await workedTicket(world);
    return asMechanic(world, (caller) => caller.serviceTickets.addJob({ id, title: 'Brakes' }));
  },
  'serviceTickets.editJob': async (world) => {
    const { id, job } = await workedJob(world);
    return asMechanic(world, (caller) => caller.serviceTickets.editJob({ id, job_id: job.id, cause: 'Worn pads' }));
  },
  'serviceTickets.deleteJob': async (world) => {
    const { id, job } = await workedJob(world);
    return asMechanic(world, (caller) => caller.serviceTickets.deleteJob({ id, job_id: job.id }));
  },
  'serviceTickets.addLine': async (world) => {
    const { id, job } = await workedJob(world);
    return asMechanic(world, (caller) =>
      caller.serviceTickets.addLine({ id, job_id: job.id, type: 'part', inventory_id: world.itemId, quantity: 1 }),
    );
  },
  'serviceTickets.editLine': async (world) => {
    const { id, job } = await workedJob(world);
    return asMechanic(world, (caller) => caller.serviceTickets.editLine({ id, job_id: job.id, line_id: job.lines[0]!.id, quantity: 2 }));
  },
  'serviceTickets.deleteLine': async (world) => {
    const { id, job } = await workedJob(world);
    return asMechanic(world, (caller) => caller.serviceTickets.deleteLine({ id, job_id: job.id, line_id: job.lines[0]!.id }));
  },
  'approvalLinks.create': async (world) => {
    const id = await workedTicket(world);
    return asMechanic(world, (caller) => caller.approvalLinks.create({ id }));
  },
  'approvalLinks.approve': async (world) => {
    // Declined: its part goes back to stock.
    const { id, job } = await workedJob(world);
    const { token } = await world.app.as(world.mechanic.token).approvalLinks.create({ id });
    return {
      call: (caller) =>
        caller.approvalLinks.approve({ token, decisions: [{ job_id: job.id, decision: 'decline' }], signature_name: 'Ada' }),
    };
  },
  'declinedWork.revive': async (world) => {
    const jobId = await declinedJob(world);
    return asMechanic(world, (caller) => caller.declinedWork.revive({ job_id: jobId }));
  },
  'approvals.create': async (world) => {
    // Declined: its part goes back to stock.
    const { id, job } = await workedJob(world);
    const { estimate_version } = await world.app.as(world.mechanic.token).serviceTickets.byId({ id });
    return asMechanic(world, (caller) =>
      caller.approvals.create({
        id,
        estimate_version,
        decisions: [{ job_id: job.id, decision: 'decline', reason: 'Later' }],
        signature_name: 'Ada Lovelace',
        method: 'in_person',
      }),
    );
  },
  'invoices.create': async (world) => {
    const { id } = await world.app.as(world.customer.token).serviceTickets.open(newTicket());
    await world.app.as(world.mechanic.token).serviceTickets.edit({ id, status: 'IN_PROGRESS' });
    await world.app.as(world.mechanic.token).serviceTickets.edit({ id, status: 'COMPLETED' });
    return asMechanic(world, (caller) => caller.invoices.create({ id }));
  },
  'invoices.void': async (world) => {
    const number = await issuedInvoice(world);
    return asMechanic(world, (caller) => caller.invoices.void({ number, reason: 'Duplicate' }));
  },
  'payments.create': async (world) => {
    const number = await issuedInvoice(world);
    return keyed(world, (caller) => caller.payments.create({ number, amount: '10.00', method: 'cash' }));
  },
  'payments.refund': async (world) => {
    const id = await paymentOf(world);
    return keyed(world, (caller) => caller.payments.refund({ id, amount: '1.00', reason: 'Goodwill' }));
  },
  'webhooks.create': async (world) =>
    asMechanic(world, (caller) => caller.webhooks.create({ url: WEBHOOK_URL, event_types: ['invoice.issued'] })),
  'webhooks.update': async (world) => {
    const { id } = await newWebhook(world);
    return asMechanic(world, (caller) => caller.webhooks.update({ id, enabled: false }));
  },
  'webhooks.delete': async (world) => {
    const { id } = await newWebhook(world);
    return asMechanic(world, (caller) => caller.webhooks.delete({ id }));
  },
  'webhooks.rotateSecret': async (world) => {
    const { id } = await newWebhook(world);
    return asMechanic(world, (caller) => caller.webhooks.rotateSecret({ id }));
  },
  'webhooks.test': async (world) => {
    const { id } = await newWebhook(world);
    return asMechanic(world, (caller) => caller.webhooks.test({ id }));
  },
  'webhooks.retryDelivery': async (world) => {
    const { id } = await newWebhook(world);
    await world.app.as(world.mechanic.token).webhooks.test({ id });
    await publishAllEvents(world.app.services);
    const [delivery] = (await world.app.as(world.mechanic.token).webhooks.deliveries({ id })).items;
    return asMechanic(world, (caller) => caller.webhooks.retryDelivery({ id, delivery_id: delivery!.id }));
  },
  'shop.updateSettings': async (world) => asMechanic(world, (caller) => caller.shop.updateSettings({ tax_rates: { parts: '8.875' } })),
  'vehicles.create': async ({ customer }) => ({
    token: customer.token,
    call: (caller) => caller.vehicles.create({ vin: uniqueVin(), odometer: 10 }),
  }),
  'vehicles.update': async (world) => {
    const { customer } = await signUpCustomer(world.app);
    const ticket = await world.app.as(world.customer.token).serviceTickets.open(newTicket());
    return asMechanic(world, (caller) => caller.vehicles.update({ id: ticket.vehicle.id, customer_id: customer.id, color: 'Red' }));
  },
  'vehicles.delete': async ({ app, customer }) => {
    const vehicle = await app.as(customer.token).vehicles.create({ plate: 'GONE 1', odometer: 10 });
    return { token: customer.token, call: (caller) => caller.vehicles.delete({ id: vehicle.id }) };
  },
  'vehicles.addReading': async (world) => {
    const ticket = await world.app.as(world.customer.token).serviceTickets.open(newTicket());
    return asMechanic(world, (caller) => caller.vehicles.addReading({ id: ticket.vehicle.id, reading: 100 }));
  },
  'inventory.create': async (world) => asMechanic(world, (caller) => caller.inventory.create(newInventoryItem())),
  'inventory.update': async (world) => {
    const item = await world.app.as(world.mechanic.token).inventory.create(newInventoryItem());
    return asMechanic(world, (caller) => caller.inventory.update({ id: item.id, quantity: 3 }));
  },
  'inventory.delete': async (world) => {
    const item = await world.app.as(world.mechanic.token).inventory.create(newInventoryItem());
    return asMechanic(world, (caller) => caller.inventory.delete({ id: item.id }));
  },
  'assignments.create': async (world) => {
    const ticket = await world.app.as(world.customer.token).serviceTickets.open(newTicket());
    return asMechanic(world, (caller) =>
      caller.assignments.create({ service_ticket_id: ticket.id, mechanic_id: world.mechanic.mechanic.id }),
    );
  },
  'assignments.delete': async (world) => {
    const id = await workedTicket(world);
    return asMechanic(world, (caller) => caller.assignments.delete({ service_ticket_id: id, mechanic_id: world.mechanic.mechanic.id }));
  },
};

/** A worked job the customer declined through an approval link (its part back in stock); its id. */
async function declinedJob(world: World): Promise<number> {
  const { id, job } = await workedJob(world);
  const { token } = await world.app.as(world.mechanic.token).approvalLinks.create({ id });
  await world.app.as().approvalLinks.approve({ token, decisions: [{ job_id: job.id, decision: 'decline' }], signature_name: 'Ada' });
  return job.id;
}

/** An invoice of the customer's for a completed ticket with no jobs, 100.00; its number. */
async function issuedInvoice({ app, mechanic, customer }: World): Promise<string> {
  const { id } = await app.as(customer.token).serviceTickets.open(newTicket());
  await app.as(mechanic.token).serviceTickets.edit({ id, cost: '100.00', status: 'IN_PROGRESS' });
  await app.as(mechanic.token).serviceTickets.edit({ id, status: 'COMPLETED' });
  return (await app.as(mechanic.token).invoices.create({ id })).number;
}

/** The mechanic, with a new Idempotency-Key on each POST: payments and refunds require one. */
const keyedMechanic = (world: World) => createCaller(world.app.services, { token: world.mechanic.token, idempotencyKey: randomUUID() });

/** A payment of 50.00 on an invoice (a new one unless given); its id. */
async function paymentOf(world: World, number?: string): Promise<number> {
  const payment = await keyedMechanic(world).payments.create({
    number: number ?? (await issuedInvoice(world)),
    amount: '50.00',
    method: 'cash',
  });
  return payment.id;
}

const keyed = (world: World, call: (caller: Caller) => Promise<unknown>): Run => ({
  token: world.mechanic.token,
  call: () => call(keyedMechanic(world)),
});

/** A worked ticket's first job, with its part line. */
async function workedJob(world: World) {
  const id = await workedTicket(world);
  const ticket = await world.app.as(world.mechanic.token).serviceTickets.byId({ id });
  return { id, job: ticket.jobs[0]! };
}

/** One run of every cached read, by procedure path, on data that makes it read every table it can show. */
/** A report period from yesterday to tomorrow (UTC): the world's invoices are issued now. */
const aroundToday = () => {
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  return { from: day(-1), to: day(1) };
};

const READS: Record<string, (world: World) => Run> = {
  'customers.list': (world) => asMechanic(world, (caller) => caller.customers.list({})),
  'customers.myTickets': ({ customer }) => ({ token: customer.token, call: (caller) => caller.customers.myTickets({}) }),
  'mechanics.list': (world) => asMechanic(world, (caller) => caller.mechanics.list({})),
  'mechanics.top': () => ({ call: (caller) => caller.mechanics.top({}) }),
  'mechanics.byId': (world) => asMechanic(world, (caller) => caller.mechanics.byId({ id: world.mechanic.mechanic.id })),
  'serviceTickets.list': (world) => asMechanic(world, (caller) => caller.serviceTickets.list({})),
  'serviceTickets.byId': (world) => asMechanic(world, (caller) => caller.serviceTickets.byId({ id: world.ticketId })),
  'inventory.list': (world) => asMechanic(world, (caller) => caller.inventory.list({})),
  'inventory.byId': (world) => asMechanic(world, (caller) => caller.inventory.byId({ id: world.itemId })),
  'assignments.list': (world) => asMechanic(world, (caller) => caller.assignments.list({})),
  'customers.myVehicles': ({ customer }) => ({ token: customer.token, call: (caller) => caller.customers.myVehicles({}) }),
  'vehicles.list': (world) => asMechanic(world, (caller) => caller.vehicles.list({})),
  'vehicles.decode': (world) => asMechanic(world, (caller) => caller.vehicles.decode({ vin: '1HGCM82633A004352' })),
  'vehicles.byId': (world) => asMechanic(world, (caller) => caller.vehicles.byId({ id: world.vehicleId })),
  'vehicles.readings': (world) => asMechanic(world, (caller) => caller.vehicles.readings({ id: world.vehicleId })),
  'vehicles.history': (world) => asMechanic(world, (caller) => caller.vehicles.history({ id: world.vehicleId })),
  'shop.settings': (world) => asMechanic(world, (caller) => caller.shop.settings()),
  'approvals.list': (world) => asMechanic(world, (caller) => caller.approvals.list({ id: world.ticketId })),
  'invoices.list': (world) => asMechanic(world, (caller) => caller.invoices.list({ status: 'partially_paid' })),
  'invoices.byNumber': (world) => asMechanic(world, (caller) => caller.invoices.byNumber({ number: world.invoiceNumber })),
  'customers.myInvoices': ({ customer }) => ({ token: customer.token, call: (caller) => caller.customers.myInvoices({}) }),
  'reports.sales': (world) => asMechanic(world, (caller) => caller.reports.sales(aroundToday())),
  'me.get': (world) => asMechanic(world, (caller) => caller.me.get()),
  'declinedWork.list': (world) => asMechanic(world, (caller) => caller.declinedWork.list({})),
  'webhooks.list': (world) => asMechanic(world, (caller) => caller.webhooks.list({})),
};

const procedures = listProcedures();
const writeRoutes = procedures.filter(({ type }) => type === 'mutation');
const cachedReads = procedures.filter(({ type, meta }) => type === 'query' && meta.cache !== undefined && meta.cache !== 'no-store');

const coverage = (routes: Array<{ path: string }>, drivers: object) => ({
  missing: routes.map(({ path }) => path).filter((path) => !(path in drivers)),
  unknown: Object.keys(drivers).filter((path) => !routes.some((route) => route.path === path)),
});

describe('cross-resource invalidation', () => {
  const { onStatement, statementsOf } = statementLog();
  let world: World;

  beforeAll(async () => {
    // The response cache is off, so that every read reaches the database.
    const app = await createTestApp({ cache: 'off', database: { onStatement } });
    const mechanic = await signUpMechanic(app);
    const customer = await signUpCustomer(app);
    const item = await app.as(mechanic.token).inventory.create(newInventoryItem({ quantity: 1_000 }));
    world = { app, mechanic, customer, itemId: item.id, ticketId: 0, vehicleId: 0, invoiceNumber: '' };
    world.ticketId = await workedTicket(world);
    world.vehicleId = (await app.as(mechanic.token).serviceTickets.byId({ id: world.ticketId })).vehicle.id;
    await app.as(mechanic.token).vehicles.addReading({ id: world.vehicleId, reading: 10 });
    world.invoiceNumber = await issuedInvoice(world);
    await keyedMechanic(world).payments.refund({ id: await paymentOf(world, world.invoiceNumber), amount: '5.00', reason: 'Goodwill' });
    // The follow-up list shows a declined job, its lines, ticket, vehicle and customer.
    await declinedJob(world);
  });
  afterAll(() => world?.app.close());

  /** The statements of one call, without the token check (a request to a cached read makes it whatever it reads). */
  async function record({ token, call }: Run): Promise<string[]> {
    if (token) await world.app.services.authenticator.authenticate(`Bearer ${token}`);
    return statementsOf(() => call(world.app.as(token)));
  }

  it('has a driver for every write route and every cached read, and none for a route that is gone', () => {
    expect({ writes: coverage(writeRoutes, WRITES), reads: coverage(cachedReads, READS) }).toEqual({
      writes: { missing: [], unknown: [] },
      reads: { missing: [], unknown: [] },
    });
  });

  it('knows the resource of every table of the data model', () => {
    expect(MODELS.map(({ table }) => table).sort()).toEqual(Object.keys(RESOURCE_OF_TABLE).sort());
  });

  it('makes every write invalidate, and every cached read depend on, the resource of each table the write touches and the read shows', async () => {
    const reads = new Map<string, Set<string>>();
    for (const [path, read] of Object.entries(READS)) reads.set(path, readTables(await record(read(world))));
    const writes = new Map<string, Set<string>>();
    for (const [path, prepare] of Object.entries(WRITES)) writes.set(path, writtenTables(await record(await prepare(world))));

    const seen = [...reads.values(), ...writes.values()].flatMap((tables) => [...tables]);
    expect(seen.filter((table) => !(table in RESOURCE_OF_TABLE))).toEqual([]);
    expect(writes.get('serviceTickets.delete'), 'the cascades are seen').toContain('service_assignments');

    const gaps: string[] = [];
    for (const write of writeRoutes) {
      for (const read of cachedReads) {
        const dependsOn = read.meta.cache !== 'no-store' ? (read.meta.cache?.dependsOn ?? []) : [];
        for (const table of writes.get(write.path) ?? []) {
          const resource = RESOURCE_OF_TABLE[table];
          if (!resource || !reads.get(read.path)?.has(table)) continue;
          if (!write.meta.invalidates?.includes(resource))
            gaps.push(`${write.path} writes ${table}, shown by ${read.path}: invalidates lacks '${resource}'`);
          if (!dependsOn.includes(resource))
            gaps.push(`${read.path} shows ${table}, written by ${write.path}: dependsOn lacks '${resource}'`);
        }
      }
    }
    expect(gaps).toEqual([]);
  });
});
