import { randomBytes } from 'node:crypto';
import type { BlockList } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DEFAULT_APPROVAL_LINK_SETTINGS,
  DEFAULT_CACHE_SETTINGS,
  DEFAULT_IDEMPOTENCY_SETTINGS,
  DEFAULT_RATE_LIMITS,
  DEFAULT_WEBHOOK_SETTINGS,
  mysqlTlsOf,
  type AppSettings,
} from '@mechanic-shop/core';
import { z } from 'zod';
import { DEFAULT_IPV6_PREFIX, parseTrustedProxies } from './http/client-ip.ts';

/**
 * Every setting of the server comes from the environment, checked here once at
 * start-up. A bad value stops the start with a message naming the variable.
 * .env.example at the repository root lists them all.
 */

const integer = (min: number, max: number) => z.coerce.number<number>().int().min(min).max(max);
const flag = z.enum(['true', 'false']).transform((value) => value === 'true');
const onOff = z.enum(['on', 'off']);
/** "<requests>/<seconds>", e.g. "600/60". */
const quota = z
  .string()
  .regex(/^\d+\/\d+$/, 'expected "<requests>/<seconds>", e.g. "600/60"')
  .transform((value) => {
    const [points, seconds] = value.split('/').map(Number) as [number, number];
    return { points, seconds };
  })
  .refine(({ points, seconds }) => points >= 1 && seconds >= 1, 'requests and seconds must be at least 1');

/** The web app's build output, apps/web/dist: the same path from this file in src/ and in dist/. */
export const DEFAULT_WEB_APP_DIR = fileURLToPath(new URL('../../web/dist', import.meta.url));

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: integer(0, 65_535).default(3000),
  DATABASE_URL: z
    .string()
    .regex(/^(file:|postgres(ql)?:\/\/|mysql:\/\/|mariadb:\/\/)/, 'must start with file:, postgresql://, mysql:// or mariadb://')
    .superRefine((url, context) => {
      if (!/^(mysql|mariadb):\/\//.test(url)) return;
      try {
        mysqlTlsOf(url);
      } catch (error) {
        context.addIssue({ code: 'custom', message: (error as Error).message });
      }
    })
    .default('file:./data/mechanic-shop.db'),
  DB_POOL_SIZE: integer(1, 500).default(10),
  DB_CONNECT_TIMEOUT_MS: integer(100, 120_000).default(5_000),
  DB_STATEMENT_TIMEOUT_MS: integer(100, 600_000).default(10_000),
  MIGRATE_ON_START: flag.default(true),
  JWT_SECRET: z.string().optional(),
  JWT_ISSUER: z.string().min(1).default('mechanic-shop'),
  JWT_AUDIENCE: z.string().min(1).default('mechanic-shop-api'),
  JWT_TTL_SECONDS: integer(60, 30 * 24 * 3600).default(3600),
  JWT_ALLOW_LONG_TTL: flag.default(false),
  BCRYPT_COST: integer(4, 15).default(10),
  MAX_BODY_BYTES: integer(1024, 10 * 1024 * 1024).default(100 * 1024),
  SHUTDOWN_TIMEOUT_MS: integer(0, 120_000).default(10_000),
  RATE_LIMIT: onOff.default('on'),
  RATE_LIMIT_GLOBAL: quota.default(DEFAULT_RATE_LIMITS.global),
  RATE_LIMIT_WRITE: quota.default(DEFAULT_RATE_LIMITS.write),
  RATE_LIMIT_REGISTER: quota.default(DEFAULT_RATE_LIMITS.register),
  RATE_LIMIT_LOGIN_CLIENT: quota.default(DEFAULT_RATE_LIMITS.loginPerClient),
  RATE_LIMIT_LOGIN_ACCOUNT: quota.default(DEFAULT_RATE_LIMITS.loginPerAccount),
  RATE_LIMIT_LOGIN_ACCOUNT_CLIENT: quota.default(DEFAULT_RATE_LIMITS.loginPerAccountClient),
  RATE_LIMIT_LOGIN_ACCOUNTS: quota.default(DEFAULT_RATE_LIMITS.loginAccountsPerClient),
  RATE_LIMIT_APPROVAL_LINK: quota.default(DEFAULT_RATE_LIMITS.approvalLink),
  RATE_LIMIT_IPV6_PREFIX: integer(32, 128).default(DEFAULT_IPV6_PREFIX),
  TRUST_PROXY: z.string().optional(),
  CACHE: onOff.default('on'),
  CACHE_TTL_SECONDS: integer(1, 86_400).default(DEFAULT_CACHE_SETTINGS.ttlSeconds),
  CACHE_MAX_ENTRIES: integer(1, 10_000_000).default(DEFAULT_CACHE_SETTINGS.maxEntries),
  CACHE_MAX_BYTES: integer(1024, 8 * 1024 ** 3).default(DEFAULT_CACHE_SETTINGS.maxBytes),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .optional(),
  REDIS_KEY_PREFIX: z.string().min(1).default('mechanic-shop'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** The front desk app's build (`vite build` output), served at /app; a relative path is from the working directory. */
  WEB_APP_DIR: z
    .string()
    .transform((dir) => path.resolve(dir))
    .default(DEFAULT_WEB_APP_DIR),
  BOOTSTRAP_MECHANIC_EMAIL: z.string().optional(),
  BOOTSTRAP_MECHANIC_PASSWORD: z.string().optional(),
  BOOTSTRAP_MECHANIC_NAME: z.string().default('Shop Owner'),
  /** Where customers reach the shop (approval links point there); http://localhost:<PORT> unless set. */
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
    .transform((url) => url.replace(/\/+$/, ''))
    .optional(),
  APPROVAL_LINK_TTL_HOURS: integer(1, 24 * 90).default(DEFAULT_APPROVAL_LINK_SETTINGS.ttlHours),
  IDEMPOTENCY_KEY_TTL_HOURS: integer(1, 24 * 30).default(DEFAULT_IDEMPOTENCY_SETTINGS.ttlHours),
  /** http:// webhook URLs in production too (always allowed outside production). */
  WEBHOOK_ALLOW_HTTP: flag.default(false),
  /** Webhook URLs resolving to loopback, private, link-local… addresses (tests, a shop's own network). */
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: flag.default(false),
  WEBHOOK_TIMEOUT_MS: integer(100, 60_000).default(DEFAULT_WEBHOOK_SETTINGS.timeoutMs),
  /** Seconds between a delivery's attempts, comma-separated, e.g. "30,120,600": attempts = count + 1. */
  WEBHOOK_RETRY_SCHEDULE: z
    .string()
    .regex(/^\d+(,\d+){0,19}$/, 'expected seconds separated by commas, e.g. "30,120,600"')
    .transform((value) => value.split(',').map(Number))
    .default(DEFAULT_WEBHOOK_SETTINGS.retrySchedule),
  WEBHOOK_DISABLE_AFTER_HOURS: integer(1, 24 * 30).default(DEFAULT_WEBHOOK_SETTINGS.disableAfterHours),
  WEBHOOK_POLL_INTERVAL_MS: integer(50, 60_000).default(DEFAULT_WEBHOOK_SETTINGS.pollIntervalMs),
  /** How often each instance publishes committed events (the feed's and the webhooks' delay at most; also right after a write). */
  EVENT_PUBLISH_INTERVAL_MS: integer(50, 60_000).default(1_000),
});

