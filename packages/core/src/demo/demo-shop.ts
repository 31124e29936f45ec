import { createApproval } from '../approvals/approval.service.ts';
import { AppError } from '../errors.ts';
import { assignMechanic } from '../assignments/assignment.service.ts';
import { registerCustomer } from '../customers/customer.service.ts';
import { addInventoryItem } from '../inventory/inventory.service.ts';
import { issueInvoice } from '../invoices/invoice.service.ts';
import { registerMechanic } from '../mechanics/mechanic.service.ts';
import { recordPayment } from '../payments/payment.service.ts';
import { addJob, addLine, addPartLine } from '../service-tickets/estimate.service.ts';
import { editTicket, getTicket, openTicket } from '../service-tickets/service-ticket.service.ts';
import { parseCents } from '../shared/money.ts';
import { updateSettings } from '../shop/shop.service.ts';
import type { TicketStatus } from '../service-tickets/service-ticket.schemas.ts';
import type { AppServices } from '../app-services.ts';
import type { StaffPrincipal } from '../auth/tokens.ts';
import type { NewMechanic } from '../mechanics/mechanic.schemas.ts';
import { addVehicle } from '../vehicles/vehicle.service.ts';
import type { NewVehicle } from '../vehicles/vehicle.schemas.ts';

import { DEMO_CUSTOMER, DEMO_MECHANIC, DEMO_SERVICE_WRITER, DEMO_TECHNICIAN } from './demo-accounts.ts';

export { DEMO_CUSTOMER, DEMO_MECHANIC, DEMO_SERVICE_WRITER, DEMO_TECHNICIAN };

const MECHANICS: NewMechanic[] = [
  // The first one opens the shop: its owner.
  { name: 'Dana Reyes', ...DEMO_MECHANIC, phone: '+1 555 0100', address: '14 Garage Row', salary: 61_000_00, role: 'owner' },
  { name: 'Sam Okafor', ...DEMO_SERVICE_WRITER, phone: '+1 555 0101', address: '3 Piston Ave', salary: 54_500_00, role: 'service_writer' },
  { name: 'Lee Novak', ...DEMO_TECHNICIAN, phone: '+1 555 0102', address: '88 Axle St', salary: 49_750_00, role: 'technician' },
  {
    name: 'Priya Shah',
    email: 'priya.shah@shop.example',
    password: 'demo staff password',
    phone: '+1 555 0103',
    address: '5 Clutch Ct',
    salary: 58_200_00,
    role: 'technician',
  },
];

const CUSTOMERS = [
  { name: 'Alex Morgan', email: DEMO_CUSTOMER.email, password: DEMO_CUSTOMER.password, phone: '+1 555 0200', address: '21 Elm Street' },
  {
    name: 'Jordan Lee',
    email: 'jordan.lee@example.com',
    password: 'demo customer password',
    phone: '+1 555 0201',
    address: '9 Birch Lane',
  },
  {
    name: 'Maria Garcia',
    email: 'maria.garcia@example.com',
    password: 'demo customer password',
    phone: '+1 555 0202',
    address: '47 Cedar Road',
  },
  { name: 'Tom Becker', email: 'tom.becker@example.com', password: 'demo customer password', phone: '+1 555 0203', address: '2 Oak Plaza' },
  {
    name: 'Yuki Tanaka',
    email: 'yuki.tanaka@example.com',
    password: 'demo customer password',
    phone: '+1 555 0204',
    address: '130 Pine Drive',
  },
];

const PARTS = [
  { part_name: 'Brake pad set (front)', description: 'Ceramic, fits most compact cars', price: 49_90, quantity: 24 },
  { part_name: 'Brake disc', description: 'Vented, 280 mm', price: 64_00, quantity: 12 },
  { part_name: 'Oil filter', description: 'Spin-on', price: 8_75, quantity: 60 },
  { part_name: 'Engine oil 5W-30 (1 L)', description: 'Synthetic', price: 11_20, quantity: 120 },
  { part_name: 'Air filter', description: 'Panel', price: 15_40, quantity: 30 },
  { part_name: 'Spark plug', description: 'Iridium', price: 9_95, quantity: 80 },
  { part_name: 'Wiper blade', description: '600 mm', price: 13_50, quantity: 40 },
  { part_name: 'Timing belt kit', description: 'Belt, tensioner and idler', price: 189_00, quantity: 6 },
  { part_name: 'Battery 12 V 70 Ah', description: 'AGM', price: 149_00, quantity: 8 },
  { part_name: 'Headlight bulb H7', description: '55 W', price: 7_60, quantity: 50 },
];

