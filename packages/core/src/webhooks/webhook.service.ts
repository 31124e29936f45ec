import { randomBytes } from 'node:crypto';
import type { AppServices } from '../app-services.ts';
import type { Principal } from '../auth/tokens.ts';
import type { Prisma } from '../db/client.ts';
import { inTransaction } from '../db/transactions.ts';
import { AppError } from '../errors.ts';
import { emitEvent } from '../events/outbox.ts';
import { pageWindow, toPage, type Page, type PaginationInput } from '../shared/schemas.ts';
import { eventMessageId } from './webhook.delivery.ts';
import { assertAllowedUrl } from './webhook.network.ts';
import type {
  ByDelivery,
  DeliveryQuery,
  NewWebhook,
  Webhook,
  WebhookChanges,
  WebhookDelivery,
  WebhookWithSecret,
} from './webhook.schemas.ts';

type Deps = Pick<AppServices, 'db' | 'webhooks'>;

/** A new signing secret: `whsec_` and the base64 of 24 random bytes (Standard Webhooks). */
function newSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

const webhookFields = {
  id: true,
  url: true,
  eventTypes: true,
  description: true,
  enabled: true,
  disabledAt: true,
  disabledReason: true,
  failingSince: true,
  createdAt: true,
} satisfies Prisma.WebhookSelect;

type WebhookRow = Prisma.WebhookGetPayload<{ select: typeof webhookFields }>;

function toWebhookView(row: WebhookRow): Webhook {
  return {
    id: row.id,
    url: row.url,
    event_types: JSON.parse(row.eventTypes) as string[],
    description: row.description,
    enabled: row.enabled,
    disabled_at: row.disabledAt?.toISOString() ?? null,
    disabled_reason: row.disabledReason,
    failing_since: row.failingSince?.toISOString() ?? null,
    created_at: row.createdAt.toISOString(),
  };
}

function notFound(): AppError {
  return new AppError('not_found', 'No such webhook');
}

export async function createWebhook({ db, webhooks: rules }: Deps, input: NewWebhook): Promise<WebhookWithSecret> {
  await assertAllowedUrl(input.url, rules);
  const secret = newSecret();
  const row = await db.webhook.create({
    data: { url: input.url, eventTypes: JSON.stringify(input.event_types), description: input.description, secret },
    select: webhookFields,
  });
  return { ...toWebhookView(row), secret };
}

export async function listWebhooks({ db }: Deps, input: PaginationInput): Promise<Page<Webhook>> {
  const [rows, total] = await Promise.all([
    db.webhook.findMany({ orderBy: { id: 'asc' }, ...pageWindow(input), select: webhookFields }),
    db.webhook.count(),
  ]);
  return toPage(rows.map(toWebhookView), total, input);
}

export async function getWebhook({ db }: Deps, id: number): Promise<Webhook> {
  const row = await db.webhook.findUnique({ where: { id }, select: webhookFields });
  if (!row) throw notFound();
  return toWebhookView(row);
}

/** Changes any subset of the fields; enabling a disabled webhook clears why it was disabled and restarts its failure clock. */
export async function updateWebhook(
  { db, webhooks: rules }: Deps,
  { id, url, event_types, description, enabled }: WebhookChanges,
): Promise<Webhook> {
  if (url !== undefined) await assertAllowedUrl(url, rules);
  const data: Prisma.WebhookUpdateManyMutationInput = {
    url,
    description,
    ...(event_types === undefined ? {} : { eventTypes: JSON.stringify(event_types) }),
  };
  if (enabled === true) Object.assign(data, { enabled: true, disabledAt: null, disabledReason: null, failingSince: null });
  if (enabled === false) Object.assign(data, { enabled: false, disabledAt: new Date(), disabledReason: 'disabled by the owner' });
  const changed = await db.webhook.updateMany({ where: { id }, data });
  if (changed.count === 0) throw notFound();
  return getWebhook({ db, webhooks: rules }, id);
}

/** Deletes the webhook with its deliveries and their attempts; events stay in the feed. */
export async function deleteWebhook({ db }: Deps, id: number): Promise<void> {
  const deleted = await db.webhook.deleteMany({ where: { id } });
  if (deleted.count === 0) throw notFound();
}

