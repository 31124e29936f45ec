import { z } from 'zod';
import { EVENT_TYPES } from '../events/outbox.ts';
import { MAX_LENGTH } from '../shared/limits.ts';
import { Count, DatabaseText, Id, IdParam, paginated, PaginationInput } from '../shared/schemas.ts';

/** The types a webhook may subscribe to: the catalogue, but not the test event, which only `POST /webhooks/{id}/test` sends. */
const SUBSCRIBABLE = EVENT_TYPES.filter((type) => type !== 'webhook.test') as [string, ...string[]];

const WebhookUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
  .max(MAX_LENGTH.webhookUrl)
  .meta({ description: 'Where deliveries are POSTed. https:// only in production; no credentials in the URL.' });

const EventTypes = z
  .array(z.enum(SUBSCRIBABLE))
  .min(1)
  .max(SUBSCRIBABLE.length)
  .transform((types) => [...new Set(types)])
  .meta({ description: 'The event types to deliver (see the `webhooks` section of the OpenAPI document).' });

const webhookExample = {
  id: 1,
  url: 'https://hooks.example.com/mechanic-shop',
  event_types: ['ticket.status_changed', 'invoice.issued'],
  description: 'Text the customer when the car is ready',
  enabled: true,
  disabled_at: null,
  disabled_reason: null,
  failing_since: null,
  created_at: '2026-11-30T09:00:00.000Z',
};

export const Webhook = z
  .object({
    id: Id,
    url: z.string(),
    event_types: z.array(z.string()),
    description: z.string(),
    enabled: z.boolean(),
    disabled_at: z.iso.datetime().nullable(),
    disabled_reason: z.string().nullable(),
    failing_since: z.iso
      .datetime()
      .nullable()
      .meta({ description: 'When the current run of failed attempts began; null after a success.' }),
    created_at: z.iso.datetime(),
  })
  .meta({ id: 'Webhook', example: webhookExample });
export type Webhook = z.output<typeof Webhook>;

const Secret = z.string().meta({
  description: 'The signing secret (Standard Webhooks, `whsec_` and base64): shown only in this answer; store it now.',
  example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
});

/** A webhook with its signing secret: the answer to a create or a rotation, the only ones that show it. */
export const WebhookWithSecret = Webhook.extend({ secret: Secret }).meta({
  id: 'WebhookWithSecret',
  example: { ...webhookExample, secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' },
});
export type WebhookWithSecret = z.output<typeof WebhookWithSecret>;

export const WebhookPage = paginated(Webhook, 'WebhookPage');

export const NewWebhook = z
  .strictObject({
    url: WebhookUrl,
    event_types: EventTypes,
    description: DatabaseText(0, MAX_LENGTH.webhookDescription).default(''),
  })
  .meta({
    examples: [{ url: 'https://hooks.example.com/mechanic-shop', event_types: ['ticket.status_changed'], description: 'Texting service' }],
  });
export type NewWebhook = z.output<typeof NewWebhook>;

/** Any subset of the fields; `enabled: true` re-enables a webhook that was disabled after failing. */
export const WebhookChanges = z
  .strictObject({
    id: IdParam,
    url: WebhookUrl.optional(),
    event_types: EventTypes.optional(),
    description: DatabaseText(0, MAX_LENGTH.webhookDescription).optional(),
    // A literal, not z.boolean(): the REST door coerces top-level booleans of an input with path parameters, taking 1 for true.
    enabled: z.literal([true, false]).optional(),
  })
  .meta({ examples: [{ id: 1, enabled: true }] });
export type WebhookChanges = z.output<typeof WebhookChanges>;

export const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;
const DeliveryStatus = z.enum(DELIVERY_STATUSES).meta({
  id: 'WebhookDeliveryStatus',
  description: 'pending until a 2xx answer (succeeded) or the last retry (failed).',
  example: 'failed',
});

export const WebhookAttempt = z
  .object({
    attempted_at: z.iso.datetime(),
    status_code: z.int().nullable().meta({ description: "The receiver's HTTP status; null when it did not answer." }),
    duration_ms: Count,
    response_body: z.string().meta({ description: 'The start of the response body (1 KiB at most).' }),
    error: z.string().nullable().meta({ description: 'Why no answer came: a timeout, a refused connection or a refused address.' }),
  })
  .meta({
    id: 'WebhookAttempt',
    example: { attempted_at: '2026-11-30T09:00:01.000Z', status_code: 500, duration_ms: 120, response_body: 'oops', error: null },
  });

export const WebhookDelivery = z
  .object({
    id: Id,
    event_id: z.string().meta({ description: 'The `webhook-id` header of the deliveries, e.g. `evt_42`.' }),
    event_type: z.string(),
    status: DeliveryStatus,
    attempt_count: Count,
    next_attempt_at: z.iso.datetime().nullable().meta({ description: 'When it is tried next; null once it succeeded or failed.' }),
    created_at: z.iso.datetime(),
    completed_at: z.iso.datetime().nullable(),
    attempts: z.array(WebhookAttempt),
  })
  .meta({
    id: 'WebhookDelivery',
    example: {
      id: 7,
      event_id: 'evt_42',
      event_type: 'ticket.status_changed',
      status: 'pending',
      attempt_count: 1,
      next_attempt_at: '2026-11-30T09:00:31.000Z',
      created_at: '2026-11-30T09:00:00.000Z',
      completed_at: null,
      attempts: [{ attempted_at: '2026-11-30T09:00:01.000Z', status_code: 500, duration_ms: 120, response_body: 'oops', error: null }],
    },
  });
export type WebhookDelivery = z.output<typeof WebhookDelivery>;

export const WebhookDeliveryPage = paginated(WebhookDelivery, 'WebhookDeliveryPage');

export const DeliveryQuery = PaginationInput.extend({
  id: IdParam,
  status: DeliveryStatus.optional(),
});
export type DeliveryQuery = z.output<typeof DeliveryQuery>;

export const ByDelivery = z.strictObject({ id: IdParam, delivery_id: IdParam });
export type ByDelivery = z.output<typeof ByDelivery>;