/**
 * The customers' cars, by customer index. Their VINs pass every rule of
 * `checkVin` (demo-shop.test.ts checks): made-up serial numbers on real makes.
 */
const VEHICLES: Array<Omit<NewVehicle, 'customer_id' | 'odometer_unit'> & { customer: number; vin: string; odometer_unit: 'mi' | 'km' }> = [
  { customer: 0, vin: '1HGCM82633A004352', plate: 'ACC 2003', model: 'Accord', color: 'Silver', odometer: 182_340, odometer_unit: 'mi' },
  { customer: 1, vin: '2T1BURHE3JC012345', plate: 'CRL 018', model: 'Corolla', color: 'White', odometer: 61_200, odometer_unit: 'mi' },
  {
    customer: 2,
    vin: 'WVWZZZ1KZ6W123456',
    plate: 'B GOLF 6',
    year: 2006,
    model: 'Golf',
    color: 'Blue',
    odometer: 143_800,
    odometer_unit: 'km',
  },
  { customer: 3, vin: '3FAHP0HA5AR123456', plate: 'FUS 010', model: 'Fusion', color: 'Black', odometer: 98_450, odometer_unit: 'mi' },
  {
    customer: 4,
    vin: 'JHMFA165X6S012345',
    plate: 'CVC 006',
    year: 2006,
    model: 'Civic',
    color: 'Red',
    odometer: 120_900,
    odometer_unit: 'km',
  },
];

interface DemoTicket {
  customer: number;
  title: string;
  description: string;
  vin: string;
  date: string;
  mechanics: number[];
  parts: Array<[part: number, quantity: number]>;
  status: TicketStatus[];
  /** Hours of labor (in hundredths) on the ticket's job, at the shop's labor rate. */
  labor: number;
  /**
   * The customer's decision on the job, before its status moves (work starts on
   * approved jobs only): in the portal, or told the service writer on the phone;
   * with a reason, declined.
   */
  decision?: { by: 'portal' | 'phone'; declined?: string };
}

const TICKETS: DemoTicket[] = [
  {
    customer: 0,
    title: 'Brakes squeal',
    description: 'Front brakes squeal when stopping',
    vin: '1HGCM82633A004352',
    date: '2026-11-02',
    mechanics: [0],
    parts: [
      [0, 1],
      [1, 2],
    ],
    status: ['IN_PROGRESS', 'COMPLETED'],
    labor: 1_50,
    decision: { by: 'portal' },
  },
  {
    customer: 0,
    title: 'Annual service',
    description: 'Oil, filters and a check-up',
    vin: '1HGCM82633A004352',
    date: '2026-12-15',
    mechanics: [1],
    parts: [
      [2, 1],
      [3, 5],
      [4, 1],
    ],
    status: ['IN_PROGRESS'],
    labor: 1_00,
    decision: { by: 'portal' },
  },
  {
    customer: 1,
    title: 'Engine misfire',
    description: 'Rough idle, check engine light on',
    vin: '2T1BURHE3JC012345',
    date: '2026-11-20',
    // The demo technician's ticket (with another one below): a technician works on the tickets assigned to them.
    mechanics: [0, 2],
    parts: [[5, 4]],
    status: ['IN_PROGRESS'],
    labor: 2_25,
    decision: { by: 'phone' },
  },
  {
    customer: 2,
    title: 'Timing belt due',
    description: '100 000 km service',
    vin: 'WVWZZZ1KZ6W123456',
    date: '2026-12-03',
    mechanics: [3],
    parts: [[7, 1]],
    status: [],
    labor: 2_50,
    decision: { by: 'phone', declined: 'Next month, after the holidays' },
  },
  {
    customer: 3,
    title: 'Battery dead',
    description: 'Will not start on cold mornings',
    vin: '3FAHP0HA5AR123456',
    date: '2026-11-10',
    mechanics: [2],
    parts: [[8, 1]],
    status: ['IN_PROGRESS', 'COMPLETED'],
    labor: 50,
    decision: { by: 'phone' },
  },
  {
    customer: 4,
    title: 'Wipers and bulbs',
    description: 'Replace wiper blades and a headlight bulb',
    vin: 'JHMFA165X6S012345',
    date: '2026-11-28',
    mechanics: [1],
    parts: [
      [6, 2],
      [9, 1],
    ],
    status: ['CANCELLED'],
    labor: 0,
  },
  {
    customer: 1,
    title: 'Strange noise',
    description: 'Knocking from the rear axle',
    vin: '2T1BURHE3JC012345',
    date: '2026-12-20',
    mechanics: [],
    parts: [],
    status: [],
    labor: 0,
  },
];

