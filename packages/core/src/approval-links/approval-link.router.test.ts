import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { DEFAULT_RATE_LIMITS } from '../rate-limit/limiter.ts';
import { newInventoryItem, newTicket, signUpCustomer, signUpMechanic } from '../testing/fixtures.ts';
import { createTestApp, reasonOf, statementLog, type TestApp } from '../testing/index.ts';
import { DEFAULT_APPROVAL_LINK_SETTINGS } from './approval-link.service.ts';

/*
 * Approval links (issue 17): a link made by the desk, bound to the estimate
 * version, that the customer opens and decides through without logging in;
 * what it shows and hides; expiry, revocation, unknown tokens and the changed
 * estimate; its own rate limit; and links made and used at once.
 */

let app: TestApp;
let owner: Awaited<ReturnType<typeof signUpMechanic>>;
let writer: Awaited<ReturnType<typeof signUpMechanic>>;
let technician: Awaited<ReturnType<typeof signUpMechanic>>;
let ada: Awaited<ReturnType<typeof signUpCustomer>>;
let padsId: number;

/** A sublet cost that must never reach a link's holder. */
const SUBLET_COST = '1234.56';

beforeAll(async () => {
  app = await createTestApp();
  owner = await signUpMechanic(app);
  writer = await signUpMechanic(app, { role: 'service_writer' });
  technician = await signUpMechanic(app, { role: 'technician' });
  ada = await signUpCustomer(app, { phone: '+44 20 7946 0123', address: '12 Analytical Row' });
  padsId = (await app.as(owner.token).inventory.create(newInventoryItem({ price: '49.90', quantity: 1_000 }))).id;
  await app.as(owner.token).shop.updateSettings({ shop_name: 'Hopper Motors', tax_rates: { parts: '8.875' } });
});
afterAll(() => app.close());

/** A ticket of Ada's with two jobs: brakes (labor, parts, sublet work at a cost) and wipers (a fee). */
async function estimate(on: TestApp = app, staffToken = writer.token, customerToken = ada.token, partId = padsId) {
  const ticket = await on.as(customerToken).serviceTickets.open(newTicket());
  const brakes = (await on.as(staffToken).serviceTickets.addJob({ id: ticket.id, title: 'Front brakes', concern: 'Squeal' })).jobs[0]!.id;
  const wipers = (await on.as(staffToken).serviceTickets.addJob({ id: ticket.id, title: 'Wiper blades' })).jobs[1]!.id;
  const line = (jobId: number, body: Record<string, unknown>) =>
    on.as(staffToken).serviceTickets.addLine({ id: ticket.id, job_id: jobId, ...body } as never);
  await line(brakes, { type: 'labor', description: 'Replace pads', hours: '1.50' });
  await line(brakes, { type: 'part', inventory_id: partId, quantity: 2 });
  await line(brakes, { type: 'sublet', description: 'Machine rotors', amount: '80.00', cost: SUBLET_COST });
  const priced = await line(wipers, { type: 'fee', description: 'Blades', amount: '30.00' });
  return { id: ticket.id, brakes, wipers, ticket: priced };
}

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