/** Replaces the signing secret at once: deliveries from now on are signed with the new one, shown only in this answer. */
export async function rotateSecret({ db }: Deps, id: number): Promise<WebhookWithSecret> {
  const secret = newSecret();
  const changed = await db.webhook.updateMany({ where: { id }, data: { secret } });
  if (changed.count === 0) throw notFound();
  const row = await db.webhook.findUniqueOrThrow({ where: { id }, select: webhookFields });
  return { ...toWebhookView(row), secret };
}

/** Emits a `webhook.test` event, which only this webhook receives (see fanOutDeliveries). */
export async function sendTestEvent({ db }: Deps, caller: Principal, id: number): Promise<Webhook> {
  return inTransaction(db, async (tx) => {
    const row = await tx.webhook.findUnique({ where: { id }, select: webhookFields });
    if (!row) throw notFound();
    if (!row.enabled) throw new AppError('webhook_disabled');
    const view = toWebhookView(row);
    await emitEvent(tx, { type: 'webhook.test', actor: caller, subject: { type: 'webhook', id }, data: { id, url: view.url } });
    return view;
  });
}

const deliveryFields = {
  id: true,
  status: true,
  attemptCount: true,
  nextAttemptAt: true,
  createdAt: true,
  completedAt: true,
  event: { select: { id: true, type: true } },
  attempts: {
    orderBy: { id: 'asc' },
    select: { attemptedAt: true, statusCode: true, durationMs: true, responseBody: true, error: true },
  },
} satisfies Prisma.WebhookDeliverySelect;

type DeliveryRow = Prisma.WebhookDeliveryGetPayload<{ select: typeof deliveryFields }>;

function toDeliveryView(row: DeliveryRow): WebhookDelivery {
  return {
    id: row.id,
    event_id: eventMessageId(row.event.id),
    event_type: row.event.type,
    status: row.status,
    attempt_count: row.attemptCount,
    next_attempt_at: row.status === 'pending' ? row.nextAttemptAt.toISOString() : null,
    created_at: row.createdAt.toISOString(),
    completed_at: row.completedAt?.toISOString() ?? null,
    attempts: row.attempts.map((attempt) => ({
      attempted_at: attempt.attemptedAt.toISOString(),
      status_code: attempt.statusCode,
      duration_ms: attempt.durationMs,
      response_body: attempt.responseBody,
      error: attempt.error,
    })),
  };
}

/** A webhook's deliveries, newest first, each with its attempts. */
export async function listDeliveries({ db }: Deps, { id, status, ...page }: DeliveryQuery): Promise<Page<WebhookDelivery>> {
  if ((await db.webhook.count({ where: { id } })) === 0) throw notFound();
  const where = { webhookId: id, ...(status ? { status } : {}) };
  const [rows, total] = await Promise.all([
    db.webhookDelivery.findMany({ where, orderBy: { id: 'desc' }, ...pageWindow(page), select: deliveryFields }),
    db.webhookDelivery.count({ where }),
  ]);
  return toPage(rows.map(toDeliveryView), total, page);
}

/**
 * Queues a delivery again now, whatever its state (a failed one, or a
 * succeeded one a receiver lost), with a fresh set of attempts; the earlier
 * attempts stay in its log. Receivers deduplicate by `webhook-id`, which does
 * not change.
 */
export async function retryDelivery({ db }: Deps, { id, delivery_id }: ByDelivery): Promise<WebhookDelivery> {
  return inTransaction(db, async (tx) => {
    const webhook = await tx.webhook.findUnique({ where: { id }, select: { enabled: true } });
    if (!webhook) throw notFound();
    if (!webhook.enabled) throw new AppError('webhook_disabled');
    const changed = await tx.webhookDelivery.updateMany({
      where: { id: delivery_id, webhookId: id },
      data: { status: 'pending', attemptCount: 0, nextAttemptAt: new Date(), completedAt: null },
    });
    if (changed.count === 0) throw new AppError('not_found', 'No such delivery of that webhook');
    return toDeliveryView(await tx.webhookDelivery.findUniqueOrThrow({ where: { id: delivery_id }, select: deliveryFields }));
  });
}
