import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueVin } from '@mechanic-shop/core/testing';
import { registerCustomer, registerMechanic } from './accounts.ts';
import { request, startTestServer, type TestServer } from './server-harness.ts';

/*
 * The worked examples of the estimate rules (README, "Money: how an estimate is
 * priced"), checked over REST on each database: every figure below was worked
 * out by hand from the rules, not read from the engine.
 */

let server: TestServer;
let owner: Awaited<ReturnType<typeof registerMechanic>>;
let serviceWriter: Awaited<ReturnType<typeof registerMechanic>>;
let technician: Awaited<ReturnType<typeof registerMechanic>>;
let customer: Awaited<ReturnType<typeof registerCustomer>>;

beforeAll(async () => {
  server = await startTestServer();
  owner = await registerMechanic(server);
  serviceWriter = await registerMechanic(server, { role: 'service_writer' });
  technician = await registerMechanic(server, { role: 'technician' });
  customer = await registerCustomer(server);
});
afterAll(() => server.close());

const NO_TAX = { labor: '0.000', parts: '0.000', fees: '0.000', sublet: '0.000' };
const NO_SUPPLIES = { percent_of_labor: '0.000', cap: '0.00', taxable: false };

/** A line as the examples write it: a part names its stock item by price and takes it from a new item with enough stock. */
type ExampleLine =
  | { type: 'labor'; description: string; hours: string; rate?: string; discount?: Discount; taxable?: boolean }
  | { type: 'part'; price: string; quantity: number; discount?: Discount; taxable?: boolean }
  | { type: 'fee'; description: string; amount: string; discount?: Discount; taxable?: boolean }
  | { type: 'sublet'; description: string; amount: string; cost?: string; discount?: Discount; taxable?: boolean };
type Discount = { percent: string } | { amount: string };

interface Tax {
  labor: string;
  parts: string;
  fees: string;
  sublet: string;
  total: string;
}
interface Totals {
  labor: string;
  parts: string;
  fees: string;
  sublet: string;
  discounts: string;
  shop_supplies: string;
  tax: Tax;
  /** Everything before tax: line nets, shop supplies and the flat cost. */
  subtotal: string;
  total: string;
}

interface WorkedExample {
  name: string;
  /** The settings that differ from a new shop's. */
  settings: { tax_rates?: Partial<Tax>; shop_supplies?: typeof NO_SUPPLIES };
  jobs: Array<{ title: string; lines: ExampleLine[] }>;
  totals: Totals;
  /** Per job, in the order above: its tax share and its total (and its share of shop supplies). */
  jobs_totals: Array<{ tax: Partial<Tax>; shop_supplies?: string; total: string }>;
}

const ZERO: Totals = {
  labor: '0.00',
  parts: '0.00',
  fees: '0.00',
  sublet: '0.00',
  discounts: '0.00',
  shop_supplies: '0.00',
  tax: { labor: '0.00', parts: '0.00', fees: '0.00', sublet: '0.00', total: '0.00' },
  subtotal: '0.00',
  total: '0.00',
};