describe('making a link', () => {
  it('owners and service writers get a url, a 256-bit token and its expiry, bound to the current estimate_version', async () => {
    const { id, ticket } = await estimate();
    for (const { token } of [owner, writer]) {
      const before = Date.now();
      const link = await app.as(token).approvalLinks.create({ id });
      expect(link.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(link.url).toBe(`${DEFAULT_APPROVAL_LINK_SETTINGS.publicUrl}/app/approve/${link.token}`);
      expect(link.estimate_version).toBe(ticket.estimate_version);
      const ttl = Date.parse(link.expires_at) - before;
      expect(ttl).toBeGreaterThanOrEqual(72 * 3_600_000 - 1_000);
      expect(ttl).toBeLessThanOrEqual(72 * 3_600_000 + 5_000);
    }
  });

  it('keeps only the hash of the token', async () => {
    const { id } = await estimate();
    const { token } = await app.as(writer.token).approvalLinks.create({ id });
    const rows = await app.services.db.approvalLink.findMany({ where: { serviceTicketId: id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).toBe(hashOf(token));
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it('is refused to technicians and customers, and for a ticket that does not exist', async () => {
    const { id } = await estimate();
    expect(await reasonOf(app.as(technician.token).approvalLinks.create({ id }))).toBe('forbidden');
    expect(await reasonOf(app.as(ada.token).approvalLinks.create({ id }))).toBe('forbidden');
    expect(await reasonOf(app.as().approvalLinks.create({ id }))).toBe('unauthenticated');
    expect(await reasonOf(app.as(writer.token).approvalLinks.create({ id: id + 100_000 }))).toBe('not_found');
  });

  it('is refused for a cancelled or invoiced ticket, which take no decisions', async () => {
    const cancelled = await estimate();
    await app.as(writer.token).serviceTickets.edit({ id: cancelled.id, status: 'CANCELLED' });
    expect(await reasonOf(app.as(writer.token).approvalLinks.create({ id: cancelled.id }))).toBe('ticket_cancelled');

    const invoiced = await estimate();
    const { estimate_version } = await app.as(writer.token).serviceTickets.byId({ id: invoiced.id });
    const decisions = [
      { job_id: invoiced.brakes, decision: 'approve' as const },
      { job_id: invoiced.wipers, decision: 'decline' as const },
    ];
    await app.as(ada.token).approvals.create({ id: invoiced.id, estimate_version, decisions, signature_name: 'Ada Lovelace' });
    for (const status of ['IN_PROGRESS', 'COMPLETED'] as const) await app.as(writer.token).serviceTickets.edit({ id: invoiced.id, status });
    await app.as(writer.token).invoices.create({ id: invoiced.id });
    expect(await reasonOf(app.as(writer.token).approvalLinks.create({ id: invoiced.id }))).toBe('ticket_invoiced');
  });
});

describe('what a link shows', () => {
  it('the shop, the vehicle, the jobs with their lines and totals, the ticket totals and the version: the ticket’s own figures', async () => {
    const { id, brakes, wipers } = await estimate();
    const link = await app.as(writer.token).approvalLinks.create({ id });
    const view = await app.as().approvalLinks.view({ token: link.token });
    const ticket = await app.as(ada.token).serviceTickets.byId({ id });

    expect(Object.keys(view).sort()).toEqual(['currency', 'estimate_version', 'expires_at', 'jobs', 'shop_name', 'totals', 'vehicle']);
    expect(view).toMatchObject({
      shop_name: 'Hopper Motors',
      currency: 'USD',
      vehicle: { year: ticket.vehicle.year, make: ticket.vehicle.make, model: ticket.vehicle.model },
      totals: ticket.totals,
      estimate_version: ticket.estimate_version,
      expires_at: link.expires_at,
    });
    expect(view.jobs.map((job) => [job.id, job.title, job.authorization, job.totals])).toEqual([
      [brakes, 'Front brakes', 'pending', ticket.jobs[0]!.totals],
      [wipers, 'Wiper blades', 'pending', ticket.jobs[1]!.totals],
    ]);
    expect(view.jobs[0]!.lines.map((line) => [line.type, line.net])).toEqual(ticket.jobs[0]!.lines.map((line) => [line.type, line.net]));
  });

  it('no email, phone, address, VIN, plate, internal cost, staff or customer ids', async () => {
    const { id } = await estimate();
    const link = await app.as(writer.token).approvalLinks.create({ id });
    const ticket = await app.as(owner.token).serviceTickets.byId({ id });
    const text = JSON.stringify(await app.as().approvalLinks.view({ token: link.token }));
    const customer = await app.as(ada.token).customers.byId({ id: ada.customer.id });
    for (const secret of [customer.email, customer.phone, customer.address, customer.name, ticket.vin!, SUBLET_COST]) {
      expect(text, secret).not.toContain(secret);
    }
    for (const field of [
      '"cost"',
      '"technician_id"',
      '"inventory_id"',
      '"customer_id"',
      '"vin"',
      '"plate"',
      '"email"',
      '"phone"',
      '"address"',
    ]) {
      expect(text, field).not.toContain(field);
    }
  });
});

describe('deciding through a link', () => {
  it("records an approval with method link, by the ticket's customer, on the link's version", async () => {
    const { id, brakes, wipers, ticket } = await estimate();
    const link = await app.as(writer.token).approvalLinks.create({ id });
    const approval = await app.as(undefined, '203.0.113.9').approvalLinks.approve({
      token: link.token,
      decisions: [
        { job_id: brakes, decision: 'approve' },
        { job_id: wipers, decision: 'decline', reason: 'Next month' },
      ],
      signature_name: 'Ada Lovelace',
    });
    expect(approval).toMatchObject({
      service_ticket_id: id,
      method: 'link',
      recorded_by: { kind: 'customer', id: ada.customer.id },
      estimate_version: ticket.estimate_version,
      signature_name: 'Ada Lovelace',
      client_ip: '203.0.113.9',
      contact_name: null,
      contact_phone: null,
    });
    expect(approval.decisions.map(({ job_id, decision }) => [job_id, decision])).toEqual([
      [brakes, 'approve'],
      [wipers, 'decline'],
    ]);
    const after = await app.as(ada.token).serviceTickets.byId({ id });
    expect(after.jobs.map((job) => job.authorization)).toEqual(['approved', 'declined']);
    expect(after.estimate_version).toBe(ticket.estimate_version);
    // The link still works until it expires or is replaced, showing the decisions; a later one may change them.
    const view = await app.as().approvalLinks.view({ token: link.token });
    expect(view.jobs.map((job) => job.authorization)).toEqual(['approved', 'declined']);
    await app
      .as()
      .approvalLinks.approve({ token: link.token, decisions: [{ job_id: wipers, decision: 'approve' }], signature_name: 'Ada' });
    expect((await app.as(ada.token).serviceTickets.byId({ id })).jobs.map((job) => job.authorization)).toEqual(['approved', 'approved']);
  });

  it('refuses a job that is not on the ticket, naming it, and records nothing', async () => {
    const { id, brakes } = await estimate();
    const other = await estimate();
    const link = await app.as(writer.token).approvalLinks.create({ id });
    const decisions = [
      { job_id: brakes, decision: 'approve' as const },
      { job_id: other.brakes, decision: 'approve' as const },
    ];
    const refusal = await app
      .as()
      .approvalLinks.approve({ token: link.token, decisions, signature_name: 'Ada' })
      .catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(AppError);
    expect((refusal as AppError).problem).toBe('not_found');
    expect((refusal as AppError).message).toContain(String(other.brakes));
    expect(await app.services.db.approval.count({ where: { serviceTicketId: id } })).toBe(0);
  });

  it('a cancelled ticket takes no decisions through a link made before', async () => {
    const { id, brakes } = await estimate();
    const link = await app.as(writer.token).approvalLinks.create({ id });
    await app.as(writer.token).serviceTickets.edit({ id, status: 'CANCELLED' });
    expect(
      await reasonOf(
        app.as().approvalLinks.approve({ token: link.token, decisions: [{ job_id: brakes, decision: 'approve' }], signature_name: 'Ada' }),
      ),
    ).toBe('ticket_cancelled');
  });
});

describe('a link stops working', () => {
  it('when a new link is made for the ticket: the new one replaces it (410 link_expired)', async () => {
    const { id, brakes } = await estimate();
    const first = await app.as(writer.token).approvalLinks.create({ id });
    const second = await app.as(owner.token).approvalLinks.create({ id });
    expect(await reasonOf(app.as().approvalLinks.view({ token: first.token }))).toBe('link_expired');
    const decisions = [{ job_id: brakes, decision: 'approve' as const }];
    expect(await reasonOf(app.as().approvalLinks.approve({ token: first.token, decisions, signature_name: 'Ada' }))).toBe('link_expired');
    expect((await app.as().approvalLinks.view({ token: second.token })).jobs).toHaveLength(2);
    // A link of another ticket is not touched.
    const other = await estimate();
    const otherLink = await app.as(writer.token).approvalLinks.create({ id: other.id });
    await app.as(writer.token).approvalLinks.create({ id });
    expect((await app.as().approvalLinks.view({ token: otherLink.token })).estimate_version).toBe(otherLink.estimate_version);
  });

  it('when the estimate changes: 409 estimate_changed with the current version, and nothing is recorded', async () => {
    const { id, brakes } = await estimate();
    const link = await app.as(writer.token).approvalLinks.create({ id });
    const changed = await app
      .as(writer.token)
      .serviceTickets.addLine({ id, job_id: brakes, type: 'fee', description: 'Disposal', amount: '5.00' });
    expect(await reasonOf(app.as().approvalLinks.view({ token: link.token }))).toBe('estimate_changed');
    const refusal = (await app
      .as()
      .approvalLinks.approve({ token: link.token, decisions: [{ job_id: brakes, decision: 'approve' }], signature_name: 'Ada' })
      .catch((error: unknown) => error)) as AppError;
    expect(refusal.problem).toBe('estimate_changed');
    expect(refusal.details).toEqual({ current_estimate_version: changed.estimate_version });
    expect(await app.services.db.approval.count({ where: { serviceTicketId: id } })).toBe(0);
    expect((await app.as(ada.token).serviceTickets.byId({ id })).jobs[0]!.authorization).toBe('pending');
    // A new link is for the estimate as it is now.
    const fresh = await app.as(writer.token).approvalLinks.create({ id });
    expect((await app.as().approvalLinks.view({ token: fresh.token })).estimate_version).toBe(changed.estimate_version);
  });

  it('when the shop’s tax rates change: every estimate is repriced, so its links are for another version', async () => {
    const { id } = await estimate();
    const link = await app.as(writer.token).approvalLinks.create({ id });
    await app.as(owner.token).shop.updateSettings({ tax_rates: { labor: '1' } });
    try {
      expect(await reasonOf(app.as().approvalLinks.view({ token: link.token }))).toBe('estimate_changed');
    } finally {
      await app.as(owner.token).shop.updateSettings({ tax_rates: { labor: '0' } });
    }
  });

  it('an unknown or malformed token is a 410 like an expired one: which tokens exist is not told', async () => {
    const { brakes } = await estimate();
    const decisions = [{ job_id: brakes, decision: 'approve' as const }];
    for (const token of [
      'q3Xz2mC0bq9yV8Jr0Ck1dHn4Lw7Pe5Ts6Ua2Rf8Gi0',
      'x',
      'a'.repeat(256),
      '../../etc/passwd',
      "' OR 1=1 --",
      'ünïcödé 🔧',
    ]) {
      expect(await reasonOf(app.as().approvalLinks.view({ token })), token).toBe('link_expired');
      expect(await reasonOf(app.as().approvalLinks.approve({ token, decisions, signature_name: 'Ada' })), token).toBe('link_expired');
    }
    expect(await reasonOf(app.as().approvalLinks.view({ token: 'a'.repeat(257) }))).toBe('validation_failed');
  });
});

describe('links made and used at once', () => {
  it('of several links made at once for a ticket, exactly one works', async () => {
    const { id } = await estimate();
    const links = await Promise.all(Array.from({ length: 5 }, () => app.as(writer.token).approvalLinks.create({ id })));
    const working = await Promise.all(
      links.map((link) =>
        app
          .as()
          .approvalLinks.view({ token: link.token })
          .then(
            () => true,
            () => false,
          ),
      ),
    );
    expect(working.filter(Boolean)).toHaveLength(1);
    expect(await app.services.db.approvalLink.count({ where: { serviceTicketId: id, revokedAt: null } })).toBe(1);
  });

  it('a decision through a link racing a price change never applies to a price the customer did not see', async () => {
    for (let round = 0; round < 5; round++) {
      const { id, brakes } = await estimate();
      const link = await app.as(writer.token).approvalLinks.create({ id });
      const [decided, changed] = await Promise.allSettled([
        app.as().approvalLinks.approve({ token: link.token, decisions: [{ job_id: brakes, decision: 'approve' }], signature_name: 'Ada' }),
        app.as(writer.token).serviceTickets.addLine({ id, job_id: brakes, type: 'fee', description: 'Disposal', amount: '5.00' }),
      ]);
      expect(changed.status, `round ${round}`).toBe('fulfilled');
      const job = (await app.as(ada.token).serviceTickets.byId({ id })).jobs[0]!;
      if (decided.status === 'fulfilled') {
        // The approval came first, at the link's version; the new line then set the job back to pending.
        expect(decided.value.estimate_version).toBe(link.estimate_version);
        expect(job.authorization).toBe('pending');
      } else {
        expect((decided.reason as AppError).problem).toBe('estimate_changed');
        expect(job.authorization).toBe('pending');
      }
    }
  });
});

describe('with its own settings', () => {
  const statements = statementLog();
  let strict: TestApp;
  let staff: Awaited<ReturnType<typeof signUpMechanic>>;
  let customer: Awaited<ReturnType<typeof signUpCustomer>>;
  let partId: number;

  beforeAll(async () => {
    strict = await createTestApp({
      approvalLinks: { ttlHours: 0, publicUrl: 'https://shop.example' },
      rateLimits: { ...DEFAULT_RATE_LIMITS, approvalLink: { points: 3, seconds: 600 } },
      database: { onStatement: statements.onStatement },
    });
    staff = await signUpMechanic(strict);
    customer = await signUpCustomer(strict);
    partId = (await strict.as(staff.token).inventory.create(newInventoryItem({ quantity: 100 }))).id;
  });
  afterAll(() => strict?.close());

  it('a link points at PUBLIC_URL and stops working after its TTL (here none): 410 link_expired', async () => {
    const { id, brakes } = await estimate(strict, staff.token, customer.token, partId);
    const link = await strict.as(staff.token).approvalLinks.create({ id });
    expect(link.url).toBe(`https://shop.example/app/approve/${link.token}`);
    const as = strict.as(undefined, '198.51.100.1');
    expect(await reasonOf(as.approvalLinks.view({ token: link.token }))).toBe('link_expired');
    expect(
      await reasonOf(
        as.approvalLinks.approve({ token: link.token, decisions: [{ job_id: brakes, decision: 'approve' }], signature_name: 'Ada' }),
      ),
    ).toBe('link_expired');
  });

  it('a wrong token costs what an expired one does: one lookup by the hash, nothing more', async () => {
    const { id } = await estimate(strict, staff.token, customer.token, partId);
    const { token } = await strict.as(staff.token).approvalLinks.create({ id });
    const lookup = (candidate: string) =>
      statements.statementsOf(() =>
        strict
          .as(undefined, '198.51.100.2')
          .approvalLinks.view({ token: candidate })
          .catch(() => undefined),
      );
    const expired = await lookup(token);
    const unknown = await lookup(`${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`);
    expect(expired.filter((sql) => /\bFROM\b/i.test(sql))).toEqual([expect.stringMatching(/approval_links/)]);
    expect(unknown).toEqual(expired);
  });

  it('the token routes share a strict rate limit per client: 429 rate_limited after it', async () => {
    const as = strict.as(undefined, '198.51.100.3');
    const decisions = [{ job_id: 1, decision: 'approve' as const }];
    expect(await reasonOf(as.approvalLinks.view({ token: 'guess-1' }))).toBe('link_expired');
    expect(await reasonOf(as.approvalLinks.approve({ token: 'guess-2', decisions, signature_name: 'Eve' }))).toBe('link_expired');
    expect(await reasonOf(as.approvalLinks.view({ token: 'guess-3' }))).toBe('link_expired');
    expect(await reasonOf(as.approvalLinks.view({ token: 'guess-4' }))).toBe('rate_limited');
    expect(await reasonOf(as.approvalLinks.approve({ token: 'guess-5', decisions, signature_name: 'Eve' }))).toBe('rate_limited');
    // Another client, and the staff's other routes, keep their budgets.
    expect(await reasonOf(strict.as(undefined, '198.51.100.4').approvalLinks.view({ token: 'guess-6' }))).toBe('link_expired');
    expect((await strict.as(staff.token, '198.51.100.3').shop.settings()).shop_name).toBeTruthy();
  });
});
