import type { Redis } from 'ioredis';
import { DEFAULT_APPROVAL_LINK_SETTINGS, type ApprovalLinkSettings } from './approval-links/approval-link.service.ts';
import { createAuthenticator } from './auth/authenticator.ts';
import { createPasswordHasher } from './auth/passwords.ts';
import { createTokenService, type TokenSettings } from './auth/tokens.ts';
import { ResponseCache, type CacheSettings } from './cache/response-cache.ts';
import { redisVersions, type SharedVersions } from './cache/shared-versions.ts';
import { openDatabase, type DatabaseSettings } from './db/client.ts';
import { DEFAULT_IDEMPOTENCY_SETTINGS, type IdempotencySettings } from './idempotency/idempotency.service.ts';
import { createRateLimiter, unlimited, type RateLimitSettings } from './rate-limit/limiter.ts';
import { connectRedis, firstContact } from './redis.ts';
import { DEFAULT_WEBHOOK_SETTINGS, type WebhookSettings } from './webhooks/webhook.delivery.ts';
import type { AppServices, Logger } from './app-services.ts';

export interface AppSettings {
  database: DatabaseSettings;
  tokens: TokenSettings;
  /** bcrypt work factor: production refuses less than 10. */
  bcryptCost: number;
  rateLimits: RateLimitSettings | 'off';
  cache: CacheSettings | 'off';
  /** Rate-limit budgets and cache versions shared between instances. */
  redis?: { url: string; keyPrefix: string };
  log: Logger;
  /** How long approval links work and where they point; DEFAULT_APPROVAL_LINK_SETTINGS where left out. */
  approvalLinks?: Partial<ApprovalLinkSettings>;
  /** How long idempotency keys are kept; DEFAULT_IDEMPOTENCY_SETTINGS where left out. */
  idempotency?: Partial<IdempotencySettings>;
  /** Outbound rules, timeout and retries of webhook deliveries; DEFAULT_WEBHOOK_SETTINGS where left out. */
  webhooks?: Partial<WebhookSettings>;
}

export interface RunningServices {
  services: AppServices;
  /** Database reachable? For readiness probes. */
  ping: () => Promise<void>;
  close: () => Promise<void>;
}

/** Connects everything the routers need. */
export async function createServices(settings: AppSettings): Promise<RunningServices> {
  const database = await openDatabase(settings.database);
  let redis: Redis | undefined;
  let sharedVersions: SharedVersions | undefined;
  if (settings.redis) {
    redis = await connectRedis(settings.redis.url, settings.log, 'commands');
    await firstContact(redis, 2_000);
    sharedVersions = redisVersions(redis, `${settings.redis.keyPrefix}:cache-versions`);
  }
  const cache = new ResponseCache(settings.cache, sharedVersions);
  const tokens = createTokenService(settings.tokens);
  const services: AppServices = {
    db: database.db,
    provider: database.provider,
    tokens,
    passwords: createPasswordHasher(settings.bcryptCost),
    rateLimiter:
      settings.rateLimits === 'off'
        ? unlimited
        : createRateLimiter(settings.rateLimits, { redis, keyPrefix: settings.redis?.keyPrefix ?? 'mechanic-shop' }),
    cache,
    authenticator: createAuthenticator({ db: database.db, tokens, cache }),
    log: settings.log,
    approvalLinks: { ...DEFAULT_APPROVAL_LINK_SETTINGS, ...settings.approvalLinks },
    idempotency: { ...DEFAULT_IDEMPOTENCY_SETTINGS, ...settings.idempotency },
    webhooks: { ...DEFAULT_WEBHOOK_SETTINGS, ...settings.webhooks },
  };
  return {
    services,
    ping: database.ping,
    async close() {
      redis?.disconnect();
      await database.close();
    },
  };
}