/** The completed tickets, invoiced at the desk: one paid in full by card, one with a cash deposit (in cents). */
const INVOICES: Array<{ customer: number; title: string; paid: 'in full' | number; method: 'card' | 'cash'; reference?: string }> = [
  { customer: 0, title: 'Brakes squeal', paid: 'in full', method: 'card', reference: 'ch_demo_3MmlLrLkdIwHu7ix' },
  { customer: 3, title: 'Battery dead', paid: 100_00, method: 'cash' },
];

const DEMO_SETTINGS = {
  tax_rates: { parts: 8875, fees: 8875 },
  shop_supplies: { percent_of_labor: 5000, cap: 25_00, taxable: true },
};

/** Where the demo's approvals come from. */
const DEMO_REQUEST = { clientIp: '127.0.0.1', userAgent: 'Mechanic Shop demo seed' };

/**
 * Records the customer's decision on a demo ticket's job at its current
 * estimate version, as `approvals.create` does: by the customer in the portal,
 * or by the service writer on the phone, with whom they spoke and the number called.
 */
async function decideDemoJob(
  services: AppServices,
  ticketId: number,
  { by, declined }: NonNullable<DemoTicket['decision']>,
  customer: { id: number; name: string; phone: string },
  writer: StaffPrincipal,
): Promise<void> {
  const { estimate_version, jobs } = await getTicket(services, writer, ticketId);
  const decisions = jobs.map((job) => ({
    job_id: job.id,
    decision: declined ? ('decline' as const) : ('approve' as const),
    reason: declined,
  }));
  const common = { id: ticketId, estimate_version, decisions, signature_name: customer.name };
  if (by === 'portal') await createApproval(services, { role: 'customer', id: customer.id }, DEMO_REQUEST, common);
  else
    await createApproval(services, writer, DEMO_REQUEST, {
      ...common,
      method: 'phone',
      contact_name: customer.name,
      contact_phone: customer.phone,
    });
}

/** The shop's first owner, as a caller; `null` while the shop has no staff. */
async function shopOwner({ db }: AppServices): Promise<StaffPrincipal | null> {
  const owner = await db.mechanic.findFirst({ where: { role: 'owner' }, select: { id: true }, orderBy: { id: 'asc' } });
  return owner && { role: 'mechanic', id: owner.id, staffRole: 'owner' };
}

export interface SeedReport {
  mechanics: number;
  customers: number;
  parts: number;
  vehicles: number;
  tickets: number;
}

/**
 * Fills a database with a small, realistic shop: four mechanics (an owner, a
 * service writer and two technicians), five
 * customers with a vehicle each, ten parts, the shop's tax rates and seven tickets in every status, with
 * assignments and a priced job each (labor and part lines), approved before work started on it (one
 * declined, for the follow-up list); the completed ones invoiced, one paid and one partly paid.
 * Deterministic and idempotent: what exists already (by email, part
 * name, VIN, or customer and ticket title) is left alone, so running it again adds
 * nothing. Everything goes through the domain functions, with their rules.
 */
