import { createHmac, randomUUID } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AppServices } from '../app-services.ts';
import type { Transaction } from '../db/client.ts';
import { inTransaction } from '../db/transactions.ts';
import { runInBackground, type BackgroundRunner } from '../events/background-runner.ts';
import { emitEvent } from '../events/outbox.ts';
import { guardedLookup, isRefusedLiteral, type OutboundRules } from './webhook.network.ts';

export interface WebhookSettings extends OutboundRules {
  /** A delivery attempt without a 2xx answer within this long failed (WEBHOOK_TIMEOUT_MS). */
  timeoutMs: number;
  /** Seconds to wait before each retry (WEBHOOK_RETRY_SCHEDULE); attempts = its length + 1; each wait is jittered by ±20 %. */
  retrySchedule: number[];
  /** A webhook whose deliveries fail this long without a success is disabled (WEBHOOK_DISABLE_AFTER_HOURS). */
  disableAfterHours: number;
  /** How often the worker looks for due deliveries (WEBHOOK_POLL_INTERVAL_MS). */
  pollIntervalMs: number;
}

/** Secure by default: https only and public addresses only; 8 attempts over about 23 hours. */
export const DEFAULT_WEBHOOK_SETTINGS: WebhookSettings = {
  allowHttp: false,
  allowPrivateNetworks: false,
  timeoutMs: 10_000,
  retrySchedule: [30, 120, 600, 1_800, 7_200, 21_600, 50_400],
  disableAfterHours: 72,
  pollIntervalMs: 1_000,
};

/** The start of a receiver's answer kept in the delivery log. */
const RESPONSE_BODY_LIMIT = 1024;

/** Deliveries one worker run takes at most. */
const DELIVERY_BATCH = 20;

/** What fan-out needs of a just-published event. */
export interface PublishedEvent {
  id: number;
  position: number;
  type: string;
  subjectType: string;
  subjectId: string;
}

/**
 * The test event goes to the one webhook it names (its subject), subscribed to
 * it or not: the owner asked for a test of that subscription, not a broadcast.
 */
const TEST_EVENT = 'webhook.test';

/** The `webhook-id` of an event's deliveries: receivers deduplicate by it. */
export function eventMessageId(eventId: number): string {
  return `evt_${eventId}`;
}

/**
 * Creates a pending delivery of each event to every enabled webhook subscribed
 * to its type, in the publisher's transaction: an event is published and
 * queued for delivery together or not at all.
 */
export async function fanOutDeliveries(tx: Transaction, events: readonly PublishedEvent[]): Promise<void> {
  if (events.length === 0) return;
  const webhooks = await tx.webhook.findMany({ where: { enabled: true }, select: { id: true, eventTypes: true } });
  if (webhooks.length === 0) return;
  const subscriptions = webhooks.map((webhook) => ({ id: webhook.id, types: new Set(JSON.parse(webhook.eventTypes) as string[]) }));
  const now = new Date();
  const rows = events.flatMap((event) =>
    subscriptions
      .filter((webhook) => (event.type === TEST_EVENT ? event.subjectId === String(webhook.id) : webhook.types.has(event.type)))
      .map((webhook) => ({
        webhookId: webhook.id,
        eventId: event.id,
        subjectKey: `${event.subjectType}:${event.subjectId}`,
        eventPosition: event.position,
        nextAttemptAt: now,
      })),
  );
  if (rows.length > 0) await tx.webhookDelivery.createMany({ data: rows });
}

/**
 * The Standard Webhooks signature of a message: HMAC-SHA256 with the secret's
 * bytes (the base64 after `whsec_`) over `id.timestamp.body`.
 */
export function signMessage(secret: string, id: string, timestampSeconds: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`).digest('base64')}`;
}

type Deps = Pick<AppServices, 'db' | 'log' | 'webhooks'>;

interface AttemptOutcome {
  statusCode: number | null;
  durationMs: number;
  responseBody: string;
  error: string | null;
}

