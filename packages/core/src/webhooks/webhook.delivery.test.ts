import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { emitEvent } from '../events/outbox.ts';
import { publishAllEvents } from '../events/publisher.ts';
import { signUpMechanic } from '../testing/fixtures.ts';
import { createTestApp, type TestApp } from '../testing/index.ts';
import { deliverDueWebhooks } from './webhook.delivery.ts';

/*
 * Deliveries (issue 19) to a real receiver on 127.0.0.1 that verifies each
 * message with the Standard Webhooks reference library: signatures, retries
 * after 500s, timeouts and redirects, the final failure, ordering per subject,
 * leases between two workers, a crashed worker's lease, disabling a webhook
 * that keeps failing, and the address check at delivery time.
 */

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  event: { id: string; type: string; subject: { type: string; id: string }; data: { n?: number } };
}

let app: TestApp;
let owner: string;
let receiver: Server;
let url: string;
let received: Received[];
/** What the receiver answers next, per call: a status, or 'hang' (longer than the timeout); 200 once the script is used up. */
let script: Array<number | 'hang'>;
let secret: string;

const TIMEOUT_MS = 300;

beforeAll(async () => {
  app = await createTestApp({ webhooks: { allowHttp: true, allowPrivateNetworks: true, retrySchedule: [0, 0], timeoutMs: TIMEOUT_MS } });
  owner = (await signUpMechanic(app)).token;
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const event = new StandardWebhook(secret).verify(body, request.headers as Record<string, string>) as Received['event'];
      received.push({ headers: request.headers, body, event });
      const next = script.shift() ?? 200;
      if (next === 'hang') return void setTimeout(() => response.end('late'), TIMEOUT_MS * 4);
      if (next >= 300 && next < 400) response.setHeader('location', `${url}/elsewhere`);
      response.statusCode = next;
      response.end(next === 500 ? 'x'.repeat(5_000) : 'ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});
afterAll(async () => {
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
  await app.close();
});
beforeEach(async () => {
  received = [];
  script = [];
  // One subscriber at a time: earlier tests' webhooks would receive these events too.
  await app.services.db.webhook.deleteMany({});
});

async function subscribe(types = ['invoice.issued']): Promise<number> {
  const created = await app.as(owner).webhooks.create({ url, event_types: types });
  secret = created.secret;
  return created.id;
}

let serial = 0;
/** Emits events as a change would, in a transaction, and publishes them. */
async function emit(...subjects: string[]): Promise<void> {
  await app.services.db.$transaction(async (tx) => {
    for (const subject of subjects) {
      await emitEvent(tx, { type: 'invoice.issued', actor: null, subject: { type: 'invoice', id: subject }, data: { n: ++serial } });
    }
  });
  await publishAllEvents(app.services);
}

const deliver = (owner = 'worker-a', services = app.services) => deliverDueWebhooks(services, owner);

async function deliveriesOf(id: number) {
  return (await app.as(owner).webhooks.deliveries({ id })).items;
}

describe('a delivery', () => {
  it('is signed per Standard Webhooks and carries the event', async () => {
    const id = await subscribe();
    await emit('INV-1');
    expect(await deliver()).toBe(1);

    expect(received).toHaveLength(1);
    const [message] = received;
    expect(message!.headers['webhook-id']).toMatch(/^evt_\d+$/);
    expect(Math.abs(Number(message!.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
    expect(message!.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(JSON.parse(message!.body)).toEqual({
      id: message!.headers['webhook-id'],
      type: 'invoice.issued',
      occurred_at: expect.stringMatching(/Z$/),
      actor: null,
      subject: { type: 'invoice', id: 'INV-1' },
      data: { n: serial },
    });
    const [delivery] = await deliveriesOf(id);
    expect(delivery).toMatchObject({
      status: 'succeeded',
      attempt_count: 1,
      next_attempt_at: null,
      event_id: message!.headers['webhook-id'],
    });
    expect(delivery!.attempts).toEqual([expect.objectContaining({ status_code: 200, response_body: 'ok', error: null })]);
    expect(await deliver()).toBe(0);
  });

  it('the test route sends webhook.test to the webhook, verified the same way', async () => {
    const id = await subscribe();
    await app.as(owner).webhooks.test({ id });
    await publishAllEvents(app.services);
    await deliver();
    expect(received.map(({ event }) => [event.type, event.subject])).toEqual([['webhook.test', { type: 'webhook', id: String(id) }]]);
  });

  it('is retried after a 500, a redirect (not followed) and a timeout, then succeeds; bodies are kept to 1 KiB', async () => {
    const id = await subscribe();
    script = [500, 302];
    await emit('INV-2');
    await deliver();
    await deliver();
    let [delivery] = await deliveriesOf(id);
    expect(delivery).toMatchObject({ status: 'pending', attempt_count: 2 });
    expect(delivery!.attempts.map((attempt) => attempt.status_code)).toEqual([500, 302]);
    expect(delivery!.attempts[0]!.response_body).toHaveLength(1024);
    expect((await app.as(owner).webhooks.byId({ id })).failing_since).not.toBeNull();
    expect(received).toHaveLength(2);

    await deliver();
    [delivery] = await deliveriesOf(id);
    expect(delivery).toMatchObject({ status: 'succeeded', attempt_count: 3 });
    expect((await app.as(owner).webhooks.byId({ id })).failing_since).toBeNull();
    // The redirect's target was never asked.
    expect(received.map(({ event }) => event.data.n)).toEqual([serial, serial, serial]);
  });

  it('fails for good after the last attempt; a timeout counts as a failure; the owner can retry it', async () => {
    const id = await subscribe();
    script = ['hang', 500, 500];
    await emit('INV-3');
    for (let round = 0; round < 4; round++) await deliver();
    let [delivery] = await deliveriesOf(id);
    expect(delivery).toMatchObject({ status: 'failed', attempt_count: 3, next_attempt_at: null });
    expect(delivery!.attempts[0]).toMatchObject({ status_code: null, error: `no answer within ${TIMEOUT_MS} ms` });
    expect(delivery!.attempts[0]!.duration_ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 10);
    expect(await deliver()).toBe(0);

    await app.as(owner).webhooks.retryDelivery({ id, delivery_id: delivery!.id });
    await deliver();
    [delivery] = await deliveriesOf(id);
    expect(delivery).toMatchObject({ status: 'succeeded', attempt_count: 1 });
    expect(delivery!.attempts).toHaveLength(4);
  });
});

describe('order and concurrency', () => {
  it('delivers the events of one subject in order: a later one waits while an earlier one is retried', async () => {
    await subscribe();
    script = [500];
    await emit('INV-A', 'INV-A', 'INV-B');
    const [a1, a2, b] = [serial - 2, serial - 1, serial];
    for (let round = 0; round < 4; round++) await deliver();
    const seen = received.map(({ event }) => event.data.n);
    expect(seen.filter((n) => n === a1 || n === a2)).toEqual([a1, a1, a2]);
    expect(seen.indexOf(a2)).toBeGreaterThan(seen.lastIndexOf(a1));
    expect(seen).toContain(b);
    // The other subject did not wait for INV-A's retry.
    expect(seen.indexOf(b)).toBeLessThan(seen.lastIndexOf(a1));
  });

  it('two workers at once attempt each delivery once', async () => {
    await subscribe();
    const subjects = Array.from({ length: 15 }, (_, index) => `INV-P${index}`);
    await emit(...subjects);
    await Promise.all([deliver('worker-a'), deliver('worker-b'), deliver('worker-c')]);
    await Promise.all([deliver('worker-a'), deliver('worker-b')]);
    const ids = received.map(({ headers }) => headers['webhook-id']);
    expect(ids).toHaveLength(15);
    expect(new Set(ids).size).toBe(15);
  });

  it("picks up a crashed worker's delivery once its lease has expired, not before", async () => {
    const id = await subscribe();
    await emit('INV-C');
    const leaseUntil = new Date(Date.now() + 60_000);
    await app.services.db.webhookDelivery.updateMany({ where: { webhookId: id }, data: { leaseOwner: 'crashed', leaseUntil } });
    expect(await deliver()).toBe(0);
    await app.services.db.webhookDelivery.updateMany({ where: { webhookId: id }, data: { leaseUntil: new Date(Date.now() - 1) } });
    expect(await deliver()).toBe(1);
    expect(received).toHaveLength(1);
  });
});

describe('safety', () => {
  it('checks the address again at delivery: a URL that now resolves to a refused address is not contacted', async () => {
    const id = await subscribe();
    await emit('INV-D');
    await deliver('worker-a', { ...app.services, webhooks: { ...app.services.webhooks, allowPrivateNetworks: false } });
    expect(received).toHaveLength(0);
    const [delivery] = await deliveriesOf(id);
    expect(delivery!.attempts[0]).toMatchObject({ status_code: null, error: expect.stringContaining('refused address') });
  });

  it('disables a webhook that keeps failing past the limit, with a webhook.disabled event', async () => {
    const failing = await subscribe();
    script = [500];
    await app.services.db.webhook.update({ where: { id: failing }, data: { failingSince: new Date(Date.now() - 73 * 3_600_000) } });
    await emit('INV-E');
    await deliver();
    const webhook = await app.as(owner).webhooks.byId({ id: failing });
    expect(webhook).toMatchObject({ enabled: false, disabled_reason: 'deliveries failed for more than 72 hours' });
    const event = await app.services.db.event.findFirst({ where: { type: 'webhook.disabled' }, orderBy: { id: 'desc' } });
    expect(event).toMatchObject({ subjectType: 'webhook', subjectId: String(failing), actorKind: null });
    // Disabled: its pending deliveries wait, nothing more is sent to it.
    expect(await deliver()).toBe(0);
  });
});
