import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

/** How many requests a bucket allows per window. */
export interface Quota {
  points: number;
  seconds: number;
}

/**
 * What a route counts against, on top of the global per-client budget that every
 * call spends: writes, registrations and logins have stricter budgets of their own.
 */
export type RateLimitPolicy = 'read' | 'write' | 'register' | 'login';

export interface RateLimitSettings {
  /** Every call, per client address. */
  global: Quota;
  /** Every create, update or delete, per client address. */
  write: Quota;
  /** Account registrations, per client address. */
  register: Quota;
  /** Login attempts, per client address. */
  loginPerClient: Quota;
  /**
   * Failed logins, per account email, from any address: guessing one account's
   * password from many addresses is slowed too. Successful logins give their
   * point back.
   */
  loginPerAccount: Quota;
}

export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  global: { points: 600, seconds: 60 },
  write: { points: 120, seconds: 60 },
  register: { points: 20, seconds: 600 },
  loginPerClient: { points: 30, seconds: 300 },
  loginPerAccount: { points: 10, seconds: 900 },
};

type BucketName = keyof RateLimitSettings;

const BUCKETS_BY_POLICY: Record<RateLimitPolicy, BucketName[]> = {
  read: ['global'],
  write: ['global', 'write'],
  register: ['global', 'register'],
  login: ['global', 'loginPerClient', 'loginPerAccount'],
};

/** The policy names in the RateLimit-Policy and RateLimit header fields. */
const FIELD_NAMES: Record<BucketName, string> = {
  global: 'global',
  write: 'write',
  register: 'register',
  loginPerClient: 'login-client',
  loginPerAccount: 'login-account',
};

export interface RateLimitVerdict {
  allowed: boolean;
  /** `RateLimit-Policy` and `RateLimit` (IETF httpapi draft), plus `Retry-After` when refused. */
  headers: Record<string, string>;
}

export interface RateLimiter {
  readonly enabled: boolean;
  /** Spends one point of each bucket of the policy. `account` is the login email for the per-account bucket. */
  consume(policy: RateLimitPolicy, client: string, account?: string): Promise<RateLimitVerdict>;
  /** Gives a successful login's point back to its account's bucket. */
  forgiveLogin(account: string): Promise<void>;
}

/** The detail of a 429, wherever the refusal is made. */
export function rateLimitedDetail(verdict: RateLimitVerdict): string {
  return `Too many requests; retry in ${verdict.headers['Retry-After']} s`;
}

/** For benchmarks and tests only: `RATE_LIMIT=off`. */
export const unlimited: RateLimiter = {
  enabled: false,
  consume: async () => ({ allowed: true, headers: {} }),
  forgiveLogin: async () => {},
};

/**
 * Buckets in memory, or in Redis so that several API instances share one budget.
 * With Redis, each bucket has an in-memory insurance limiter: while Redis is
 * unreachable the instance limits on its own instead of failing or letting
 * everything through, and it goes back to Redis as soon as Redis answers again.
 */
export function createRateLimiter(settings: RateLimitSettings, store: { redis?: Redis; keyPrefix: string }): RateLimiter {
  const bucket = (name: BucketName): RateLimiterAbstract => {
    const options = { points: settings[name].points, duration: settings[name].seconds, keyPrefix: `${store.keyPrefix}:rl:${name}` };
    if (!store.redis) return new RateLimiterMemory(options);
    return new RateLimiterRedis({
      ...options,
      storeClient: store.redis,
      // Fail over at once when the connection is down instead of queueing the command.
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory(options),
    });
  };
  const buckets = Object.fromEntries((Object.keys(FIELD_NAMES) as BucketName[]).map((name) => [name, bucket(name)])) as Record<
    BucketName,
    RateLimiterAbstract
  >;

  return {
    enabled: true,
    async consume(policy, client, account) {
      const names = BUCKETS_BY_POLICY[policy].filter((name) => name !== 'loginPerAccount' || account !== undefined);
      const outcomes = await Promise.all(
        names.map(async (name) => {
          const key = name === 'loginPerAccount' ? account! : client;
          try {
            return { name, allowed: true, state: await buckets[name].consume(key) };
          } catch (refusal) {
            if (refusal instanceof RateLimiterRes) return { name, allowed: false, state: refusal };
            throw refusal;
          }
        }),
      );
      const seconds = (ms: number) => Math.max(0, Math.ceil(ms / 1000));
      const headers: Record<string, string> = {
        'RateLimit-Policy': outcomes
          .map(({ name }) => `"${FIELD_NAMES[name]}";q=${settings[name].points};w=${settings[name].seconds}`)
          .join(', '),
        RateLimit: outcomes
          .map(({ name, state }) => `"${FIELD_NAMES[name]}";r=${Math.max(0, state.remainingPoints)};t=${seconds(state.msBeforeNext)}`)
          .join(', '),
      };
      const refused = outcomes.filter((outcome) => !outcome.allowed);
      if (refused.length === 0) return { allowed: true, headers };
      headers['Retry-After'] = String(Math.max(1, ...refused.map(({ state }) => seconds(state.msBeforeNext))));
      return { allowed: false, headers };
    },
    async forgiveLogin(account) {
      await buckets.loginPerAccount.reward(account);
    },
  };
}
