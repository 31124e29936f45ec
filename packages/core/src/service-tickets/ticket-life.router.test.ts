import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { createCaller } from '../caller.ts';
import { Invoice } from '../invoices/invoice.schemas.ts';
import { Payment, Refund } from '../payments/payment.schemas.ts';
import { newInventoryItem, newTicket, signUpCustomer, signUpMechanic } from '../testing/fixtures.ts';
import { createTestApp, type TestApp } from '../testing/index.ts';
import { Job } from './estimate.schemas.ts';
import { ServiceTicket } from './service-ticket.schemas.ts';

/*
 * Issue 19: the events and audit entries a ticket's life writes, in the
 * transactions of its changes: open → estimate → approve → work → invoice →
 * pay → refund (→ void), read from the outbox and through
 * GET /service_tickets/{id}/history as staff and as the ticket's customer.
 */

let app: TestApp;
let owner: Awaited<ReturnType<typeof signUpMechanic>>;
let writer: Awaited<ReturnType<typeof signUpMechanic>>;
let ada: Awaited<ReturnType<typeof signUpCustomer>>;
let ticketId: number;
let brakes: number;
let wipers: number;
let invoiceNumber: string;
let paymentId: number;

/** A caller whose POSTs carry a new Idempotency-Key, as payments and refunds need. */
const keyed = (token: string) => createCaller(app.services, { token, idempotencyKey: randomUUID() });

/** The outbox's events about one subject, oldest first. */
async function eventsOf(type: string, id: string | number) {
  const rows = await app.services.db.event.findMany({ where: { subjectType: type, subjectId: String(id) }, orderBy: { id: 'asc' } });
  return rows.map((row) => ({ type: row.type, actor: { kind: row.actorKind, id: row.actorId }, data: JSON.parse(row.data) as unknown }));
}

/** The one event of `type` about the subject, its data checked against the catalogue's schema. */
async function onlyEvent<Schema extends z.ZodType>(eventType: string, subject: [string, string | number], schema: Schema) {
  const events = (await eventsOf(...subject)).filter(({ type }) => type === eventType);
  expect(events).toHaveLength(1);
  return { ...events[0]!, data: schema.parse(events[0]!.data) };
}

beforeAll(async () => {
  app = await createTestApp();
  owner = await signUpMechanic(app);
  writer = await signUpMechanic(app, { role: 'service_writer' });
  ada = await signUpCustomer(app);
  const pads = (await app.as(owner.token).inventory.create(newInventoryItem({ price: '40.00', quantity: 100 }))).id;

  ticketId = (await app.as(ada.token).serviceTickets.open(newTicket())).id;
  const staff = app.as(writer.token);
  brakes = (await staff.serviceTickets.addJob({ id: ticketId, title: 'Front brakes', concern: 'Squeal' })).jobs[0]!.id;
  await staff.serviceTickets.addLine({ id: ticketId, job_id: brakes, type: 'part', inventory_id: pads, quantity: 2 });
  const estimate = await staff.serviceTickets.addJob({ id: ticketId, title: 'Wipers' });
  wipers = estimate.jobs[1]!.id;
  await app.as(ada.token).approvals.create({
    id: ticketId,
    estimate_version: estimate.estimate_version,
    decisions: [
      { job_id: brakes, decision: 'approve' },
      { job_id: wipers, decision: 'decline', reason: 'Next month' },
    ],
    signature_name: 'Ada Lovelace',
  });
  await app.as(owner.token).assignments.create({ service_ticket_id: ticketId, mechanic_id: writer.mechanic.id });
  await staff.serviceTickets.edit({ id: ticketId, status: 'IN_PROGRESS' });
  await staff.serviceTickets.editJob({ id: ticketId, job_id: brakes, cause: 'Worn pads', correction: 'Replaced pads' });
  await staff.serviceTickets.edit({ id: ticketId, status: 'COMPLETED' });
  invoiceNumber = (await staff.invoices.create({ id: ticketId })).number;
  paymentId = (await keyed(writer.token).payments.create({ number: invoiceNumber, amount: '20.00', method: 'cash' })).id;
  await keyed(owner.token).payments.refund({ id: paymentId, amount: '20.00', reason: 'Goodwill' });
  await app.as(owner.token).invoices.void({ number: invoiceNumber, reason: 'Wrong customer' });
});
afterAll(() => app.close());

const customer = () => ({ kind: 'customer', id: ada.customer.id });
const byWriter = () => ({ kind: 'staff', id: writer.mechanic.id });

