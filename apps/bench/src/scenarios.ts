import { randomUUID } from 'node:crypto';
import { Random } from './random.ts';
import { LARGE_ESTIMATE, mechanicEmail, SEED_BCRYPT_COST, SEED_PASSWORD, SHOP, ticketIds, ticketKind } from './seed.ts';

export interface HttpRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  headers?: Record<string, string>;
}

/** The API scenarios, in the order they run (the writes and the logins last: they change or load the most). */
export const SCENARIO_NAMES = [
  'rest.top-mechanics',
  'rest.ticket-by-id',
  'trpc.ticket-by-id',
  'trpc.ticket-by-id.batch',
  'rest.top-mechanics.cache-off',
  'rest.tickets.first-page',
  'rest.tickets.last-page',
  'rest.large-estimate',
  'rest.invoice-pdf',
  'rest.add-part',
  'rest.invoice',
  'rest.payment',
  'rest.mechanic-login',
] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

export interface Scenario {
  name: ScenarioName | 'bare';
  /** What is called, for the table. */
  call: string;
  /** API calls per HTTP request: a tRPC batch makes several. */
  callsPerRequest: number;
  /** One request, or a function making the next one when requests differ. */
  request: HttpRequest | (() => HttpRequest);
  /** What the scenario needs made through the API before its first request (the invoices it pays or prints). */
  prepare?(baseUrl: string): Promise<void>;
  /**
   * `off`: measured on an API started with `CACHE=off`, for scenarios about the
   * database's work that would otherwise repeat one cached answer.
   */
  cache?: 'off';
}

const TRPC_BATCH_SIZE = 5;
const PAGE_SIZE = 20;
const LAST_PAGE = Math.ceil(SHOP.tickets / PAGE_SIZE);

/**
 * A shuffled walk over ticket ids. For the "uncached" reads, one walk over
 * every ticket but the large estimates, shared by all read scenarios, so that
 * no id is read twice (by either door) before all of them have been read once:
 * a response cache cannot help them. For invoicing, each ticket once.
 */
class TicketWalk {
  private readonly ids: number[];
  private cursor = 0;

  constructor(random: Random, ids: number[]) {
    this.ids = [...ids];
    for (let i = this.ids.length - 1; i > 0; i--) {
      const j = random.int(0, i);
      [this.ids[i], this.ids[j]] = [this.ids[j] as number, this.ids[i] as number];
    }
  }

  next(): number {
    const id = this.ids[this.cursor] as number;
    this.cursor = (this.cursor + 1) % this.ids.length;
    return id;
  }
}

/** A JSON body with its content type, plus any other headers. */
const json = (value: unknown, headers: Record<string, string> = {}) => ({
  body: JSON.stringify(value),
  headers: { ...headers, 'content-type': 'application/json' },
});

/** The reference: run before and after the API scenarios, so that drift on a shared machine shows. */
export const BARE_SCENARIO: Scenario = {
  name: 'bare',
  call: 'bare node:http, fixed JSON',
  callsPerRequest: 1,
  request: { method: 'GET', path: '/' },
};

/** Invoices paid by the payment scenario, and others printed by the PDF one (a PDF lists every payment). */
const PREPARED_INVOICES = 20;

/**
 * Issues an invoice for each ticket, through the API, and returns their numbers.
 * The PDF and payment scenarios use their own: each request a fresh one would
 * take more tickets than the invoicing scenario leaves.
 */
async function issueInvoices(baseUrl: string, authorization: string, ids: number[]): Promise<string[]> {
  const numbers: string[] = [];
  for (const id of ids) {
    const response = await fetch(`${baseUrl}/service_tickets/${id}/invoice`, { method: 'POST', headers: { authorization } });
    if (!response.ok) throw new Error(`invoicing service ticket ${id} failed: ${response.status} ${await response.text()}`);
    numbers.push(((await response.json()) as { number: string }).number);
  }
  return numbers;
}

/** The prepared invoices, one after the other. */
function cycling(items: readonly string[]): () => string {
  let next = 0;
  return () => {
    if (items.length === 0) throw new Error('the scenario was not prepared');
    return items[next++ % items.length] as string;
  };
}