export type Env = z.output<typeof EnvSchema>;

/** Every variable the server reads (.env.example lists them all; a test checks). */
export const CONFIG_VARIABLES = Object.keys(EnvSchema.shape);

export interface Config extends Omit<Env, 'JWT_SECRET' | 'TRUST_PROXY'> {
  JWT_SECRET: string;
  /** The proxies whose X-Forwarded-For is believed; none unless TRUST_PROXY is set. */
  trustedProxies: BlockList | undefined;
  production: boolean;
  /** Things the operator should know, logged once the logger exists. */
  warnings: string[];
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const MIN_SECRET_BYTES = 32;
const MAX_PRODUCTION_TTL_SECONDS = 86_400;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "not set", as in most shells' `FOO= cmd`.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      const got = present[name] === undefined ? '' : ` (got ${JSON.stringify(present[name])})`;
      return `  ${name}: ${issue.message}${got}`;
    });
    throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  }
  const values = parsed.data;
  const production = values.NODE_ENV === 'production';
  const warnings: string[] = [];

  let secret = values.JWT_SECRET;
  if (secret !== undefined && Buffer.byteLength(secret) < MIN_SECRET_BYTES && production) {
    throw new ConfigError(`Invalid configuration:\n  JWT_SECRET: must be at least ${MIN_SECRET_BYTES} bytes in production`);
  }
  if (secret === undefined) {
    if (production) throw new ConfigError('Invalid configuration:\n  JWT_SECRET: required in production (at least 32 random bytes)');
    secret = randomBytes(48).toString('base64url');
    warnings.push('JWT_SECRET is not set: using a random development secret; tokens stop working when the server restarts');
  } else if (Buffer.byteLength(secret) < MIN_SECRET_BYTES) {
    warnings.push(`JWT_SECRET is shorter than ${MIN_SECRET_BYTES} bytes: production mode refuses it`);
  }
  if (production && values.BCRYPT_COST < 10) {
    throw new ConfigError('Invalid configuration:\n  BCRYPT_COST: must be at least 10 in production');
  }
  // A stolen token works until it expires (a password change revokes it only if the owner notices):
  // production keeps that window at a day unless the operator says otherwise.
  if (production && values.JWT_TTL_SECONDS > MAX_PRODUCTION_TTL_SECONDS && !values.JWT_ALLOW_LONG_TTL) {
    throw new ConfigError(
      `Invalid configuration:\n  JWT_TTL_SECONDS: at most ${MAX_PRODUCTION_TTL_SECONDS} (one day) in production, unless JWT_ALLOW_LONG_TTL=true`,
    );
  }
  if ((values.BOOTSTRAP_MECHANIC_EMAIL === undefined) !== (values.BOOTSTRAP_MECHANIC_PASSWORD === undefined)) {
    throw new ConfigError('Invalid configuration:\n  BOOTSTRAP_MECHANIC_EMAIL and BOOTSTRAP_MECHANIC_PASSWORD go together');
  }
  let trustedProxies: BlockList | undefined;
  try {
    trustedProxies = values.TRUST_PROXY ? parseTrustedProxies(values.TRUST_PROXY) : undefined;
  } catch (error) {
    throw new ConfigError(`Invalid configuration:\n  TRUST_PROXY: ${(error as Error).message}`);
  }
  if (values.RATE_LIMIT === 'off') {
    warnings.push('RATE_LIMIT=off: requests are not rate limited. Use this for local benchmarks only, never in production');
  }
  const { TRUST_PROXY: _trustProxy, ...settings } = values;
  return { ...settings, JWT_SECRET: secret, trustedProxies, production, warnings };
}

