import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../db/transactions.ts';
import { signUpCustomer, signUpMechanic } from '../testing/fixtures.ts';
import { createTestApp, reasonOf, type TestApp } from '../testing/index.ts';
import { emitEvent, type EventType } from './outbox.ts';
import { publishAllEvents } from './publisher.ts';

/*
 * The pull feed: published events after a cursor, by position. The events are
 * emitted here directly (the changes that emit them are tested with their
 * resources), on a subject of this file's own.
 */

let app: TestApp;
let ownerToken: string;
let writerToken: string;
let customerToken: string;
/** The feed's cursor before this file's events. */
let start: string;

beforeAll(async () => {
  app = await createTestApp();
  ownerToken = (await signUpMechanic(app)).token;
  writerToken = (await signUpMechanic(app, { role: 'service_writer' })).token;
  customerToken = (await signUpCustomer(app)).token;
  await publishAllEvents(app.services);
  start = String((await app.services.db.eventPublisher.findUniqueOrThrow({ where: { id: 1 } })).lastPosition);
  await emit('ticket.created', '1');
  await emit('ticket.status_changed', '1');
  await emit('invoice.issued', 'INV-000001');
  await publishAllEvents(app.services);
});
afterAll(() => app.close());

function emit(type: EventType, subjectId: string): Promise<void> {
  return inTransaction(app.services.db, (tx) =>
    emitEvent(tx, {
      type,
      actor: { role: 'mechanic', id: 1, staffRole: 'owner' },
      subject: { type: type.startsWith('invoice') ? 'invoice' : 'service_ticket', id: subjectId },
      data: { step: type },
    }),
  );
}

const feed = (input: Parameters<ReturnType<TestApp['as']>['events']['feed']>[0]) => app.as(ownerToken).events.feed(input);

describe('GET /events', () => {
  it('lists published events after the cursor, in position order, with their envelope', async () => {
    const page = await feed({ after: start });
    expect(page.items.map((event) => event.type)).toEqual(['ticket.created', 'ticket.status_changed', 'invoice.issued']);
    expect(page.items[0]).toEqual({
      id: expect.stringMatching(/^evt_\d+$/),
      type: 'ticket.created',
      occurred_at: expect.any(String),
      actor: { kind: 'staff', id: 1 },
      subject: { type: 'service_ticket', id: '1' },
      data: { step: 'ticket.created' },
    });
    expect(page.next_cursor).toBe(String(Number(start) + 3));
  });

  it('pages with limit and next_cursor, and keeps the cursor when nothing is new', async () => {
    const first = await feed({ after: start, limit: 2 });
    expect(first.items.map((event) => event.type)).toEqual(['ticket.created', 'ticket.status_changed']);
    const second = await feed({ after: first.next_cursor, limit: 2 });
    expect(second.items.map((event) => event.type)).toEqual(['invoice.issued']);
    const empty = await feed({ after: second.next_cursor });
    expect(empty).toEqual({ items: [], next_cursor: second.next_cursor });
  });

  it('filters by types', async () => {
    const page = await feed({ after: start, types: 'invoice.issued,ticket.created' });
    expect(page.items.map((event) => event.type)).toEqual(['ticket.created', 'invoice.issued']);
  });

  it('leaves out events not yet published', async () => {
    const before = await feed({ after: start });
    await emit('ticket.status_changed', '1');
    expect(await feed({ after: start })).toEqual(before);
    await publishAllEvents(app.services);
    expect((await feed({ after: start })).items).toHaveLength(4);
  });

  it('refuses a malformed cursor, an unknown type and a limit past the maximum', async () => {
    expect(await reasonOf(feed({ after: 'abc' }))).toBe('validation_failed');
    expect(await reasonOf(feed({ types: 'ticket.created,ticket.exploded' }))).toBe('validation_failed');
    expect(await reasonOf(feed({ limit: 101 }))).toBe('validation_failed');
  });

  it('is for owners only', async () => {
    expect(await reasonOf(app.as(writerToken).events.feed({}))).toBe('forbidden');
    expect(await reasonOf(app.as(customerToken).events.feed({}))).toBe('forbidden');
    expect(await reasonOf(app.as().events.feed({}))).toBe('unauthenticated');
  });
});