/** POSTs one message; never throws: every failure is an outcome for the log. */
function post(url: string, headers: Record<string, string>, body: string, settings: WebhookSettings): Promise<AttemptOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  if (isRefusedLiteral(url, settings)) {
    return Promise.resolve({ statusCode: null, durationMs: 0, responseBody: '', error: `${new URL(url).hostname} is a refused address` });
  }
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: Omit<AttemptOutcome, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      resolve({ ...outcome, durationMs: elapsed() });
    };
    const send = url.startsWith('https:') ? httpsRequest : httpRequest;
    // Redirects are not followed (node:http never does): a 3xx is a failed attempt like any non-2xx.
    const request = send(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        lookup: guardedLookup(settings),
        timeout: settings.timeoutMs,
      },
      (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        const done = () => {
          const statusCode = response.statusCode ?? null;
          finish({ statusCode, responseBody: Buffer.concat(chunks).toString('utf8').slice(0, RESPONSE_BODY_LIMIT), error: null });
          response.destroy();
        };
        response.on('data', (chunk: Buffer) => {
          if (kept < RESPONSE_BODY_LIMIT) chunks.push(chunk.subarray(0, RESPONSE_BODY_LIMIT - kept));
          kept += chunk.length;
          // The rest of a long answer is not read: the receiver's body is for the log, not for us.
          if (kept >= RESPONSE_BODY_LIMIT) done();
        });
        response.on('end', done);
        response.on('error', done);
      },
    );
    // One deadline for the whole attempt, not only for idle sockets: a receiver trickling bytes must not hold the lease.
    const deadline = setTimeout(() => {
      finish({ statusCode: null, responseBody: '', error: `no answer within ${settings.timeoutMs} ms` });
      request.destroy();
    }, settings.timeoutMs);
    request.on('timeout', () => request.destroy(new Error(`no answer within ${settings.timeoutMs} ms`)));
    request.on('error', (error: NodeJS.ErrnoException) => {
      const message = error.code === 'EWEBHOOKREFUSED' ? error.message : `${error.code ?? 'error'}: ${error.message}`;
      finish({ statusCode: null, responseBody: '', error: message.slice(0, 255) });
    });
    request.on('close', () => clearTimeout(deadline));
    request.end(body);
  });
}

/** The wait before retry number `attempt` (1-based), jittered so that many failed deliveries do not retry in step. */
function retryDelayMs(settings: WebhookSettings, attempt: number): number {
  const base = settings.retrySchedule[attempt - 1]! * 1000;
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

/**
 * Takes up to DELIVERY_BATCH due deliveries: pending, their time come, no live
 * lease, their webhook enabled, and each the earliest pending delivery of its
 * webhook and subject (events of one subject go in order: a later one waits
 * while an earlier one is retried). The lease is a conditional update of each
 * row, so two instances that pick the same delivery cannot both take it: the
 * second update finds the lease taken (PostgreSQL and MySQL re-check the
 * condition on the locked, latest row; SQLite runs one writer at a time).
 */
async function leaseDueDeliveries({ db, webhooks: settings }: Deps, owner: string): Promise<number[]> {
  const now = new Date();
  const candidates = await db.webhookDelivery.findMany({
    where: {
      status: 'pending',
      nextAttemptAt: { lte: now },
      OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }],
      webhook: { enabled: true },
    },
    orderBy: { eventPosition: 'asc' },
    take: DELIVERY_BATCH,
    select: { id: true, webhookId: true, subjectKey: true, eventPosition: true },
  });
  if (candidates.length === 0) return [];
  const firsts = await db.webhookDelivery.groupBy({
    by: ['webhookId', 'subjectKey'],
    where: { status: 'pending', OR: candidates.map(({ webhookId, subjectKey }) => ({ webhookId, subjectKey })) },
    _min: { eventPosition: true },
  });
  const firstOf = new Map(firsts.map((row) => [`${row.webhookId} ${row.subjectKey}`, row._min.eventPosition]));
  const leaseUntil = new Date(now.getTime() + settings.timeoutMs + LEASE_MARGIN_MS);
  const leased: number[] = [];
  for (const candidate of candidates) {
    if (firstOf.get(`${candidate.webhookId} ${candidate.subjectKey}`) !== candidate.eventPosition) continue;
    const taken = await db.webhookDelivery.updateMany({
      where: { id: candidate.id, status: 'pending', OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] },
      data: { leaseUntil, leaseOwner: owner },
    });
    if (taken.count === 1) leased.push(candidate.id);
  }
  return leased;
}

/** A lease outlives the attempt's timeout by this much: the time to record the outcome. */
const LEASE_MARGIN_MS = 30_000;

