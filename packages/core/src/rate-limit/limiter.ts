import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

/** How many requests a bucket allows per window. */
export interface Quota {
  points: number;
  seconds: number;
}

/**
 * What a route counts against, on top of the global per-client budget that every
 * request spends: writes, registrations and logins have stricter budgets of their own,
 * and so do the approval-link routes, whose path holds the only secret a caller shows.
 */
export type RateLimitPolicy = 'read' | 'write' | 'register' | 'login' | 'approvalLink';

export interface RateLimitSettings {
  /** Every request (a tRPC batch: every call), per client. */
  global: Quota;
  /** Every create, update or delete, per client. */
  write: Quota;
  /** Account registrations, per client. */
  register: Quota;
  /** Login attempts, per client. */
  loginPerClient: Quota;
  /**
   * Wrong passwords for one account of one role, from any client: guessing one
   * account's password from many addresses is slowed too.
   */
  loginPerAccount: Quota;
  /**
   * Wrong passwords for one account from one client. Below `loginPerAccount`, so
   * that locking an account out takes failures from several clients.
   */
  loginPerAccountClient: Quota;
  /** Distinct accounts one client may get a password wrong for. */
  loginAccountsPerClient: Quota;
  /** Reads and uses of approval links (`/approvals/{token}`), per client: guessing tokens is slowed to a crawl. */
  approvalLink: Quota;
}

export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  global: { points: 600, seconds: 60 },
  write: { points: 120, seconds: 60 },
  register: { points: 20, seconds: 600 },
  loginPerClient: { points: 30, seconds: 300 },
  loginPerAccount: { points: 20, seconds: 900 },
  loginPerAccountClient: { points: 4, seconds: 900 },
  loginAccountsPerClient: { points: 10, seconds: 900 },
  approvalLink: { points: 30, seconds: 600 },
};

type BucketName = keyof RateLimitSettings;

/** The buckets each policy spends besides the global one. */
const BUCKETS_BY_POLICY: Record<RateLimitPolicy, BucketName[]> = {
  read: [],
  write: ['write'],
  register: ['register'],
  login: ['loginPerClient'],
  approvalLink: ['approvalLink'],
};

/** The policy names in the RateLimit-Policy and RateLimit header fields. */
const FIELD_NAMES: Record<BucketName, string> = {
  global: 'global',
  write: 'write',
  register: 'register',
  loginPerClient: 'login-client',
  loginPerAccount: 'login-account',
  loginPerAccountClient: 'login-account-client',
  loginAccountsPerClient: 'login-accounts',
  approvalLink: 'approval-link',
};

/**
 * How long a client that logged in to an account stays known to it: failures of
 * other clients never lock a known client out of the account.
 */
const KNOWN_CLIENT_SECONDS = 14 * 24 * 3600;

export interface RateLimitVerdict {
  allowed: boolean;
  /** `RateLimit-Policy` and `RateLimit` (IETF httpapi draft), plus `Retry-After` when refused. */
  headers: Record<string, string>;
}

/** The per-account budgets of one login attempt, checked before the password is. */
export interface LoginAttempt {
  verdict: RateLimitVerdict;
  /** Records the outcome once the password was checked; only a wrong password counts against the account. */
  settle(outcome: 'succeeded' | 'failed'): Promise<void>;
}

export interface RateLimiter {
  readonly enabled: boolean;
  /**
   * Spends one point of each bucket of the policy, and `global` points of the
   * client's global budget (the doors spend that once per request, before
   * reading it, and pass 0 here).
   */
  consume(policy: RateLimitPolicy, client: string, options: { global: number }): Promise<RateLimitVerdict>;
  /**
   * Checks, without spending them, the budgets of a login to the account of
   * `email` (valid and normalised) on the login route `scope` (one per role).
   */
  checkLogin(scope: string, email: string, client: string): Promise<LoginAttempt>;
}

/** The detail of a 429, wherever the refusal is made. */
export function rateLimitedDetail(verdict: RateLimitVerdict): string {
  return `Too many requests; retry in ${verdict.headers['Retry-After']} s`;
}

/**
 * Adds a verdict's fields to response headers that may hold another's (the
 * door's global budget, then the route's own): the lists are joined, a policy
 * reported twice (the calls of one batch) keeps its latest state, and
 * `Retry-After` is the longest wait.
 */
export function addRateLimitFields(headers: Record<string, string>, verdict: RateLimitVerdict): void {
  for (const [name, value] of Object.entries(verdict.headers)) {
    if (name === 'Retry-After') {
      headers[name] = String(Math.max(Number(headers[name] ?? 0), Number(value)));
      continue;
    }
    const items = new Map<string, string>();
    for (const item of [...(headers[name]?.split(', ') ?? []), ...value.split(', ')]) items.set(item.split(';')[0]!, item);
    headers[name] = [...items.values()].join(', ');
  }
}

/** For benchmarks and tests only: `RATE_LIMIT=off`. */
export const unlimited: RateLimiter = {
  enabled: false,
  consume: async () => ({ allowed: true, headers: {} }),
  checkLogin: async () => ({ verdict: { allowed: true, headers: {} }, settle: async () => {} }),
};

