import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../caller.ts';
import { listProcedures } from '../router.ts';
import {
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
  shop_setup: null,
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

/** A worked ticket's first job, with its part line. */
async function workedJob(world: World) {
  const id = await workedTicket(world);
  const ticket = await world.app.as(world.mechanic.token).serviceTickets.byId({ id });
  return { id, job: ticket.jobs[0]! };
}

/** One run of every cached read, by procedure path, on data that makes it read every table it can show. */
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
  'me.get': (world) => asMechanic(world, (caller) => caller.me.get()),
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
    world = { app, mechanic, customer, itemId: item.id, ticketId: 0, vehicleId: 0 };
    world.ticketId = await workedTicket(world);
    world.vehicleId = (await app.as(mechanic.token).serviceTickets.byId({ id: world.ticketId })).vehicle.id;
    await app.as(mechanic.token).vehicles.addReading({ id: world.vehicleId, reading: 10 });
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
