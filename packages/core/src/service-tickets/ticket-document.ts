import { expressionBuilder, type ExpressionBuilder } from 'kysely';
import type { Database, Transaction } from '../db/client.ts';
import { jsonBoolean, jsonDate, jsonNullableDate, jsonSql, preparedQuery, queryJson, type DB, type JsonSql } from '../db/kysely.ts';
import type { Provider } from '../db/provider.ts';
import { DEFAULT_SHOP_SETTINGS, type SettingsRow } from '../shop/shop.service.ts';
import type { JobRow } from './estimate.view.ts';

/**
 * A ticket with everything it shows (vehicle, mechanics, jobs and their lines
 * with the parts' names) and the shop's settings that price it, in one SQL
 * statement: each relation is a JSON aggregate in a correlated subquery. Prisma
 * reads the same as one statement per relation (0.74 ms of CPU against 0.12 ms
 * on the bench database), and one statement is one consistent snapshot on
 * every provider, so the read needs no transaction of its own either.
 *
 * `toTicketRow` turns the document into a `TicketRow`, typed from the tables
 * generated from the Prisma schema: ticket-document.test.ts checks that it is
 * the type and the value of Prisma's read of the same ticket (the reference,
 * src/testing/prisma-reads.ts), on every provider.
 */

/** The scope of a query over `service_tickets as t`. */
export type TicketScope = ExpressionBuilder<DB & { t: DB['service_tickets'] }, 't'>;

/** One line as the document carries it, in the order the ticket shows them (by id). */
function linesOf(eb: ExpressionBuilder<DB & { t: DB['service_tickets']; j: DB['jobs'] }, 't' | 'j'>, json: JsonSql) {
  return json.array(
    eb.selectFrom('job_lines as l').whereRef('l.job_id', '=', 'j.id'),
    (line) =>
      json.object({
        id: line.ref('l.id'),
        type: line.ref('l.type'),
        description: line.ref('l.description'),
        hoursHundredths: line.ref('l.hours_hundredths'),
        rateCents: line.ref('l.rate_cents'),
        technicianId: line.ref('l.technician_id'),
        inventoryId: line.ref('l.inventory_id'),
        quantity: line.ref('l.quantity'),
        unitPriceCents: line.ref('l.unit_price_cents'),
        amountCents: line.ref('l.amount_cents'),
        costCents: line.ref('l.cost_cents'),
        taxable: line.ref('l.taxable'),
        discountPercentThousandths: line.ref('l.discount_percent_thousandths'),
        discountCents: line.ref('l.discount_cents'),
        item: json.nested(
          line
            .selectFrom('inventory as i')
            .whereRef('i.id', '=', 'l.inventory_id')
            .select((item) => json.object({ partName: item.ref('i.part_name') }).as('json'))
            .$asScalar(),
        ),
      }),
    (line) => [line.ref('l.id')],
  );
}

/** The ticket `t` as one JSON document (see `toTicketRow`). */
export function ticketDocument(eb: TicketScope, json: JsonSql) {
  return json.object({
    id: eb.ref('t.id'),
    customerId: eb.ref('t.customer_id'),
    title: eb.ref('t.title'),
    description: eb.ref('t.description'),
    serviceDate: eb.ref('t.service_date'),
    status: eb.ref('t.status'),
    costCents: eb.ref('t.cost_cents'),
    odometerIn: eb.ref('t.odometer_in'),
    odometerOut: eb.ref('t.odometer_out'),
    vehicle: json.nested(
      eb
        .selectFrom('vehicles as v')
        .whereRef('v.id', '=', 't.vehicle_id')
        .select((vehicle) =>
          json
            .object({
              id: vehicle.ref('v.id'),
              vin: vehicle.ref('v.vin'),
              plate: vehicle.ref('v.plate'),
              year: vehicle.ref('v.year'),
              make: vehicle.ref('v.make'),
              model: vehicle.ref('v.model'),
            })
            .as('json'),
        )
        .$asScalar(),
    ),
    createdAt: eb.ref('t.created_at'),
    updatedAt: eb.ref('t.updated_at'),
    assignments: json.array(
      eb.selectFrom('service_assignments as a').whereRef('a.service_ticket_id', '=', 't.id'),
      (assignment) =>
        json.object({
          assignedAt: assignment.ref('a.assigned_at'),
          mechanic: json.nested(
            assignment
              .selectFrom('mechanics as m')
              .whereRef('m.id', '=', 'a.mechanic_id')
              .select((mechanic) => json.object({ id: mechanic.ref('m.id'), name: mechanic.ref('m.name') }).as('json'))
              .$asScalar(),
          ),
        }),
      (assignment) => [assignment.ref('a.mechanic_id')],
    ),
    estimateVersion: eb.ref('t.estimate_version'),
    jobs: json.array(
      eb.selectFrom('jobs as j').whereRef('j.service_ticket_id', '=', 't.id'),
      (job) =>
        json.object({
          id: job.ref('j.id'),
          title: job.ref('j.title'),
          concern: job.ref('j.concern'),
          cause: job.ref('j.cause'),
          correction: job.ref('j.correction'),
          payType: job.ref('j.pay_type'),
          authorization: job.ref('j.authorization'),
          decidedAt: job.ref('j.decided_at'),
          approvalId: job.ref('j.approval_id'),
          declineReason: job.ref('j.decline_reason'),
          followUpOn: job.ref('j.follow_up_on'),
          revivedAt: job.ref('j.revived_at'),
          lines: linesOf(job, json),
        }),
      (job) => [job.ref('j.position'), job.ref('j.id')],
    ),
  });
}

