import type { RouterInputs } from '../router.ts';
import type { TestApp } from './index.ts';
import { checkVin } from '../vehicles/vin.ts';

/*
 * The accounts, tickets and parts tests make, for every package: core's caller
 * tests use them directly, apps/api's HTTP tests send the same bodies over REST
 * (apps/api/test/accounts.ts).
 */

export const PASSWORD = 'correct horse battery';

let sequence = 0;
/** A unique, valid email for a test account. */
export function uniqueEmail(prefix = 'user'): string {
  sequence += 1;
  return `${prefix}.${process.pid}.${sequence}@example.com`;
}

export function newCustomer(overrides: Partial<RouterInputs['customers']['register']> = {}): RouterInputs['customers']['register'] {
  return {
    name: 'Ada Lovelace',
    email: uniqueEmail('customer'),
    phone: '+44 20 7946 0000',
    address: '12 Analytical Row',
    password: PASSWORD,
    ...overrides,
  };
}

export function newMechanic(overrides: Partial<RouterInputs['mechanics']['register']> = {}): RouterInputs['mechanics']['register'] {
  return {
    name: 'Grace Hopper',
    email: uniqueEmail('mechanic'),
    phone: '+1 555 0100',
    address: '1 Cobol Way',
    salary: '58000.00',
    password: PASSWORD,
    ...overrides,
  };
}

/** Registers a customer and logs in: the account and its token. */
export async function signUpCustomer(app: TestApp, overrides: Partial<RouterInputs['customers']['register']> = {}) {
  const input = newCustomer(overrides);
  const customer = await app.as().customers.register(input);
  const { token } = await app.as().customers.logIn({ email: input.email, password: input.password });
  return { customer, token };
}

/**
 * Registers a mechanic and logs in. The first one of a test app opens the shop;
 * later ones are registered by the first.
 */
export async function signUpMechanic(app: TestApp, overrides: Partial<RouterInputs['mechanics']['register']> = {}) {
  const input = newMechanic(overrides);
  const registrar = founders.get(app);
  const mechanic = await app.as(registrar).mechanics.register(input);
  const { token } = await app.as().mechanics.logIn({ email: input.email, password: input.password });
  if (!registrar) founders.set(app, token);
  return { mechanic, token };
}

const founders = new WeakMap<TestApp, string>();

let vinSerial = 0;
/**
 * A VIN that passes every rule and that no other call of this process made: a
 * VIN belongs to one vehicle only, so each new ticket gets a car of its own.
 */
export function uniqueVin(): string {
  vinSerial += 1;
  const serial = String(vinSerial).padStart(6, '0');
  // The check digit (position 9) is the one `checkVin` computes, so the rule lives in one place.
  for (const checkDigit of '0123456789X') {
    const vin = `1HGCM826${checkDigit}3A${serial}`;
    if (checkVin(vin).ok) return vin;
  }
  throw new Error(`no check digit makes serial ${serial} a valid VIN`);
}

export function newTicket(overrides: Partial<RouterInputs['serviceTickets']['open']> = {}): RouterInputs['serviceTickets']['open'] {
  return {
    title: 'Brakes squeal',
    description: 'Front brakes squeal when stopping',
    vin: uniqueVin(),
    service_date: '2026-12-01',
    ...overrides,
  };
}

export function newInventoryItem(overrides: Partial<RouterInputs['inventory']['create']> = {}): RouterInputs['inventory']['create'] {
  return { part_name: 'Brake pad set', description: 'Front, ceramic', price: '49.90', quantity: 10, ...overrides };
}

/**
 * Records the customer's approval of every job of a ticket, given in person to
 * `staffToken` (an owner or service writer): work may start on it then.
 */
export async function approveEveryJob(app: TestApp, staffToken: string, id: number) {
  const ticket = await app.as(staffToken).serviceTickets.byId({ id });
  return app.as(staffToken).approvals.create({
    id,
    estimate_version: ticket.estimate_version,
    decisions: ticket.jobs.map((job) => ({ job_id: job.id, decision: 'approve' as const })),
    signature_name: 'Ada Lovelace',
    method: 'in_person',
  });
}
