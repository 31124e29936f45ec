import type { ApprovalLinkSettings } from './approval-links/approval-link.service.ts';
import type { Authenticator } from './auth/authenticator.ts';
import type { PasswordHasher } from './auth/passwords.ts';
import type { TokenService } from './auth/tokens.ts';
import type { ResponseCache } from './cache/response-cache.ts';
import type { Database } from './db/client.ts';
import type { IdempotencySettings } from './idempotency/idempotency.service.ts';
import type { Provider } from './db/provider.ts';
import type { RateLimiter } from './rate-limit/limiter.ts';
import type { WebhookSettings } from './webhooks/webhook.delivery.ts';

/*
 * The services domain code takes, apart from any door: this module imports
 * nothing from trpc/, so the domain (auth/, the resource services) can name
 * them without depending on the tRPC layer that calls it.
 */

export interface Logger {
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
}

/** What the API runs on, built once at start-up (apps/api) or per test file. */
export interface AppServices {
  db: Database;
  provider: Provider;
  tokens: TokenService;
  passwords: PasswordHasher;
  rateLimiter: RateLimiter;
  cache: ResponseCache;
  authenticator: Authenticator;
  log: Logger;
  approvalLinks: ApprovalLinkSettings;
  idempotency: IdempotencySettings;
  webhooks: WebhookSettings;
}