/**
 * The shop's settings row as one JSON document, null while the shop has none.
 * It refers to no outer query: any statement can place it (a ticket, a page of them).
 */
export function settingsDocument(json: JsonSql) {
  return json.nested(
    expressionBuilder<DB, never>()
      .selectFrom('shop_settings as s')
      .where('s.id', '=', 1)
      .select((settings) =>
        json
          .object({
            shopName: settings.ref('s.shop_name'),
            currency: settings.ref('s.currency'),
            laborRateCents: settings.ref('s.labor_rate_cents'),
            taxLaborThousandths: settings.ref('s.tax_labor_thousandths'),
            taxPartsThousandths: settings.ref('s.tax_parts_thousandths'),
            taxFeesThousandths: settings.ref('s.tax_fees_thousandths'),
            taxSubletThousandths: settings.ref('s.tax_sublet_thousandths'),
            suppliesPercentThousandths: settings.ref('s.supplies_percent_thousandths'),
            suppliesCapCents: settings.ref('s.supplies_cap_cents'),
            suppliesTaxable: settings.ref('s.supplies_taxable'),
            declinedFollowUpDays: settings.ref('s.declined_follow_up_days'),
            invoicePrefix: settings.ref('s.invoice_prefix'),
            pricingVersion: settings.ref('s.pricing_version'),
          })
          .as('json'),
      )
      .$asScalar(),
  );
}

/** A ticket as the views read it (what Prisma's `ticketFields` read gives). */
export type TicketRow = ReturnType<typeof toTicketRow>;

export type TicketDocument = ReturnType<typeof ticketDocument> extends { expressionType?: infer Document } ? NonNullable<Document> : never;
type SettingsDocument = ReturnType<typeof settingsDocument> extends { expressionType?: infer Document } ? NonNullable<Document> : never;

/** The ticket row Prisma's query gives, from its JSON document: dates and booleans as the JSON carries them. */
export function toTicketRow(document: TicketDocument) {
  return {
    ...document,
    serviceDate: jsonDate(document.serviceDate),
    createdAt: jsonDate(document.createdAt),
    updatedAt: jsonDate(document.updatedAt),
    assignments: document.assignments.map((assignment) => ({ ...assignment, assignedAt: jsonDate(assignment.assignedAt) })),
    jobs: document.jobs.map((job): JobRow => ({
      ...job,
      decidedAt: jsonNullableDate(job.decidedAt),
      followUpOn: jsonNullableDate(job.followUpOn),
      revivedAt: jsonNullableDate(job.revivedAt),
      lines: job.lines.map((line) => ({ ...line, taxable: jsonBoolean(line.taxable) })),
    })),
  };
}

export function toSettingsRow(document: SettingsDocument | null): SettingsRow {
  return document === null ? DEFAULT_SHOP_SETTINGS : { ...document, suppliesTaxable: jsonBoolean(document.suppliesTaxable) };
}

const ticketQuery = preparedQuery((builder, provider, { id }: { id: number }) => {
  const json = jsonSql(provider);
  return builder
    .selectFrom('service_tickets as t')
    .where('t.id', '=', id)
    .select((eb) => json.object({ ticket: ticketDocument(eb, json), settings: settingsDocument(json) }).as('json'));
});

/** A ticket as the views read it, and the shop's settings that price it. */
export interface TicketRead {
  row: TicketRow;
  settings: SettingsRow;
}

/** A ticket and the settings that price it, in one statement; null when there is no such ticket. */
export async function readTicketDocument(db: Database | Transaction, provider: Provider, id: number): Promise<TicketRead | null> {
  const [document] = await queryJson(db, ticketQuery(provider, { id }));
  return document ? { row: toTicketRow(document.ticket), settings: toSettingsRow(document.settings) } : null;
}