describe('the events of a ticket’s life', () => {
  it('ticket.created: by whoever opened it, with the ticket as its customer sees it', async () => {
    const event = await onlyEvent('ticket.created', ['service_ticket', ticketId], ServiceTicket);
    expect(event.actor).toEqual(customer());
    expect(event.data).toMatchObject({ id: ticketId, customer_id: ada.customer.id, status: 'PENDING', jobs: [] });
  });

  it('estimate.updated: on every change of the offer, not on the technician’s notes', async () => {
    const events = (await eventsOf('service_ticket', ticketId)).filter(({ type }) => type === 'estimate.updated');
    // Two jobs and a line: three offers. Cause and correction are notes.
    expect(events.map(({ data }) => ServiceTicket.parse(data).jobs.length)).toEqual([1, 1, 2]);
    expect(events.every(({ actor }) => actor.kind === 'staff' && actor.id === writer.mechanic.id)).toBe(true);
    expect(ServiceTicket.parse(events[1]!.data).jobs[0]!.lines).toMatchObject([{ type: 'part', quantity: 2 }]);
  });

  it('ticket.status_changed: once per status change, with the ticket after it', async () => {
    const events = (await eventsOf('service_ticket', ticketId)).filter(({ type }) => type === 'ticket.status_changed');
    expect(events.map(({ data }) => ServiceTicket.parse(data).status)).toEqual(['IN_PROGRESS', 'COMPLETED']);
    expect(events[0]!.actor).toEqual(byWriter());
  });

  it('job.approved and job.declined: one per decision, with the job after it', async () => {
    const approved = await onlyEvent('job.approved', ['job', brakes], Job);
    expect(approved).toMatchObject({ actor: customer(), data: { id: brakes, authorization: 'approved' } });
    const declined = await onlyEvent('job.declined', ['job', wipers], Job);
    expect(declined).toMatchObject({ actor: customer(), data: { id: wipers, authorization: 'declined', decline_reason: 'Next month' } });
  });

  it('invoice.issued and invoice.voided: with the invoice after each', async () => {
    const issued = await onlyEvent('invoice.issued', ['invoice', invoiceNumber], Invoice);
    expect(issued).toMatchObject({ actor: byWriter(), data: { number: invoiceNumber, status: 'unpaid', service_ticket_id: ticketId } });
    const voided = await onlyEvent('invoice.voided', ['invoice', invoiceNumber], Invoice);
    expect(voided.data).toMatchObject({ status: 'void', void_reason: 'Wrong customer' });
    expect(voided.actor).toEqual({ kind: 'staff', id: owner.mechanic.id });
  });

  it('payment.received and payment.refunded: about the payment, with the payment and the refund', async () => {
    const received = await onlyEvent('payment.received', ['payment', paymentId], Payment);
    expect(received.data).toMatchObject({ id: paymentId, amount: '20.00', invoice: { number: invoiceNumber, paid: '20.00' } });
    const refunded = await onlyEvent('payment.refunded', ['payment', paymentId], Refund);
    expect(refunded.data).toMatchObject({
      amount: '20.00',
      reason: 'Goodwill',
      payment: { id: paymentId, refunded: '20.00', left: '0.00' },
    });
  });

  it('leaves no event when the change is refused', async () => {
    const before = await app.services.db.event.count();
    await expect(app.as(writer.token).serviceTickets.edit({ id: ticketId, status: 'PENDING' })).rejects.toThrow();
    expect(await app.services.db.event.count()).toBe(before);
  });
});

const actions = (page: { items: Array<{ action: string }> }) => page.items.map(({ action }) => action);

describe('GET /service_tickets/{id}/history after a full life', () => {
  it('shows staff every change, newest first, with the fields before and after', async () => {
    const history = await app.as(owner.token).audit.ticketHistory({ id: ticketId, per_page: 100 });
    expect(actions(history)).toEqual([
      'invoice.voided',
      'payment.refunded',
      'payment.received',
      'invoice.issued',
      'ticket.status_changed',
      'estimate.updated',
      'ticket.status_changed',
      'assignment.created',
      'job.declined',
      'job.approved',
      'approval.recorded',
      'estimate.updated',
      'estimate.updated',
      'estimate.updated',
      'ticket.created',
    ]);
    const entry = (action: string) => history.items.find((item) => item.action === action)!;
    expect(entry('ticket.status_changed').changes).toEqual({ status: { before: 'IN_PROGRESS', after: 'COMPLETED' } });
    // The technician's notes: staff's history shows them, field by field.
    expect(history.items[5]!.changes).toEqual({
      [`jobs.${brakes}.cause`]: { before: '', after: 'Worn pads' },
      [`jobs.${brakes}.correction`]: { before: '', after: 'Replaced pads' },
    });
    expect(entry('job.declined')).toMatchObject({
      actor: customer(),
      subject: { type: 'job', id: String(wipers) },
      changes: { authorization: { before: 'pending', after: 'declined' }, decline_reason: { before: null, after: 'Next month' } },
    });
    expect(entry('approval.recorded').changes).toMatchObject({ method: { before: null, after: 'portal' }, client_ip: expect.any(Object) });
    expect(entry('payment.refunded').changes).toMatchObject({ refunded: { before: '0.00', after: '20.00' } });
    expect(entry('invoice.voided').changes).toMatchObject({ status: { before: 'unpaid', after: 'void' } });
    expect(entry('assignment.created').changes).toEqual({ mechanic_id: { before: null, after: writer.mechanic.id } });
  });

  it('shows the customer status changes, approvals, the invoice and payments, without staff-only fields', async () => {
    const history = await app.as(ada.token).audit.ticketHistory({ id: ticketId, per_page: 100 });
    expect(actions(history)).toEqual([
      'invoice.voided',
      'payment.refunded',
      'payment.received',
      'invoice.issued',
      'ticket.status_changed',
      'ticket.status_changed',
      'job.declined',
      'job.approved',
      'approval.recorded',
      'ticket.created',
    ]);
    const approval = history.items.find((item) => item.action === 'approval.recorded')!;
    expect(Object.keys(approval.changes).sort()).toEqual(['approved_amount', 'estimate_version', 'method', 'signature_name']);
  });
});