const EXAMPLES: WorkedExample[] = [
  {
    // Labor tax 270.00 × 8.875% = 23.9625 → 23.96, once for the ticket. Per job it would be
    // 15.975 → 15.98 and 7.9875 → 7.99, a cent too many: the shares are 15.97 and 7.99 by largest remainder.
    name: '8.875% tax, per category and shared among the jobs by largest remainder',
    settings: { tax_rates: { labor: '8.875', parts: '8.875' } },
    jobs: [
      {
        title: 'Front brakes',
        lines: [
          { type: 'labor', description: 'Replace front pads', hours: '1.50' }, // 1.50 × 120.00 = 180.00
          { type: 'part', price: '49.90', quantity: 2 }, // 99.80; tax 8.85725 → 8.86
        ],
      },
      { title: 'Alignment', lines: [{ type: 'labor', description: 'Four-wheel alignment', hours: '0.75' }] }, // 90.00
    ],
    totals: {
      ...ZERO,
      labor: '270.00',
      parts: '99.80',
      tax: { ...ZERO.tax, labor: '23.96', parts: '8.86', total: '32.82' },
      subtotal: '369.80',
      total: '402.62',
    },
    jobs_totals: [
      { tax: { labor: '15.97', parts: '8.86', total: '24.83' }, total: '304.63' },
      { tax: { labor: '7.99', parts: '0.00', total: '7.99' }, total: '97.99' },
    ],
  },
  {
    // 1.25 × 99.99 = 124.9875 → 124.99; 10% of it 12.499 → 12.50; net 112.49; tax 9.9834875 → 9.98.
    name: 'a 10% discount on 1.25 h × 99.99',
    settings: { tax_rates: { labor: '8.875' } },
    jobs: [
      {
        title: 'Diagnosis',
        lines: [{ type: 'labor', description: 'Check engine light', hours: '1.25', rate: '99.99', discount: { percent: '10.00' } }],
      },
    ],
    totals: {
      ...ZERO,
      labor: '112.49',
      discounts: '12.50',
      tax: { ...ZERO.tax, labor: '9.98', total: '9.98' },
      subtotal: '112.49',
      total: '122.47',
    },
    jobs_totals: [{ tax: { labor: '9.98', total: '9.98' }, total: '122.47' }],
  },
  {
    // Labor nets 540.00 × 8% = 43.20, capped at 25.00; taxable, so at the fees rate with the taxable fee:
    // (3.50 + 25.00) × 6.25% = 1.78125 → 1.78. The loaner fee is not taxable.
    name: 'a capped shop-supplies fee, taxed at the fees rate',
    settings: { tax_rates: { fees: '6.250' }, shop_supplies: { percent_of_labor: '8.000', cap: '25.00', taxable: true } },
    jobs: [
      {
        title: 'Timing belt',
        lines: [
          { type: 'labor', description: 'Replace timing belt', hours: '2.00' }, // 240.00
          { type: 'fee', description: 'Hazardous waste disposal', amount: '3.50' },
        ],
      },
      {
        title: 'Water pump',
        lines: [
          { type: 'labor', description: 'Replace water pump', hours: '2.50' }, // 300.00
          { type: 'fee', description: 'Loaner car', amount: '15.00', taxable: false },
        ],
      },
    ],
    totals: {
      ...ZERO,
      labor: '540.00',
      fees: '18.50',
      shop_supplies: '25.00',
      tax: { ...ZERO.tax, fees: '1.78', total: '1.78' },
      subtotal: '583.50',
      total: '585.28',
    },
    // The supplies go to the jobs by labor net, 25.00 × 240/540 = 11.111… and 13.888… → 11.11 and 13.89 by largest
    // remainder; the fees tax by taxable fees base, 1.78 × 14.61/28.50 = 0.9124… and 0.8675… → 0.91 and 0.87.
    jobs_totals: [
      { tax: { fees: '0.91', total: '0.91' }, shop_supplies: '11.11', total: '255.52' },
      { tax: { fees: '0.87', total: '0.87' }, shop_supplies: '13.89', total: '329.76' },
    ],
  },
  {
    // 350.00 − 5.00 = 345.00; tax 345.00 × 4.5% = 15.525 → 15.53.
    name: 'a sublet with a fixed discount',
    settings: { tax_rates: { sublet: '4.500' } },
    jobs: [
      {
        title: 'Windshield',
        lines: [
          {
            type: 'sublet',
            description: 'Windshield replaced by Clear View Glass',
            amount: '350.00',
            cost: '280.00',
            discount: { amount: '5.00' },
          },
        ],
      },
    ],
    totals: {
      ...ZERO,
      sublet: '345.00',
      discounts: '5.00',
      tax: { ...ZERO.tax, sublet: '15.53', total: '15.53' },
      subtotal: '345.00',
      total: '360.53',
    },
    jobs_totals: [{ tax: { sublet: '15.53', total: '15.53' }, total: '360.53' }],
  },
];

const cents = (money: string) => Math.round(Number(money) * 100);

async function call(status: number, method: string, path: string, token: string, json?: unknown) {
  const response = await request(server, method, path, { token, json });
  expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).toBe(status);
  return response.body;
}

/** The shop's settings: a new shop's, but for `changes`. */
function putSettings(changes: WorkedExample['settings']) {
  return call(200, 'PUT', '/shop/settings', owner.token, {
    labor_rate: '120.00',
    tax_rates: { ...NO_TAX, ...changes.tax_rates },
    shop_supplies: changes.shop_supplies ?? NO_SUPPLIES,
  });
}

/** A ticket of the customer's, with the technician assigned; its id. */
async function openTicket(): Promise<number> {
  const ticket = await call(201, 'POST', '/service_tickets', customer.token, {
    title: 'Estimate',
    description: 'Worked example',
    vin: uniqueVin(),
    service_date: '2026-12-01',
  });
  await call(201, 'POST', '/assignments', owner.token, { service_ticket_id: ticket.id, mechanic_id: technician.id });
  return ticket.id;
}

/** Adds the example's jobs and lines to a new ticket as the owner; the ticket as then read. */
async function priceExample(example: WorkedExample) {
  const ticketId = await openTicket();
  for (const job of example.jobs) {
    const withJob = await call(201, 'POST', `/service_tickets/${ticketId}/jobs`, owner.token, { title: job.title });
    const jobId = withJob.jobs.at(-1).id as number;
    for (const line of job.lines) {
      let body: Record<string, unknown> = line;
      if (line.type === 'part') {
        const { price, ...rest } = line;
        const item = await call(201, 'POST', '/inventory', owner.token, { part_name: 'Part', price, quantity: line.quantity });
        body = { ...rest, inventory_id: item.id };
      }
      await call(201, 'POST', `/service_tickets/${ticketId}/jobs/${jobId}/lines`, owner.token, body);
    }
  }
  return call(200, 'GET', `/service_tickets/${ticketId}`, owner.token);
}

