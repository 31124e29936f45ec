import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../db/transactions.ts';
import { recordAudit, type EventActor } from '../events/outbox.ts';
import { newTicket, signUpCustomer, signUpMechanic } from '../testing/fixtures.ts';
import { createTestApp, reasonOf, type TestApp } from '../testing/index.ts';

/*
 * Reading the trail. The entries are written here directly with recordAudit,
 * on subjects of this file's own; the changes that write them are tested with
 * their resources (and the full ticket life with the service tickets).
 */

let app: TestApp;
let owner: Awaited<ReturnType<typeof signUpMechanic>>;
let writerToken: string;
let ada: Awaited<ReturnType<typeof signUpCustomer>>;
let bobToken: string;
let ticketId: number;

const staffActor = (): EventActor => ({ kind: 'staff', id: owner.mechanic.id });

function audit(entry: Parameters<typeof recordAudit>[1]): Promise<void> {
  return inTransaction(app.services.db, (tx) => recordAudit(tx, entry));
}

beforeAll(async () => {
  app = await createTestApp();
  owner = await signUpMechanic(app);
  writerToken = (await signUpMechanic(app, { role: 'service_writer' })).token;
  ada = await signUpCustomer(app);
  bobToken = (await signUpCustomer(app)).token;
  ticketId = (await app.as(ada.token).serviceTickets.open(newTicket())).id;
  const ticket = { type: 'audit_test_ticket', id: ticketId };
  await audit({
    actor: staffActor(),
    subject: { type: 'audit_test_line', id: 5 },
    action: 'line.updated',
    changes: { quantity: { before: 1, after: 2 } },
    serviceTicketId: ticketId,
  });
  await audit({
    actor: staffActor(),
    subject: ticket,
    action: 'ticket.status_changed',
    changes: { status: { before: 'PENDING', after: 'IN_PROGRESS' } },
    serviceTicketId: ticketId,
    customerVisible: true,
  });
  await audit({
    actor: { kind: 'customer', id: ada.customer.id },
    subject: { type: 'audit_test_approval', id: 3 },
    action: 'approval.recorded',
    changes: { decision: { before: null, after: 'approve' }, client_ip: { before: null, after: '203.0.113.7' } },
    serviceTicketId: ticketId,
    customerVisible: true,
  });
  await audit({
    actor: staffActor(),
    subject: { type: 'audit_test_mechanic', id: 9 },
    action: 'mechanic.updated',
    changes: { salary: { before: '50000.00', after: '52000.00' } },
  });
});
afterAll(() => app.close());

type Page = Awaited<ReturnType<ReturnType<TestApp['as']>['audit']['list']>>;
const actions = (page: Page) => page.items.map((entry) => entry.action);
/** The entries this file wrote (the ticket's own changes write entries of their own, which the services' tests check). */
const ours = (page: Page) => ({ ...page, items: page.items.filter((entry) => entry.subject.type.startsWith('audit_test')) });

describe('GET /service_tickets/{id}/history', () => {
  it('shows staff every change of the ticket, newest first, with who and the fields before and after', async () => {
    const history = ours(await app.as(writerToken).audit.ticketHistory({ id: ticketId }));
    expect(actions(history)).toEqual(['approval.recorded', 'ticket.status_changed', 'line.updated']);
    expect(history.items[1]).toEqual({
      id: expect.any(Number),
      occurred_at: expect.any(String),
      actor: { kind: 'staff', id: owner.mechanic.id },
      subject: { type: 'audit_test_ticket', id: String(ticketId) },
      service_ticket_id: ticketId,
      action: 'ticket.status_changed',
      changes: { status: { before: 'PENDING', after: 'IN_PROGRESS' } },
    });
    expect(history.items[0]!.changes).toHaveProperty('client_ip');
  });

  it("shows the ticket's customer the customer-visible entries without staff-only fields", async () => {
    const history = ours(await app.as(ada.token).audit.ticketHistory({ id: ticketId }));
    expect(actions(history)).toEqual(['approval.recorded', 'ticket.status_changed']);
    expect(history.items[0]!.changes).toEqual({ decision: { before: null, after: 'approve' } });
  });

  it("is a 404 for another customer's ticket and for a ticket that never was", async () => {
    expect(await reasonOf(app.as(bobToken).audit.ticketHistory({ id: ticketId }))).toBe('not_found');
    expect(await reasonOf(app.as(owner.token).audit.ticketHistory({ id: 999_999 }))).toBe('not_found');
  });

  it('pages', async () => {
    const all = await app.as(owner.token).audit.ticketHistory({ id: ticketId, per_page: 100 });
    const page = await app.as(owner.token).audit.ticketHistory({ id: ticketId, page: 2, per_page: 2 });
    expect(page.items).toEqual(all.items.slice(2, 4));
    expect(page).toMatchObject({ page: 2, per_page: 2, total: all.total, pages: Math.ceil(all.total / 2) });
  });
});

describe('GET /audit', () => {
  const list = (input: Parameters<ReturnType<TestApp['as']>['audit']['list']>[0]) => app.as(owner.token).audit.list(input);

  it('filters by subject, including staff salary changes', async () => {
    const page = await list({ subject_type: 'audit_test_mechanic', subject_id: '9' });
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({ action: 'mechanic.updated', changes: { salary: { before: '50000.00', after: '52000.00' } } });
  });

  it('filters by actor', async () => {
    const page = await list({ actor_id: ada.customer.id, actor_kind: 'customer' });
    expect(actions(page)).toContain('approval.recorded');
    expect(page.items.every(({ actor }) => actor?.kind === 'customer' && actor.id === ada.customer.id)).toBe(true);
  });

  it('filters by period: instants or whole days', async () => {
    const all = await list({ subject_type: 'audit_test_mechanic' });
    const at = all.items[0]!.occurred_at;
    const day = at.slice(0, 10);
    expect(actions(await list({ subject_type: 'audit_test_mechanic', from: day, to: day }))).toEqual(['mechanic.updated']);
    expect(actions(await list({ subject_type: 'audit_test_mechanic', from: at, to: at }))).toEqual(['mechanic.updated']);
    const later = new Date(Date.parse(at) + 1).toISOString();
    expect(actions(await list({ subject_type: 'audit_test_mechanic', from: later }))).toEqual([]);
    expect(await reasonOf(list({ from: 'yesterday' }))).toBe('validation_failed');
  });

  it('is for owners only', async () => {
    expect(await reasonOf(app.as(writerToken).audit.list({}))).toBe('forbidden');
    expect(await reasonOf(app.as(ada.token).audit.list({}))).toBe('forbidden');
  });
});