/**
 * A fixed-size key for client text: per-account buckets never hold the email
 * itself, whatever its length, nor anything that could be read back from Redis.
 */
function digest(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\0')).digest('base64url').slice(0, 32);
}

interface BucketState {
  name: BucketName;
  allowed: boolean;
  remaining: number;
  msBeforeNext: number;
}

/**
 * Buckets in memory, or in Redis so that several API instances share one budget.
 * With Redis, each bucket has an in-memory insurance limiter: while Redis is
 * unreachable the instance limits on its own instead of failing or letting
 * everything through, and it goes back to Redis as soon as Redis answers again.
 *
 * Every key is bounded: a client address, or a hash of a validated email.
 */
export function createRateLimiter(settings: RateLimitSettings, store: { redis?: Redis; keyPrefix: string }): RateLimiter {
  const bucket = (name: string, quota: Quota): RateLimiterAbstract => {
    const options = { points: quota.points, duration: quota.seconds, keyPrefix: `${store.keyPrefix}:rl:${name}` };
    if (!store.redis) return new RateLimiterMemory(options);
    return new RateLimiterRedis({
      ...options,
      storeClient: store.redis,
      // Fail over at once when the connection is down instead of queueing the command.
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory(options),
    });
  };
  const buckets = Object.fromEntries(
    (Object.keys(FIELD_NAMES) as BucketName[]).map((name) => [name, bucket(name, settings[name])]),
  ) as Record<BucketName, RateLimiterAbstract>;
  const knownClients = bucket('loginKnownClient', { points: 1, seconds: KNOWN_CLIENT_SECONDS });

  const spend = async (name: BucketName, key: string, points: number): Promise<BucketState> => {
    try {
      const state = await buckets[name].consume(key, points);
      return { name, allowed: true, remaining: state.remainingPoints, msBeforeNext: state.msBeforeNext };
    } catch (refusal) {
      if (refusal instanceof RateLimiterRes) return { name, allowed: false, remaining: 0, msBeforeNext: refusal.msBeforeNext };
      throw refusal;
    }
  };
  /** A bucket's state without spending from it (nor creating it). */
  const peek = (name: BucketName, state: RateLimiterRes | null, refusable: boolean): BucketState => {
    const remaining = settings[name].points - (state?.consumedPoints ?? 0);
    return { name, allowed: remaining > 0 || !refusable, remaining, msBeforeNext: state?.msBeforeNext ?? 0 };
  };
  /** Spends a point after the fact: an exhausted bucket refuses the next attempt, not this one. */
  const record = (name: BucketName, key: string) => spend(name, key, 1).then(() => undefined);

  const verdictOf = (states: BucketState[]): RateLimitVerdict => {
    if (states.length === 0) return { allowed: true, headers: {} };
    const seconds = (ms: number) => Math.max(0, Math.ceil(ms / 1000));
    const headers: Record<string, string> = {
      'RateLimit-Policy': states
        .map(({ name }) => `"${FIELD_NAMES[name]}";q=${settings[name].points};w=${settings[name].seconds}`)
        .join(', '),
      RateLimit: states
        .map(({ name, remaining, msBeforeNext }) => `"${FIELD_NAMES[name]}";r=${Math.max(0, remaining)};t=${seconds(msBeforeNext)}`)
        .join(', '),
    };
    const refused = states.filter((state) => !state.allowed);
    if (refused.length === 0) return { allowed: true, headers };
    headers['Retry-After'] = String(Math.max(1, ...refused.map(({ msBeforeNext }) => seconds(msBeforeNext))));
    return { allowed: false, headers };
  };

  return {
    enabled: true,
    async consume(policy, client, options) {
      const names = BUCKETS_BY_POLICY[policy];
      const states = await Promise.all([
        ...(options.global > 0 ? [spend('global', client, options.global)] : []),
        ...names.map((name) => spend(name, client, 1)),
      ]);
      return verdictOf(states);
    },
    async checkLogin(scope, email, client) {
      const account = digest(scope, email);
      const pair = digest(scope, email, client);
      const [accountState, pairState, accountsState, known] = await Promise.all([
        buckets.loginPerAccount.get(account),
        buckets.loginPerAccountClient.get(pair),
        buckets.loginAccountsPerClient.get(client),
        knownClients.get(pair),
      ]);
      const verdict = verdictOf([
        // Failures from elsewhere never lock out a client that logged in to this account before.
        peek('loginPerAccount', accountState, known === null),
        peek('loginPerAccountClient', pairState, true),
        // Only an account this client has no failure for yet is one more distinct account.
        peek('loginAccountsPerClient', accountsState, pairState === null),
      ]);
      return {
        verdict,
        async settle(outcome) {
          if (outcome === 'succeeded') {
            await Promise.all([buckets.loginPerAccountClient.delete(pair), knownClients.set(pair, 1, KNOWN_CLIENT_SECONDS)]);
            return;
          }
          await Promise.all([
            record('loginPerAccount', account),
            record('loginPerAccountClient', pair),
            ...(pairState === null ? [record('loginAccountsPerClient', client)] : []),
          ]);
        },
      };
    },
  };
}