export function apiScenarios(mechanicToken: string): Scenario[] {
  const random = new Random(0xbe7c4);
  const tickets = new TicketWalk(random, [...ticketIds('ordinary'), ...ticketIds('readyToInvoice')]);
  const largeEstimates = ticketIds('largeEstimate');
  const readyToInvoice = ticketIds('readyToInvoice');
  const toPay = readyToInvoice.slice(-PREPARED_INVOICES);
  const toPrint = readyToInvoice.slice(-2 * PREPARED_INVOICES, -PREPARED_INVOICES);
  const toInvoice = new TicketWalk(random, readyToInvoice.slice(0, -2 * PREPARED_INVOICES));
  const paid: string[] = [];
  const printed: string[] = [];
  const nextPaid = cycling(paid);
  const nextPrinted = cycling(printed);
  const asMechanic = { authorization: `Bearer ${mechanicToken}` };
  // Writes go to ordinary tickets only: a part added to a ticket ready to invoice would make its job pending again.
  const ordinaryTicket = (): number => {
    const id = random.int(1, SHOP.tickets);
    return ticketKind(id) === 'ordinary' ? id : ordinaryTicket();
  };
  const ticketsPage = (page: number): HttpRequest => ({
    method: 'GET',
    path: `/service_tickets?page=${page}&per_page=${PAGE_SIZE}`,
    headers: asMechanic,
  });
  const trpcInput = (input: unknown) => encodeURIComponent(JSON.stringify(input));

  return [
    {
      name: 'rest.top-mechanics',
      call: 'GET /mechanics/top?limit=10',
      callsPerRequest: 1,
      request: { method: 'GET', path: '/mechanics/top?limit=10' },
    },
    {
      name: 'rest.ticket-by-id',
      call: 'GET /service_tickets/{id}',
      callsPerRequest: 1,
      request: () => ({ method: 'GET', path: `/service_tickets/${tickets.next()}`, headers: asMechanic }),
    },
    {
      name: 'trpc.ticket-by-id',
      call: 'GET /trpc/serviceTickets.byId',
      callsPerRequest: 1,
      request: () => ({
        method: 'GET',
        path: `/trpc/serviceTickets.byId?input=${trpcInput({ id: tickets.next() })}`,
        headers: asMechanic,
      }),
    },
    {
      name: 'trpc.ticket-by-id.batch',
      call: `GET /trpc/serviceTickets.byId ×${TRPC_BATCH_SIZE} batched`,
      callsPerRequest: TRPC_BATCH_SIZE,
      request: () => {
        const inputs = Object.fromEntries(Array.from({ length: TRPC_BATCH_SIZE }, (_, index) => [index, { id: tickets.next() }]));
        const procedures = Array.from({ length: TRPC_BATCH_SIZE }, () => 'serviceTickets.byId').join(',');
        return { method: 'GET', path: `/trpc/${procedures}?batch=1&input=${trpcInput(inputs)}`, headers: asMechanic };
      },
    },
    {
      name: 'rest.top-mechanics.cache-off',
      call: 'GET /mechanics/top?limit=10 (cache off)',
      callsPerRequest: 1,
      request: { method: 'GET', path: '/mechanics/top?limit=10' },
      cache: 'off',
    },
    {
      name: 'rest.tickets.first-page',
      call: `GET /service_tickets?page=1 (cache off)`,
      callsPerRequest: 1,
      request: ticketsPage(1),
      cache: 'off',
    },
    {
      name: 'rest.tickets.last-page',
      call: `GET /service_tickets?page=${LAST_PAGE} (cache off)`,
      callsPerRequest: 1,
      request: ticketsPage(LAST_PAGE),
      cache: 'off',
    },
    {
      name: 'rest.large-estimate',
      call: `GET /service_tickets/{id}, ${LARGE_ESTIMATE.jobs} jobs × ${LARGE_ESTIMATE.linesPerJob} lines (cache off)`,
      callsPerRequest: 1,
      request: () => ({ method: 'GET', path: `/service_tickets/${random.pick(largeEstimates)}`, headers: asMechanic }),
      cache: 'off',
    },
    {
      name: 'rest.invoice-pdf',
      call: 'GET /invoices/{number}/pdf',
      callsPerRequest: 1,
      prepare: async (baseUrl) => {
        printed.push(...(await issueInvoices(baseUrl, asMechanic.authorization, toPrint)));
      },
      request: () => ({ method: 'GET', path: `/invoices/${nextPrinted()}/pdf`, headers: asMechanic }),
    },
    {
      name: 'rest.add-part',
      call: 'POST /service_tickets/{id}/parts',
      callsPerRequest: 1,
      request: () => ({
        method: 'POST',
        path: `/service_tickets/${ordinaryTicket()}/parts`,
        ...json({ inventory_id: random.int(1, SHOP.parts), quantity: 1 }, asMechanic),
      }),
    },
    {
      name: 'rest.invoice',
      call: 'POST /service_tickets/{id}/invoice (a new ticket each)',
      callsPerRequest: 1,
      request: () => ({ method: 'POST', path: `/service_tickets/${toInvoice.next()}/invoice`, headers: asMechanic }),
    },
    {
      name: 'rest.payment',
      call: 'POST /invoices/{number}/payments (a new Idempotency-Key each)',
      callsPerRequest: 1,
      prepare: async (baseUrl) => {
        paid.push(...(await issueInvoices(baseUrl, asMechanic.authorization, toPay)));
      },
      request: () => ({
        method: 'POST',
        path: `/invoices/${nextPaid()}/payments`,
        // A cent at a time: the invoices' balances last for far more payments than a run makes.
        ...json({ amount: '0.01', method: 'cash' }, { ...asMechanic, 'idempotency-key': randomUUID() }),
      }),
    },
    {
      name: 'rest.mechanic-login',
      call: `POST /mechanics/login (bcrypt cost ${SEED_BCRYPT_COST})`,
      callsPerRequest: 1,
      request: () => ({
        method: 'POST',
        path: '/mechanics/login',
        ...json({ email: mechanicEmail(random.int(1, SHOP.mechanics)), password: SEED_PASSWORD }),
      }),
    },
  ];
}