export async function seedDemoShop(services: AppServices): Promise<SeedReport> {
  const { db } = services;
  const created: SeedReport = { mechanics: 0, customers: 0, parts: 0, vehicles: 0, tickets: 0 };

  const mechanicIds: number[] = [];
  for (const mechanic of MECHANICS) {
    const existing = await db.mechanic.findUnique({ where: { email: mechanic.email }, select: { id: true } });
    if (existing) {
      mechanicIds.push(existing.id);
      continue;
    }
    // The first demo mechanic opens an empty shop; the others are added by an owner.
    mechanicIds.push((await registerMechanic(services, await shopOwner(services), mechanic)).id);
    created.mechanics++;
  }
  // The shop's work is done as its owner, who may do all of it; the service writer takes the customers' calls.
  const owner = (await shopOwner(services))!;
  const writer: StaffPrincipal = { role: 'mechanic', id: mechanicIds[1]!, staffRole: 'service_writer' };

  const customerIds: number[] = [];
  for (const customer of CUSTOMERS) {
    const existing = await db.customer.findUnique({ where: { email: customer.email }, select: { id: true } });
    if (existing) {
      customerIds.push(existing.id);
      continue;
    }
    customerIds.push((await registerCustomer(services, customer)).id);
    created.customers++;
  }

  const partIds: number[] = [];
  for (const part of PARTS) {
    const existing = await db.inventoryItem.findFirst({
      where: { partName: part.part_name },
      select: { id: true },
      orderBy: { id: 'asc' },
    });
    if (existing) {
      partIds.push(existing.id);
      continue;
    }
    partIds.push((await addInventoryItem(services, owner, { reorder_point: 0, ...part })).id);
    created.parts++;
  }

  for (const { customer, ...vehicle } of VEHICLES) {
    if (await db.vehicle.count({ where: { vin: vehicle.vin } })) continue;
    await addVehicle(services, owner, { customer_id: customerIds[customer]!, ...vehicle });
    created.vehicles++;
  }

  // A shop in New York City: 8.875 % sales tax on parts and fees, and a capped shop-supplies fee.
  if (!(await db.shopSettings.count())) await updateSettings(services, owner, DEMO_SETTINGS);

  for (const ticket of TICKETS) {
    const customerId = customerIds[ticket.customer]!;
    if (await db.serviceTicket.count({ where: { customerId, title: ticket.title } })) continue;
    // Opened at the desk, on the customer's vehicle with that VIN.
    const { id } = await openTicket(services, owner, {
      customer_id: customerId,
      title: ticket.title,
      description: ticket.description,
      vin: ticket.vin,
      service_date: ticket.date,
    });
    // One job per ticket, what the customer came for, priced by its labor and parts.
    await addJob(services, owner, { id, title: ticket.title, concern: ticket.description });
    const [job] = (await db.job.findMany({ where: { serviceTicketId: id }, select: { id: true } })).map((row) => row.id);
    if (ticket.labor) await addLine(services, owner, { id, job_id: job!, type: 'labor', description: ticket.title, hours: ticket.labor });
    for (const mechanic of ticket.mechanics)
      await assignMechanic(services, owner, { service_ticket_id: id, mechanic_id: mechanicIds[mechanic]! });
    for (const [part, quantity] of ticket.parts) {
      await addPartLine(services, owner, { id, inventory_id: partIds[part]!, quantity }).catch((error: unknown) => {
        // A shop whose stock ran low since a previous seed: the ticket goes without that part.
        if (!(error instanceof AppError && error.problem === 'insufficient_stock')) throw error;
      });
    }
    if (ticket.decision) {
      const customer = { id: customerId, ...CUSTOMERS[ticket.customer]! };
      await decideDemoJob(services, id, ticket.decision, customer, writer);
    }
    for (const status of ticket.status) await editTicket(services, owner, { id, status });
    created.tickets++;
  }

  for (const { customer, title, paid, method, reference } of INVOICES) {
    const ticket = await db.serviceTicket.findFirst({
      where: { customerId: customerIds[customer]!, title, status: 'COMPLETED', invoices: { none: {} } },
      select: { id: true },
    });
    if (!ticket) continue;
    const invoice = await issueInvoice(services, writer, ticket.id);
    const amount = paid === 'in full' ? parseCents(invoice.balance)! : paid;
    await recordPayment(services, writer, { number: invoice.number, amount, method, reference });
  }
  return created;
}