/** The jobs' tax shares add up to the ticket's tax, category by category; their totals and the flat cost to its total. */
function expectSharesAddUp(ticket: { jobs: Array<{ totals: Totals }>; totals: Totals; cost: string }) {
  const sum = (figure: (totals: Totals) => string) => ticket.jobs.reduce((total, job) => total + cents(figure(job.totals)), 0);
  for (const category of ['labor', 'parts', 'fees', 'sublet', 'total'] as const) {
    expect(
      sum((totals) => totals.tax[category]),
      `the jobs' ${category} tax`,
    ).toBe(cents(ticket.totals.tax[category]));
  }
  expect(sum((totals) => totals.total) + cents(ticket.cost)).toBe(cents(ticket.totals.total));
}

describe('worked examples of the estimate rules, over REST', () => {
  it.each(EXAMPLES)('$name', async (example) => {
    await putSettings(example.settings);
    const ticket = await priceExample(example);
    expect(ticket.totals).toMatchObject(example.totals);
    expect(ticket.total).toBe(example.totals.total);
    example.jobs_totals.forEach((expected, index) => expect(ticket.jobs[index].totals).toMatchObject(expected));
    expectSharesAddUp(ticket);
  });

  it("shows a line's amount, discount and net: 1.25 h × 99.99 less 10%", async () => {
    await putSettings({});
    const ticket = await priceExample(EXAMPLES[1]!);
    expect(ticket.jobs[0].lines[0]).toMatchObject({
      type: 'labor',
      hours: '1.25',
      rate: '99.99',
      amount: '124.99',
      discount: { percent: '10.000' },
      discount_amount: '12.50',
      net: '112.49',
    });
  });

  it('prices with the settings of the moment: uncapping shop supplies reprices the ticket and raises its estimate version', async () => {
    const capped = EXAMPLES[2]!;
    await putSettings(capped.settings);
    const before = await priceExample(capped);
    await putSettings({ ...capped.settings, shop_supplies: { percent_of_labor: '8.000', cap: '0.00', taxable: true } });
    const after = await call(200, 'GET', `/service_tickets/${before.id}`, owner.token);
    // 540.00 × 8% = 43.20 with no cap; fees tax (3.50 + 43.20) × 6.25% = 2.91875 → 2.92.
    expect(after.totals).toMatchObject({
      shop_supplies: '43.20',
      tax: { fees: '2.92', total: '2.92' },
      subtotal: '601.70',
      total: '604.62',
    });
    expect(after.estimate_version).toBeGreaterThan(before.estimate_version);
    expectSharesAddUp(after);
  });

  it("the seed's parts route adds to a job named General; the flat cost is counted, untaxed", async () => {
    await putSettings({ tax_rates: { parts: '8.875' } });
    const ticketId = await openTicket();
    const item = await call(201, 'POST', '/inventory', owner.token, { part_name: 'Wiper', price: '12.34', quantity: 5 });
    await call(200, 'POST', `/service_tickets/${ticketId}/parts`, technician.token, { inventory_id: item.id, quantity: 2 });
    const ticket = await call(200, 'PUT', `/service_tickets/${ticketId}/edit`, owner.token, { cost: '120.00' });
    // Parts 24.68, tax 2.19035 → 2.19; the flat 120.00 is not taxed.
    expect(ticket).toMatchObject({
      parts_total: '24.68',
      total: '146.87',
      totals: { parts: '24.68', tax: { parts: '2.19', total: '2.19' }, subtotal: '144.68' },
    });
    expect(ticket.jobs.map((job: { title: string }) => job.title)).toEqual(['General']);
    expect(ticket.parts).toEqual([{ inventory_id: item.id, part_name: 'Wiper', quantity: 2, unit_price: '12.34', line_total: '24.68' }]);
  });
});

