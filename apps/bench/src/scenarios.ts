import { Random } from './random.ts';
import { mechanicEmail, SEED_BCRYPT_COST, SEED_PASSWORD, SHOP } from './seed.ts';

export interface HttpRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  headers?: Record<string, string>;
}

/** The API scenarios, in the order they run (the write and the logins last: they change or load the most). */
export const SCENARIO_NAMES = [
  'rest.top-mechanics',
  'rest.ticket-by-id',
  'trpc.ticket-by-id',
  'trpc.ticket-by-id.batch',
  'rest.tickets.first-page',
  'rest.tickets.last-page',
  'rest.add-part',
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
 * Ticket ids for the "uncached" reads: one shuffled walk over every ticket,
 * shared by all read scenarios, so that no id is read twice (by either door)
 * before all of them have been read once. A response cache cannot help them.
 */
class TicketWalk {
  private readonly ids: number[];
  private cursor = 0;

  constructor(random: Random) {
    this.ids = Array.from({ length: SHOP.tickets }, (_, index) => index + 1);
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

export function apiScenarios(mechanicToken: string): Scenario[] {
  const random = new Random(0xbe7c4);
  const tickets = new TicketWalk(random);
  const asMechanic = { authorization: `Bearer ${mechanicToken}` };
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
      name: 'rest.add-part',
      call: 'POST /service_tickets/{id}/parts',
      callsPerRequest: 1,
      request: () => ({
        method: 'POST',
        path: `/service_tickets/${random.int(1, SHOP.tickets)}/parts`,
        ...json({ inventory_id: random.int(1, SHOP.parts), quantity: 1 }, asMechanic),
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
