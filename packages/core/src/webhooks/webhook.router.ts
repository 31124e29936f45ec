import { z } from 'zod';
import { route } from '../trpc/meta.ts';
import { router, staffProcedure } from '../trpc/procedures.ts';
import { ById, PaginationInput } from '../shared/schemas.ts';
import {
  ByDelivery,
  DeliveryQuery,
  NewWebhook,
  Webhook,
  WebhookChanges,
  WebhookDelivery,
  WebhookDeliveryPage,
  WebhookPage,
  WebhookWithSecret,
} from './webhook.schemas.ts';
import * as webhooks from './webhook.service.ts';

const tags: ['webhooks'] = ['webhooks'];

/** Webhooks are the owner's: they send the shop's data out of the API. */
const ownerProcedure = staffProcedure('owner');

const urlRules =
  'The URL must use https:// in production (http:// is allowed outside production or with WEBHOOK_ALLOW_HTTP=true) and must not ' +
  'resolve to a loopback, private, link-local, CGNAT, unique-local, multicast or metadata address (unless WEBHOOK_ALLOW_PRIVATE_NETWORKS=true); ' +
  'the address is checked again at each delivery.';

export const webhookRouter = router({
  create: ownerProcedure
    .meta(
      route({
        method: 'POST',
        path: '/webhooks',
        rateLimit: 'write',
        invalidates: ['webhooks'],
        tags,
        summary: 'Subscribe a URL to events (the signing secret is shown this once)',
        description:
          `${urlRules} Deliveries follow the Standard Webhooks specification: headers webhook-id, webhook-timestamp and ` +
          'webhook-signature (v1, HMAC-SHA256 with the secret); the body is the event { id, type, occurred_at, actor, subject, data }.',
        successStatus: 201,
        errors: ['webhook_url_refused'],
      }),
    )
    .input(NewWebhook)
    .output(WebhookWithSecret)
    .mutation(({ ctx, input }) => webhooks.createWebhook(ctx.services, input)),

  list: ownerProcedure
    .meta(
      route({
        method: 'GET',
        path: '/webhooks',
        rateLimit: 'read',
        cache: { scope: 'role', dependsOn: ['webhooks'] },
        tags,
        summary: 'List webhooks',
      }),
    )
    .input(PaginationInput)
    .output(WebhookPage)
    .query(({ ctx, input }) => webhooks.listWebhooks(ctx.services, input)),

  // The delivery worker changes a webhook (failing_since, disabling) outside any request: its reads are not cached.
  byId: ownerProcedure
    .meta(route({ method: 'GET', path: '/webhooks/{id}', rateLimit: 'read', cache: 'no-store', tags, summary: 'Get a webhook' }))
    .input(ById)
    .output(Webhook)
    .query(({ ctx, input }) => webhooks.getWebhook(ctx.services, input.id)),

  update: ownerProcedure
    .meta(
      route({
        method: 'PATCH',
        path: '/webhooks/{id}',
        rateLimit: 'write',
        invalidates: ['webhooks'],
        tags,
        summary: 'Change a webhook (any subset of fields); enabled: true re-enables a disabled one',
        description: urlRules,
        errors: ['webhook_url_refused'],
      }),
    )
    .input(WebhookChanges)
    .output(Webhook)
    .mutation(({ ctx, input }) => webhooks.updateWebhook(ctx.services, input)),

  delete: ownerProcedure
    .meta(
      route({
        method: 'DELETE',
        path: '/webhooks/{id}',
        rateLimit: 'write',
        invalidates: ['webhooks'],
        tags,
        summary: 'Delete a webhook and its delivery log',
        successStatus: 204,
      }),
    )
    .input(ById)
    .output(z.void())
    .mutation(({ ctx, input }) => webhooks.deleteWebhook(ctx.services, input.id)),

  rotateSecret: ownerProcedure
    .meta(
      route({
        method: 'POST',
        path: '/webhooks/{id}/rotate_secret',
        rateLimit: 'write',
        invalidates: ['webhooks'],
        tags,
        summary: 'Replace the signing secret (the new one is shown this once)',
        description: 'Deliveries attempted from now on are signed with the new secret only.',
      }),
    )
    .input(ById)
    .output(WebhookWithSecret)
    .mutation(({ ctx, input }) => webhooks.rotateSecret(ctx.services, input.id)),

  test: ownerProcedure
    .meta(
      route({
        method: 'POST',
        path: '/webhooks/{id}/test',
        rateLimit: 'write',
        invalidates: ['webhooks'],
        tags,
        summary: 'Send a webhook.test event to this webhook',
        description: 'The event goes to this webhook only, whatever it subscribes to; its delivery shows in the delivery log.',
        errors: ['webhook_disabled'],
      }),
    )
    .input(ById)
    .output(Webhook)
    .mutation(({ ctx, input }) => webhooks.sendTestEvent(ctx.services, ctx.caller, input.id)),

  deliveries: ownerProcedure
    .meta(
      route({
        method: 'GET',
        path: '/webhooks/{id}/deliveries',
        rateLimit: 'read',
        cache: 'no-store',
        tags,
        summary: "A webhook's deliveries, newest first, with their attempts",
      }),
    )
    .input(DeliveryQuery)
    .output(WebhookDeliveryPage)
    .query(({ ctx, input }) => webhooks.listDeliveries(ctx.services, input)),

  retryDelivery: ownerProcedure
    .meta(
      route({
        method: 'POST',
        path: '/webhooks/{id}/deliveries/{delivery_id}/retry',
        rateLimit: 'write',
        invalidates: ['webhooks'],
        tags,
        summary: 'Deliver again now (a failed delivery, or one a receiver lost)',
        description:
          'Starts a fresh set of attempts; earlier attempts stay in the log. The webhook-id stays the same, so receivers can deduplicate.',
        errors: ['webhook_disabled'],
      }),
    )
    .input(ByDelivery)
    .output(WebhookDelivery)
    .mutation(({ ctx, input }) => webhooks.retryDelivery(ctx.services, input)),
});
