import { randomUUID } from 'node:crypto';
import { publishAllEvents } from '@mechanic-shop/core';
import { registerCustomer, registerMechanic } from '../accounts.ts';
import { request, type TestServer } from '../server-harness.ts';
import { typesOf, type JsonSchema, type Operation } from './openapi.ts';

export interface Account {
  id: number;
  token: string;
}

/** Who the cases call as. */
export interface Callers {
  /** The first mechanic, an owner: no case calls as them, so they can mend the mechanic's account. */
  founder: Account;
  /** An owner too, so that the cases reach past every staff role rule. */
  mechanic: Account;
  customer: Account;
  otherCustomer: Account;
}

/** What a fixture works with. */
export interface FixtureContext {
  server: TestServer;
  db: TestServer['app']['services']['db'];
  /** The callers; a fixture replaces those an accepted case made unusable. */
  callers: Callers;
  /** The ids each fixture keeps, by resource: those of the fixtures before it in `FIXTURES` are current. */
  ids: Record<string, number[]>;
  /** A set-up request that must succeed; its JSON body. */
  call: (method: string, path: string, token: string, json?: unknown) => Promise<any>;
}

/**
 * The rows of one resource that the cases point at, so that they reach past
 * the access and existence checks. A resource with routes fills one in;
 * the fuzz test names every id of the OpenAPI document without a fixture.
 */
export interface Fixture {
  resource: string;
  /**
   * The names that refer to these rows: the REST collection of an `{id}` path
   * (`inventory` in `/inventory/{id}`) and the fields and parameters that hold
   * their ids (`inventory_id`).
   */
  names: string[];
  /** Makes the rows that accepted cases took away again (all of them, the first time); their ids, the callers' own first. */
  restore(context: FixtureContext): Promise<number[]>;
}

// A caller whose token an accepted change revoked (a new password or email raises the token
// version, which starts at 0) or whose account was erased is registered again.
const usable = (account: { tokenVersion: number; erasedAt?: Date | null } | null) => account?.tokenVersion === 0 && !account.erasedAt;

const TICKET = { title: 'Brakes squeal', service_date: '2026-12-01' };

