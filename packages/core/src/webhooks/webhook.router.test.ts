import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishAllEvents } from '../events/publisher.ts';
import { signUpCustomer, signUpMechanic } from '../testing/fixtures.ts';
import { createTestApp, reasonOf, type TestApp } from '../testing/index.ts';

/*
 * Webhook subscriptions (issue 19): the owner's CRUD, the secret shown once,
 * its rotation, the test event that goes to one webhook only, the delivery log
 * and its retry, and the outbound rules on the URL (scheme and address).
 */

let app: TestApp;
let owner: string;
let writer: string;

beforeAll(async () => {
  // Outside production http:// is allowed; private networks are refused unless allowed, as in production.
  app = await createTestApp({ webhooks: { allowHttp: true, allowPrivateNetworks: false } });
  owner = (await signUpMechanic(app)).token;
  writer = (await signUpMechanic(app, { role: 'service_writer' })).token;
});
afterAll(() => app.close());

const PUBLIC_URL = 'https://93.184.215.14/hooks';

describe('subscriptions', () => {
  it('creates a webhook with a whsec_ secret shown once, then lists, reads, changes and deletes it', async () => {
    const created = await app.as(owner).webhooks.create({ url: PUBLIC_URL, event_types: ['invoice.issued', 'invoice.issued'] });
    expect(created).toMatchObject({
      url: PUBLIC_URL,
      event_types: ['invoice.issued'],
      description: '',
      enabled: true,
      failing_since: null,
    });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(Buffer.from(created.secret.slice('whsec_'.length), 'base64')).toHaveLength(24);

    const read = await app.as(owner).webhooks.byId({ id: created.id });
    expect(read).not.toHaveProperty('secret');
    expect((await app.as(owner).webhooks.list({})).items.map((each) => each.id)).toContain(created.id);

    const changed = await app.as(owner).webhooks.update({ id: created.id, description: 'Accounting', event_types: ['payment.received'] });
    expect(changed).toMatchObject({ description: 'Accounting', event_types: ['payment.received'] });
    const disabled = await app.as(owner).webhooks.update({ id: created.id, enabled: false });
    expect(disabled).toMatchObject({ enabled: false, disabled_reason: 'disabled by the owner' });
    expect(await app.as(owner).webhooks.update({ id: created.id, enabled: true })).toMatchObject({ enabled: true, disabled_at: null });

    const rotated = await app.as(owner).webhooks.rotateSecret({ id: created.id });
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(created.secret);

    await app.as(owner).webhooks.delete({ id: created.id });
    expect(await reasonOf(app.as(owner).webhooks.byId({ id: created.id }))).toBe('not_found');
    expect(await reasonOf(app.as(owner).webhooks.delete({ id: created.id }))).toBe('not_found');
  });

  it('is for the owner only', async () => {
    const customer = (await signUpCustomer(app)).token;
    expect(await reasonOf(app.as(writer).webhooks.list({}))).toBe('forbidden');
    expect(await reasonOf(app.as(customer).webhooks.create({ url: PUBLIC_URL, event_types: ['invoice.issued'] }))).toBe('forbidden');
  });

  it('refuses unknown event types and the test event as a subscription', async () => {
    const subscribe = (types: string[]) => app.as(owner).webhooks.create({ url: PUBLIC_URL, event_types: types });
    expect(await reasonOf(subscribe(['ticket.exploded']))).toBe('validation_failed');
    expect(await reasonOf(subscribe(['webhook.test']))).toBe('validation_failed');
    expect(await reasonOf(subscribe([]))).toBe('validation_failed');
  });
});

