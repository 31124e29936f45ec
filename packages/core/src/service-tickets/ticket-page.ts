import type { Compilable, Kysely, SelectQueryBuilder } from 'kysely';
import type { Database, Transaction } from '../db/client.ts';
import { jsonSql, preparedQuery, queryJson, type DB } from '../db/kysely.ts';
import type { Provider } from '../db/provider.ts';
import { pageWindow, type PaginationInput } from '../shared/schemas.ts';
import type { SettingsRow } from '../shop/shop.service.ts';
import type { TicketStatus } from './service-ticket.schemas.ts';
import { settingsDocument, ticketDocument, toSettingsRow, toTicketRow, type TicketRow } from './ticket-document.ts';

/** The tickets a list shows: all of them, or a customer's, or those in one status. */
export type TicketFilter = {
  customerId?: number;
  status?: TicketStatus;
};

type Tickets = DB & { t: DB['service_tickets'] };

/** A page's query parameters: its window, and the filters in use (a filter not in use is no key at all). */
type PageParams = TicketFilter & { take: number; skip: number };

function matching<Output>(query: SelectQueryBuilder<Tickets, 't', Output>, { customerId, status }: TicketFilter) {
  return query
    .$if(customerId !== undefined, (filtered) => filtered.where('t.customer_id', '=', customerId!))
    .$if(status !== undefined, (filtered) => filtered.where('t.status', '=', status!));
}

/**
 * The statement: the page is a derived table of ticket documents
 * (ticket-document.ts) aggregated into one JSON array in its order, next to
 * the count and the settings.
 */
function pageStatement(builder: Kysely<DB>, provider: Provider, { take, skip, ...filter }: PageParams) {
  const json = jsonSql(provider);
  const tickets = matching(builder.selectFrom('service_tickets as t'), filter)
    .orderBy('t.id')
    .limit(take)
    .offset(skip)
    .select((eb) => [eb.ref('t.id').as('id'), ticketDocument(eb, json).as('document')])
    .as('p');
  return builder.selectNoFrom((eb) =>
    json
      .object({
        total: matching(eb.selectFrom('service_tickets as t'), filter)
          .select((count) => count.fn.countAll<number>().as('total'))
          .$asScalar(),
        settings: settingsDocument(json),
        tickets: json.array(
          eb.selectFrom(tickets),
          (row) => json.nested(row.ref('p.document')),
          (row) => [row.ref('p.id')],
        ),
      })
      .as('json'),
  );
}

type PageDocument = ReturnType<typeof pageStatement> extends Compilable<{ json: infer Document }> ? Document : never;

/** Compiled once per combination of filters in use: which filters apply shapes the statement, their values do not. */
const statements = new Map<string, ReturnType<typeof preparedQuery<PageParams, { json: PageDocument }>>>();

/**
 * A page of tickets (by id) with everything each shows, how many tickets match
 * in all, and the shop's settings that price them, in one SQL statement. One
 * statement is one consistent snapshot on every provider, so the read needs no
 * transaction either. Prisma reads the same as a statement per relation, plus
 * the count and the settings; ticket-page.test.ts checks that both agree.
 */
export async function readTicketPage(
  db: Database | Transaction,
  provider: Provider,
  { customerId, status }: TicketFilter,
  page: PaginationInput,
): Promise<{ rows: TicketRow[]; total: number; settings: SettingsRow }> {
  const params: PageParams = {
    ...pageWindow(page),
    ...(customerId === undefined ? {} : { customerId }),
    ...(status === undefined ? {} : { status }),
  };
  const shape = Object.keys(params).sort().join();
  let statement = statements.get(shape);
  if (!statement) {
    statement = preparedQuery(pageStatement);
    statements.set(shape, statement);
  }
  const [document] = await queryJson(db, statement(provider, params));
  // A SELECT without FROM answers exactly one row.
  const { tickets, total, settings } = document!;
  return { rows: tickets.map(toTicketRow), total, settings: toSettingsRow(settings) };
}