/** Attempts one leased delivery and records the outcome: success, a retry later, or failed for good. */
async function attemptDelivery(deps: Deps, owner: string, deliveryId: number): Promise<void> {
  const { db, webhooks: settings } = deps;
  const delivery = await db.webhookDelivery.findUniqueOrThrow({
    where: { id: deliveryId },
    select: {
      attemptCount: true,
      webhook: { select: { id: true, url: true, secret: true, failingSince: true } },
      event: {
        select: { id: true, type: true, occurredAt: true, actorKind: true, actorId: true, subjectType: true, subjectId: true, data: true },
      },
    },
  });
  const { event, webhook } = delivery;
  const messageId = eventMessageId(event.id);
  const body = JSON.stringify({
    id: messageId,
    type: event.type,
    occurred_at: event.occurredAt.toISOString(),
    actor: event.actorKind === null ? null : { kind: event.actorKind, id: event.actorId },
    subject: { type: event.subjectType, id: event.subjectId },
    data: JSON.parse(event.data) as unknown,
  });
  const timestamp = Math.floor(Date.now() / 1000);
  const outcome = await post(
    webhook.url,
    {
      'webhook-id': messageId,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signMessage(webhook.secret, messageId, timestamp, body),
    },
    body,
    settings,
  );
  const succeeded = outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300;
  const attemptCount = delivery.attemptCount + 1;
  const finished = succeeded || attemptCount > settings.retrySchedule.length;
  const now = new Date();
  await inTransaction(db, async (tx) => {
    await tx.webhookAttempt.create({ data: { deliveryId, ...outcome }, select: { id: true } });
    await tx.webhookDelivery.updateMany({
      where: { id: deliveryId, leaseOwner: owner },
      data: {
        attemptCount,
        status: succeeded ? 'succeeded' : finished ? 'failed' : 'pending',
        nextAttemptAt: finished ? now : new Date(now.getTime() + retryDelayMs(settings, attemptCount)),
        completedAt: finished ? now : null,
        leaseUntil: null,
        leaseOwner: null,
      },
    });
    if (succeeded) {
      if (webhook.failingSince) await tx.webhook.update({ where: { id: webhook.id }, data: { failingSince: null }, select: { id: true } });
      return;
    }
    await recordFailure(tx, settings, webhook.id, now);
  });
}

/**
 * Counts a failed attempt against its webhook: the first failure of a run
 * starts the clock; a webhook failing for `disableAfterHours` is disabled and
 * says so with a `webhook.disabled` event (to its other subscribers and the
 * feed: it no longer receives deliveries itself).
 */
async function recordFailure(tx: Transaction, settings: WebhookSettings, webhookId: number, now: Date): Promise<void> {
  const current = await tx.webhook.findUnique({ where: { id: webhookId }, select: { enabled: true, failingSince: true } });
  if (!current?.enabled) return;
  if (!current.failingSince) {
    await tx.webhook.update({ where: { id: webhookId }, data: { failingSince: now }, select: { id: true } });
    return;
  }
  if (now.getTime() - current.failingSince.getTime() < settings.disableAfterHours * 3_600_000) return;
  const reason = `deliveries failed for more than ${settings.disableAfterHours} hours`;
  const disabled = await tx.webhook.update({
    where: { id: webhookId },
    data: { enabled: false, disabledAt: now, disabledReason: reason },
    select: { id: true, url: true, disabledAt: true },
  });
  await emitEvent(tx, {
    type: 'webhook.disabled',
    actor: null,
    subject: { type: 'webhook', id: webhookId },
    data: { id: disabled.id, url: disabled.url, disabled_at: disabled.disabledAt!.toISOString(), disabled_reason: reason },
  });
}

/** One round: lease what is due and attempt it (in parallel: each receiver has its own timeout). Resolves to how many were attempted. */
export async function deliverDueWebhooks(deps: Deps, owner: string): Promise<number> {
  const leased = await leaseDueDeliveries(deps, owner);
  await Promise.all(
    leased.map((id) =>
      attemptDelivery(deps, owner, id).catch((error: unknown) => {
        // The lease expires and another run retries it: an attempt that could not be recorded is not lost.
        deps.log.error({ err: error, delivery_id: id }, 'recording a webhook delivery failed');
      }),
    ),
  );
  return leased.length;
}

/**
 * Delivers webhooks from this process: on an interval, and soon after this
 * process emitted an event (after its publisher, so that the event has its
 * deliveries). Every instance may run one: leases keep them from attempting the
 * same delivery at once, and a crashed instance's leases expire.
 */
export function startDeliveryWorker(deps: Deps, options: { isReady?: () => boolean } = {}): BackgroundRunner {
  const owner = randomUUID();
  return runInBackground({
    intervalMs: deps.webhooks.pollIntervalMs,
    afterEmitMs: AFTER_EMIT_DELAY_MS,
    async work() {
      if (options.isReady?.() === false) return;
      // A full batch may leave more due: go on until a round finds less.
      while ((await deliverDueWebhooks(deps, owner)) === DELIVERY_BATCH);
    },
    onError: (error) => deps.log.error({ err: error }, 'delivering webhooks failed; retrying on the next run'),
  });
}

/** See startDeliveryWorker: longer than the publisher's wait after an emit. */
const AFTER_EMIT_DELAY_MS = 100;
