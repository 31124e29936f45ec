import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import type { Prisma } from '../db/client.ts';
import { readSettings } from '../shop/shop.service.ts';
import { createTestApp, type TestApp } from '../testing/index.ts';
import { ticketFields } from '../testing/prisma-reads.ts';
import { readTicketDocument, type TicketRow } from './ticket-document.ts';

/**
 * The one-statement read of a ticket against Prisma's read of the same ticket
 * (the reference: a statement per relation), on the suite's database, for
 * tickets that stress what JSON carries differently per provider: no jobs,
 * declined and revived jobs, many lines of every type, nulls, unicode and
 * quotes, the largest amounts, dates with milliseconds, mechanics out of order.
 */

let app: TestApp;
const tickets: Record<string, number> = {};

const UNICODE = 'Bremsbeläge vorn — 🚗 "quoted" \\ back\\slash \'single\' 日本語 \n\ttab';
const LARGEST = 2_147_483_647;

beforeAll(async () => {
  app = await createTestApp({ cache: 'off' });
  const { db } = app.services;
  const account = { phone: '+1 555 0100', address: '1 Main Street', passwordHash: 'x' };
  const customer = await db.customer.create({ data: { ...account, name: 'Zoë Ω', email: 'zoe@example.com' } });
  // One after the other: ids in this order.
  const mechanics = [];
  for (const [index, name] of ['Ådne Øye', 'Grace', 'Łukasz 李'].entries()) {
    mechanics.push(await db.mechanic.create({ data: { ...account, name, email: `m${index}@example.com`, salaryCents: LARGEST } }));
  }
  const bare = await db.vehicle.create({ data: { customerId: customer.id } });
  const full = await db.vehicle.create({
    data: { customerId: customer.id, vin: '1HGCM82633A004352', plate: 'ÄB-12 ü', year: 2019, make: 'Škoda', model: UNICODE.slice(0, 50) },
  });
  const parts = await Promise.all(
    [UNICODE.slice(0, 120), 'Filter', 'Belt'].map((partName, index) =>
      db.inventoryItem.create({ data: { partName, priceCents: 100 + index, quantity: 5 } }),
    ),
  );
  const ticket = (title: string, data: Partial<Prisma.ServiceTicketUncheckedCreateInput> = {}) =>
    db.serviceTicket.create({
      data: {
        customerId: customer.id,
        vehicleId: bare.id,
        title,
        description: '',
        serviceDate: new Date('2026-12-01T00:00:00.000Z'),
        ...data,
      },
    });

  tickets.empty = (await ticket('Nothing yet')).id;

  const rich = await ticket(UNICODE.slice(0, 120), {
    vehicleId: full.id,
    description: UNICODE,
    status: 'IN_PROGRESS',
    costCents: LARGEST,
    odometerIn: 123_456,
    odometerOut: LARGEST,
    estimateVersion: 7,
    serviceDate: new Date('1999-12-31T00:00:00.000Z'),
    createdAt: new Date('2026-01-02T03:04:05.678Z'),
    updatedAt: new Date('2026-06-30T23:59:59.999Z'),
  });
  tickets.rich = rich.id;
  // Assigned out of id order, at times with milliseconds.
  for (const [index, mechanic] of [mechanics[2]!, mechanics[0]!, mechanics[1]!].entries()) {
    await db.serviceAssignment.create({
      data: { serviceTicketId: rich.id, mechanicId: mechanic.id, assignedAt: new Date(Date.UTC(2026, 0, 1, 8, 0, index, 1 + index * 111)) },
    });
  }
  const approval = await db.approval.create({
    data: {
      serviceTicketId: rich.id,
      estimateVersion: 7,
      method: 'in_person',
      recordedByKind: 'staff',
      recordedById: mechanics[0]!.id,
      signatureName: 'Zoë',
      approvedAmountCents: LARGEST,
      clientIp: '::1',
    },
  });
  // Positions out of id order, and a tie broken by id.
  const job = (position: number, data: Partial<Prisma.JobUncheckedCreateInput> = {}) =>
    db.job.create({ data: { serviceTicketId: rich.id, title: `Job at ${position}`, position, ...data } });
  const approved = await job(3, {
    authorization: 'approved',
    decidedAt: new Date('2026-02-03T04:05:06.007Z'),
    approvalId: approval.id,
    payType: 'warranty',
    concern: UNICODE,
    cause: '',
    correction: 'Replaced',
  });
  const declined = await job(1, {
    authorization: 'declined',
    decidedAt: new Date('2026-02-03T04:05:06.999Z'),
    declineReason: UNICODE.slice(0, 500),
    followUpOn: new Date('2026-02-17T00:00:00.000Z'),
  });
  const revived = await job(1, {
    authorization: 'declined',
    decidedAt: new Date('2025-12-31T23:59:59.000Z'),
    declineReason: null,
    followUpOn: new Date('2026-01-14T00:00:00.000Z'),
    revivedAt: new Date('2026-03-01T12:00:00.500Z'),
    payType: 'internal',
  });
  await job(2);
  const lines: Prisma.LineCreateManyInput[] = [];
  for (let round = 0; round < 6; round++) {
    for (const jobId of [approved.id, declined.id, revived.id]) {
      lines.push(
        {
          jobId,
          type: 'labor',
          description: UNICODE,
          hoursHundredths: 125 + round,
          rateCents: 12_000,
          technicianId: mechanics[round % 3]!.id,
          taxable: round % 2 === 0,
          discountPercentThousandths: round === 1 ? 12_500 : null,
        },
        {
          jobId,
          type: 'part',
          inventoryId: parts[round % 3]!.id,
          quantity: round + 1,
          unitPriceCents: round === 5 ? LARGEST : 999,
          discountCents: round === 2 ? 1 : null,
        },
        { jobId, type: 'fee', description: 'Shop fee', amountCents: 0, taxable: false },
        { jobId, type: 'sublet', description: 'Alignment', amountCents: LARGEST, costCents: 1 },
      );
    }
  }
  await db.line.createMany({ data: lines });
});
afterAll(() => app?.close());