describe("a sublet's cost", () => {
  it('is shown to owners and service writers, never to the customer or a technician', async () => {
    await putSettings({});
    const ticket = await priceExample(EXAMPLES[3]!);
    const path = `/service_tickets/${ticket.id}`;
    for (const staff of [owner, serviceWriter]) {
      expect((await call(200, 'GET', path, staff.token)).jobs[0].lines[0]).toMatchObject({ type: 'sublet', cost: '280.00' });
    }
    const asCustomer = await call(200, 'GET', path, customer.token);
    const asTechnician = await call(200, 'GET', path, technician.token);
    const mine = await call(200, 'GET', '/customers/my-tickets', customer.token);
    for (const answer of [asCustomer, asTechnician]) {
      expect(answer.jobs[0].lines[0]).toMatchObject({ type: 'sublet', amount: '350.00' });
      expect(answer.jobs[0].lines[0]).not.toHaveProperty('cost');
      expect(answer.totals).toEqual(ticket.totals);
    }
    for (const answer of [asCustomer, asTechnician, mine]) expect(JSON.stringify(answer)).not.toContain('280.00');
  });
});

describe('jobs and lines over REST', () => {
  it('a part line takes stock, moves it by the difference when its quantity changes, and gives it back when removed', async () => {
    await putSettings({});
    const ticketId = await openTicket();
    const item = await call(201, 'POST', '/inventory', owner.token, { part_name: 'Brake disc', price: '40.00', quantity: 5 });
    const stock = async () => (await call(200, 'GET', `/inventory/${item.id}`, owner.token)).quantity;
    const jobId = (await call(201, 'POST', `/service_tickets/${ticketId}/jobs`, owner.token, { title: 'Brakes' })).jobs[0].id;
    const lines = `/service_tickets/${ticketId}/jobs/${jobId}/lines`;
    const added = await call(201, 'POST', lines, technician.token, { type: 'part', inventory_id: item.id, quantity: 2 });
    const lineId = added.jobs[0].lines[0].id;
    expect(await stock()).toBe(3);
    const short = await request(server, 'PUT', `${lines}/${lineId}`, { token: owner.token, json: { quantity: 6 } });
    expect(short).toMatchObject({ status: 409, body: { code: 'insufficient_stock' } });
    expect(await stock()).toBe(3);
    await call(200, 'PUT', `${lines}/${lineId}`, owner.token, { quantity: 4 });
    expect(await stock()).toBe(1);
    await call(200, 'PUT', `${lines}/${lineId}`, owner.token, { quantity: 1 });
    expect(await stock()).toBe(4);
    await call(200, 'DELETE', `${lines}/${lineId}`, owner.token);
    expect(await stock()).toBe(5);
  });

  it("deleting a job gives its parts back to stock; every change raises the ticket's estimate version", async () => {
    await putSettings({});
    const ticketId = await openTicket();
    const item = await call(201, 'POST', '/inventory', owner.token, { part_name: 'Oil filter', price: '8.00', quantity: 3 });
    const versions: number[] = [(await call(200, 'GET', `/service_tickets/${ticketId}`, owner.token)).estimate_version];
    const created = await call(201, 'POST', `/service_tickets/${ticketId}/jobs`, owner.token, {
      title: 'Oil change',
      concern: 'Due for service',
      pay_type: 'customer',
    });
    versions.push(created.estimate_version);
    const job = created.jobs[0];
    expect(job).toMatchObject({ title: 'Oil change', concern: 'Due for service', pay_type: 'customer', lines: [] });
    const jobPath = `/service_tickets/${ticketId}/jobs/${job.id}`;
    versions.push(
      (await call(201, 'POST', `${jobPath}/lines`, owner.token, { type: 'part', inventory_id: item.id, quantity: 3 })).estimate_version,
    );
    const found = await call(200, 'PUT', jobPath, technician.token, { cause: 'Oil aged', correction: 'Changed oil and filter' });
    expect(found.jobs[0]).toMatchObject({ cause: 'Oil aged', correction: 'Changed oil and filter' });
    // The technician's notes are no change to what the customer is offered: the version stays.
    expect(found.estimate_version).toBe(versions.at(-1));
    await call(200, 'DELETE', jobPath, owner.token);
    const after = await call(200, 'GET', `/service_tickets/${ticketId}`, owner.token);
    versions.push(after.estimate_version);
    expect(after.jobs).toEqual([]);
    expect((await call(200, 'GET', `/inventory/${item.id}`, owner.token)).quantity).toBe(3);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
  });

  it('GET /shop/settings shows the settings; PUT takes any subset', async () => {
    await putSettings({ tax_rates: { parts: '8.875' } });
    await call(200, 'PUT', '/shop/settings', owner.token, { labor_rate: '95.50' });
    expect(await call(200, 'GET', '/shop/settings', technician.token)).toMatchObject({
      labor_rate: '95.50',
      currency: 'USD',
      tax_rates: { ...NO_TAX, parts: '8.875' },
      shop_supplies: NO_SUPPLIES,
    });
    for (const percent of ['100.001', '-1', '8.8751', '1e2']) {
      const refused = await request(server, 'PUT', '/shop/settings', {
        token: owner.token,
        json: { tax_rates: { ...NO_TAX, labor: percent } },
      });
      expect(refused, percent).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
    }
  });
});