/** In the order they are restored: a fixture may use the rows of those before it. */
export const FIXTURES: Fixture[] = [
  {
    resource: 'customers',
    names: ['customers', 'customer_id'],
    async restore({ server, db, callers }) {
      const [customer, otherCustomer] = await Promise.all([
        db.customer.findUnique({ where: { id: callers.customer.id } }),
        db.customer.findUnique({ where: { id: callers.otherCustomer.id } }),
      ]);
      if (!usable(customer)) callers.customer = await registerCustomer(server);
      if (!usable(otherCustomer)) callers.otherCustomer = await registerCustomer(server);
      return [callers.customer.id, callers.otherCustomer.id];
    },
  },
  {
    resource: 'mechanics',
    names: ['mechanics', 'mechanic_id', 'technician_id', 'add_ids', 'remove_ids', 'actor_id'],
    async restore({ server, db, callers, call }) {
      // An owner may demote, delete or revoke another owner, so a case as the mechanic may break the founder's account.
      // Every accepted write is followed by a restore: at most one of the two is broken, and the other mends it.
      for (const [name, mender] of [
        ['founder', callers.mechanic],
        ['mechanic', callers.founder],
      ] as const) {
        const account = await db.mechanic.findUnique({ where: { id: callers[name].id } });
        if (!usable(account)) callers[name] = await registerMechanic(server, { role: 'owner' }, mender.token);
        else if (account!.role !== 'owner') await call('PUT', `/mechanics/${account!.id}/role`, mender.token, { role: 'owner' });
      }
      return [callers.mechanic.id, callers.founder.id];
    },
  },
  {
    resource: 'inventory',
    names: ['inventory', 'inventory_id'],
    async restore({ db, callers, ids, call }) {
      const [itemId] = ids.inventory ?? [];
      const item = itemId === undefined ? null : await db.inventoryItem.findUnique({ where: { id: itemId } });
      const plenty = { quantity: 1_000_000 };
      if (!item)
        return [(await call('POST', '/inventory', callers.mechanic.token, { part_name: 'Brake pad set', price: '49.90', ...plenty })).id];
      if (item.quantity < 1_000) await call('PUT', `/inventory/${item.id}`, callers.mechanic.token, plenty);
      return [item.id];
    },
  },
  {
    // By plate: a VIN belongs to one vehicle, and cases may take the ones they meet.
    resource: 'vehicles',
    names: ['vehicles', 'vehicle_id'],
    async restore({ db, callers, ids, call }) {
      const [ownId = 0, otherId = 0] = ids.vehicles ?? [];
      const [own, other] = await Promise.all([
        db.vehicle.findUnique({ where: { id: ownId } }),
        db.vehicle.findUnique({ where: { id: otherId } }),
      ]);
      // A case may have given a vehicle to another customer: each caller needs one of their own.
      const kept = (vehicle: typeof own, account: Account) => (vehicle?.customerId === account.id ? vehicle.id : undefined);
      return [
        kept(own, callers.customer) ?? (await call('POST', '/vehicles', callers.customer.token, { plate: 'FUZZ 1' })).id,
        kept(other, callers.otherCustomer) ?? (await call('POST', '/vehicles', callers.otherCustomer.token, { plate: 'FUZZ 2' })).id,
      ];
    },
  },
  {
    resource: 'service_tickets',
    names: ['service_tickets', 'service_ticket_id'],
    async restore({ db, callers, ids, call }) {
      const [ownId = 0, otherId = 0] = ids.service_tickets ?? [];
      const [itemId] = ids.inventory!;
      const [ownVehicleId, otherVehicleId] = ids.vehicles!;
      const [own, other, line] = await Promise.all([
        db.serviceTicket.findUnique({ where: { id: ownId } }),
        db.serviceTicket.findUnique({ where: { id: otherId } }),
        db.line.findFirst({ where: { type: 'part', inventoryId: itemId!, job: { serviceTicketId: ownId } } }),
      ]);
      const ticketIds = [
        own ? ownId : (await call('POST', '/service_tickets', callers.customer.token, { ...TICKET, vehicle_id: ownVehicleId })).id,
        other
          ? otherId
          : (await call('POST', '/service_tickets', callers.otherCustomer.token, { ...TICKET, vehicle_id: otherVehicleId })).id,
      ];
      // Deleting a ticket (or its customer, or the part's job) deletes its part lines with it.
      if (!line) {
        await call('POST', `/service_tickets/${ticketIds[0]}/parts`, callers.mechanic.token, { inventory_id: itemId, quantity: 1 });
      }
      return ticketIds;
    },
  },
  {
    // The part line above puts the own ticket's first job back; the other ticket gets one of its own.
    resource: 'jobs',
    names: ['job_id'],
    async restore({ db, callers, ids, call }) {
      return Promise.all(
        ids.service_tickets!.map(async (ticketId) => {
          const job = await db.job.findFirst({ where: { serviceTicketId: ticketId }, orderBy: { position: 'asc' } });
          return (
            job?.id ?? (await call('POST', `/service_tickets/${ticketId}/jobs`, callers.mechanic.token, { title: 'Brakes' })).jobs[0].id
          );
        }),
      );
    },
  },
  {
    // A line of each job above: on the own ticket, the part line unless a case moved it.
    resource: 'lines',
    names: ['line_id'],
    async restore({ db, callers, ids, call }) {
      return Promise.all(
        ids.jobs!.map(async (jobId, index) => {
          const line = await db.line.findFirst({ where: { jobId }, orderBy: { id: 'asc' } });
          if (line) return line.id;
          const fee = { type: 'fee', description: 'Shop fee', amount: '5.00' };
          const ticket = await call(
            'POST',
            `/service_tickets/${ids.service_tickets![index]}/jobs/${jobId}/lines`,
            callers.mechanic.token,
            fee,
          );
          return ticket.jobs.find((job: { id: number }) => job.id === jobId).lines[0].id;
        }),
      );
    },
  },
  {
    // No route takes an assignment's id; the cases that remove one need one to exist.
    resource: 'assignments',
    names: [],
    async restore({ db, callers, ids, call }) {
      const [ticketId] = ids.service_tickets!;
      const key = { serviceTicketId: ticketId!, mechanicId: callers.mechanic.id };
      if (!(await db.serviceAssignment.findUnique({ where: { serviceTicketId_mechanicId: key } }))) {
        await call('POST', '/assignments', callers.mechanic.token, { service_ticket_id: ticketId, mechanic_id: callers.mechanic.id });
      }
      return [];
    },
  },
  {
    // No route takes an invoice's id: the `{number}` of the document's example is INV-000001, the shop's first invoice.
    resource: 'invoices',
    names: [],
    async restore(context) {
      if (!(await context.db.invoice.count())) await newInvoice(context);
      return [];
    },
  },
  {
    // A payment with money left to refund.
    resource: 'payments',
    names: ['payments'],
    async restore(context) {
      const [paymentId = 0] = context.ids.payments ?? [];
      const payment = await context.db.payment.findUnique({ where: { id: paymentId }, include: { refunds: true } });
      const refunded = payment?.refunds.reduce((sum, refund) => sum + refund.amountCents, 0) ?? 0;
      if (payment && refunded < payment.amountCents) return [payment.id];
      const path = `/invoices/${await newInvoice(context)}/payments`;
      const json = { amount: '10.00', method: 'cash' };
      const paid = await request(context.server, 'POST', path, {
        token: context.callers.mechanic.token,
        json,
        headers: { 'idempotency-key': randomUUID() },
      });
      if (paid.status !== 201) throw new Error(`setting up: POST ${path} answered ${paid.status} ${JSON.stringify(paid.body)}`);
      return [paid.body.id];
    },
  },
  {
    // A webhook to a public address, never contacted: this server runs no delivery worker.
    resource: 'webhooks',
    names: ['webhooks'],
    async restore({ db, callers, ids, call }) {
      const [webhookId = 0] = ids.webhooks ?? [];
      if (await db.webhook.count({ where: { id: webhookId, enabled: true } })) return [webhookId];
      const json = { url: 'https://93.184.215.14/hook', event_types: ['invoice.issued'] };
      return [(await call('POST', '/webhooks', callers.mechanic.token, json)).id];
    },
  },
  {
    // A delivery of that webhook: its test event, published here (this server runs no publisher either).
    resource: 'webhook_deliveries',
    names: ['delivery_id'],
    async restore({ server, db, callers, ids, call }) {
      const [webhookId] = ids.webhooks!;
      const existing = await db.webhookDelivery.findFirst({ where: { webhookId }, select: { id: true } });
      if (existing) return [existing.id];
      await call('POST', `/webhooks/${webhookId}/test`, callers.mechanic.token, {});
      await publishAllEvents(server.app.services);
      return [(await db.webhookDelivery.findFirstOrThrow({ where: { webhookId }, select: { id: true } })).id];
    },
  },
];