/** Prisma's read of a ticket, the reference. */
async function prismaRead(id: number) {
  const { db } = app.services;
  const row = await db.serviceTicket.findUnique({ where: { id }, select: ticketFields });
  return row && { row, settings: await readSettings(db) };
}

const read = (id: number) => readTicketDocument(app.services.db, app.services.provider, id);

it('has the row type of Prisma’s read', () => {
  expectTypeOf<TicketRow>().toEqualTypeOf<Prisma.ServiceTicketGetPayload<{ select: typeof ticketFields }>>();
});

describe('a ticket read in one statement is what Prisma reads', () => {
  it.each(['empty', 'rich'])('%s ticket, without shop settings', async (name) => {
    const id = tickets[name]!;
    expect(await read(id)).toStrictEqual(await prismaRead(id));
  });

  it('the rich ticket really is rich', async () => {
    const document = await read(tickets.rich!);
    expect(document?.row.assignments.map(({ mechanic }) => mechanic?.name)).toEqual(['Ådne Øye', 'Grace', 'Łukasz 李']);
    expect(document?.row.jobs.map(({ lines }) => lines.length)).toEqual([24, 24, 0, 24]);
    expect(document?.row.description).toBe(UNICODE);
  });

  it('with the shop’s settings', async () => {
    await app.services.db.shopSettings.create({
      data: {
        id: 1,
        shopName: UNICODE.slice(0, 100),
        currency: 'EUR',
        laborRateCents: LARGEST,
        taxLaborThousandths: 8_875,
        taxPartsThousandths: 0,
        taxFeesThousandths: 100_000,
        taxSubletThousandths: 1,
        suppliesPercentThousandths: 5_000,
        suppliesCapCents: 2_500,
        suppliesTaxable: true,
        declinedFollowUpDays: 30,
        invoicePrefix: 'FA-ü-',
        pricingVersion: 3,
      },
    });
    for (const id of Object.values(tickets)) expect(await read(id)).toStrictEqual(await prismaRead(id));
  });

  it('no ticket: null', async () => {
    expect(await read(999_999)).toBeNull();
    expect(await prismaRead(999_999)).toBeNull();
  });
});