/** The core's settings from the configuration: one place that maps variables to services. */
export function appSettingsOf(config: Config, log: AppSettings['log']): AppSettings {
  return {
    database: {
      url: config.DATABASE_URL,
      poolSize: config.DB_POOL_SIZE,
      connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS,
      statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
    },
    tokens: { secret: config.JWT_SECRET, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE, ttlSeconds: config.JWT_TTL_SECONDS },
    bcryptCost: config.BCRYPT_COST,
    rateLimits:
      config.RATE_LIMIT === 'off'
        ? 'off'
        : {
            global: config.RATE_LIMIT_GLOBAL,
            write: config.RATE_LIMIT_WRITE,
            register: config.RATE_LIMIT_REGISTER,
            loginPerClient: config.RATE_LIMIT_LOGIN_CLIENT,
            loginPerAccount: config.RATE_LIMIT_LOGIN_ACCOUNT,
            loginPerAccountClient: config.RATE_LIMIT_LOGIN_ACCOUNT_CLIENT,
            loginAccountsPerClient: config.RATE_LIMIT_LOGIN_ACCOUNTS,
            approvalLink: config.RATE_LIMIT_APPROVAL_LINK,
          },
    cache:
      config.CACHE === 'off'
        ? 'off'
        : { ttlSeconds: config.CACHE_TTL_SECONDS, maxEntries: config.CACHE_MAX_ENTRIES, maxBytes: config.CACHE_MAX_BYTES },
    ...(config.REDIS_URL ? { redis: { url: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX } } : {}),
    approvalLinks: { ttlHours: config.APPROVAL_LINK_TTL_HOURS, publicUrl: config.PUBLIC_URL ?? `http://localhost:${config.PORT}` },
    idempotency: { ttlHours: config.IDEMPOTENCY_KEY_TTL_HOURS },
    webhooks: {
      allowHttp: !config.production || config.WEBHOOK_ALLOW_HTTP,
      allowPrivateNetworks: config.WEBHOOK_ALLOW_PRIVATE_NETWORKS,
      timeoutMs: config.WEBHOOK_TIMEOUT_MS,
      retrySchedule: config.WEBHOOK_RETRY_SCHEDULE,
      disableAfterHours: config.WEBHOOK_DISABLE_AFTER_HOURS,
      pollIntervalMs: config.WEBHOOK_POLL_INTERVAL_MS,
    },
    log,
  };
}
