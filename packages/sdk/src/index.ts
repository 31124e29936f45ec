/**
 * @mechanic-shop/sdk: the typed TypeScript client of the Mechanic Shop API.
 * See README.md for examples.
 */
export {
  createMechanicShopClient,
  isMechanicShopError,
  type MechanicShopClient,
  type MechanicShopClientOptions,
  type MechanicShopError,
  withIdempotencyKey,
} from './client.ts';
export { createSession, type Session, type SessionOptions } from './session.ts';
export { createDocumentDownloads, type DocumentDownloads } from './documents.ts';
export { verifyWebhook, WebhookVerificationError, type WebhookEvent } from './webhooks.ts';
export type { AppRouter, ErrorData, FieldError, ProblemCode, RouterInputs, RouterOutputs } from '@mechanic-shop/core';