describe('outbound rules', () => {
  it.each([
    ['loopback', 'http://127.0.0.1:8080/hook'],
    ['loopback by name', 'http://localhost/hook'],
    ['private', 'https://10.1.2.3/hook'],
    ['private', 'https://192.168.0.10/hook'],
    ['CGNAT', 'https://100.64.0.1/hook'],
    ['metadata', 'http://169.254.169.254/latest/meta-data/'],
    ['IPv6 loopback', 'https://[::1]/hook'],
    ['IPv6 unique-local', 'https://[fd00::1]/hook'],
    ['IPv4-mapped loopback', 'https://[::ffff:127.0.0.1]/hook'],
    ['multicast', 'https://224.0.0.1/hook'],
  ])('refuses a %s address (%s), at creation and on a change', async (_kind, url) => {
    expect(await reasonOf(app.as(owner).webhooks.create({ url, event_types: ['invoice.issued'] }))).toBe('webhook_url_refused');
    const { id } = await app.as(owner).webhooks.create({ url: PUBLIC_URL, event_types: ['invoice.issued'] });
    expect(await reasonOf(app.as(owner).webhooks.update({ id, url }))).toBe('webhook_url_refused');
  });

  it('refuses http:// where it is not allowed (production), credentials in the URL and other schemes', async () => {
    const production = await createTestApp({ database: { url: app.databaseUrl }, webhooks: { allowHttp: false } });
    try {
      expect(
        await reasonOf(production.as(owner).webhooks.create({ url: 'http://93.184.215.14/hook', event_types: ['invoice.issued'] })),
      ).toBe('webhook_url_refused');
    } finally {
      await production.close();
    }
    expect(await reasonOf(app.as(owner).webhooks.create({ url: 'https://user:pw@93.184.215.14/', event_types: ['invoice.issued'] }))).toBe(
      'webhook_url_refused',
    );
    expect(await reasonOf(app.as(owner).webhooks.create({ url: 'ftp://93.184.215.14/', event_types: ['invoice.issued'] }))).toBe(
      'validation_failed',
    );
  });

  it('allows private addresses when WEBHOOK_ALLOW_PRIVATE_NETWORKS says so', async () => {
    const allowing = await createTestApp({ database: { url: app.databaseUrl }, webhooks: { allowHttp: true, allowPrivateNetworks: true } });
    try {
      const created = await allowing.as(owner).webhooks.create({ url: 'http://127.0.0.1:9/hook', event_types: ['invoice.issued'] });
      expect(created.url).toBe('http://127.0.0.1:9/hook');
    } finally {
      await allowing.close();
    }
  });
});

describe('test event and delivery log', () => {
  it('sends webhook.test to that webhook only, logs the delivery, and retries it on request', async () => {
    const target = await app.as(owner).webhooks.create({ url: PUBLIC_URL, event_types: ['invoice.issued'] });
    const bystander = await app.as(owner).webhooks.create({ url: PUBLIC_URL, event_types: ['invoice.issued', 'payment.received'] });
    await app.as(owner).webhooks.test({ id: target.id });
    await publishAllEvents(app.services);

    const log = await app.as(owner).webhooks.deliveries({ id: target.id });
    expect(log.items).toHaveLength(1);
    expect(log.items[0]).toMatchObject({ event_type: 'webhook.test', status: 'pending', attempt_count: 0, attempts: [] });
    expect(log.items[0]!.event_id).toMatch(/^evt_\d+$/);
    expect((await app.as(owner).webhooks.deliveries({ id: bystander.id })).total).toBe(0);
    expect((await app.as(owner).webhooks.deliveries({ id: target.id, status: 'failed' })).total).toBe(0);

    const retried = await app.as(owner).webhooks.retryDelivery({ id: target.id, delivery_id: log.items[0]!.id });
    expect(retried).toMatchObject({ id: log.items[0]!.id, status: 'pending', attempt_count: 0 });
    expect(await reasonOf(app.as(owner).webhooks.retryDelivery({ id: bystander.id, delivery_id: log.items[0]!.id }))).toBe('not_found');

    await app.as(owner).webhooks.update({ id: target.id, enabled: false });
    expect(await reasonOf(app.as(owner).webhooks.test({ id: target.id }))).toBe('webhook_disabled');
    expect(await reasonOf(app.as(owner).webhooks.retryDelivery({ id: target.id, delivery_id: log.items[0]!.id }))).toBe('webhook_disabled');
    expect(await reasonOf(app.as(owner).webhooks.deliveries({ id: 999_999 }))).toBe('not_found');
  });
});