/** An invoice of 10.00 for a new, completed ticket of the customer's with no jobs; its number. */
async function newInvoice({ callers, ids, call }: FixtureContext): Promise<string> {
  const [vehicleId] = ids.vehicles!;
  const { id } = await call('POST', '/service_tickets', callers.customer.token, { ...TICKET, vehicle_id: vehicleId });
  await call('PUT', `/service_tickets/${id}/edit`, callers.mechanic.token, { cost: '10.00', status: 'IN_PROGRESS' });
  await call('PUT', `/service_tickets/${id}/edit`, callers.mechanic.token, { status: 'COMPLETED' });
  return (await call('POST', `/service_tickets/${id}/invoice`, callers.mechanic.token, {})).number;
}

/** The shop the fuzz cases run against: its callers, and the ids of rows that exist. */
export interface FuzzShop {
  callers: Callers;
  /** Ids of existing rows that a field, parameter or path collection of this name refers to, the callers' own first. */
  idsFor: (name: string) => number[];
  /** Puts back what accepted cases took away. */
  restore(): Promise<void>;
}

export async function openFuzzShop(server: TestServer): Promise<FuzzShop> {
  const founder = await registerMechanic(server);
  const callers: Callers = {
    founder,
    mechanic: await registerMechanic(server, { role: 'owner' }, founder.token),
    customer: await registerCustomer(server),
    otherCustomer: await registerCustomer(server),
  };
  const context: FixtureContext = {
    server,
    db: server.app.services.db,
    callers,
    ids: {},
    async call(method, path, token, json) {
      const response = await request(server, method, path, { token, json });
      if (response.status >= 300)
        throw new Error(`setting up: ${method} ${path} answered ${response.status} ${JSON.stringify(response.body)}`);
      return response.body;
    },
  };
  const shop: FuzzShop = {
    callers,
    idsFor: (name) => context.ids[FIXTURES.find((fixture) => fixture.names.includes(name))?.resource ?? ''] ?? [],
    async restore() {
      for (const fixture of FIXTURES) context.ids[fixture.resource] = await fixture.restore(context);
    },
  };
  await shop.restore();
  return shop;
}

/**
 * The names the operations use for ids of rows: the collection of each `{id}`
 * path parameter (`/inventory/{id}`: `inventory`), other integer path parameters
 * (`inventory_id`), and integer fields and query parameters named `…_id` or `…_ids`.
 */
export function idNamesOf(operations: Operation[]): string[] {
  const names = new Set<string>();
  const visit = (name: string, schema: JsonSchema) => {
    const integers = typesOf(schema)?.includes('integer') || (schema.items && typesOf(schema.items)?.includes('integer'));
    if (integers && /_ids?$/.test(name)) names.add(name);
    for (const [property, inner] of Object.entries(schema.properties ?? {})) visit(property, inner);
    for (const branch of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])]) visit(name, branch);
  };
  for (const operation of operations) {
    const segments = operation.path.split('/');
    for (const parameter of operation.parameters) {
      // A path parameter that is not a number (`{vin}`) names no row by id.
      if (parameter.in !== 'path') visit(parameter.name, parameter.schema);
      else if (typesOf(parameter.schema)?.includes('integer'))
        names.add(parameter.name === 'id' ? segments[segments.indexOf('{id}') - 1]! : parameter.name);
    }
    if (operation.body) visit('(body)', operation.body);
  }
  return [...names].sort();
}
