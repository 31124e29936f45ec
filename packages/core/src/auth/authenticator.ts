import { LRUCache } from 'lru-cache';
import type { ResponseCache } from '../cache/response-cache.ts';
import type { Database } from '../db/client.ts';
import { currentAccount } from './accounts.ts';
import type { AuthOutcome, Principal, TokenClaims, TokenService } from './tokens.ts';

export interface Authenticator {
  /** Who a request's `Authorization` header says it is, or why it says nobody. */
  authenticate(authorization: string | undefined): Promise<AuthOutcome>;
}

const BEARER = /^Bearer\s+([A-Za-z0-9\-_.~+/]+=*)\s*$/i;

/** How long a checked token is trusted without asking the database again, at most. */
const TRUSTED_FOR_MS = 30_000;

interface Trusted {
  principal: Principal;
  until: number;
  /** The version of the account's resource when the account's token version was checked. */
  version: number;
}

/**
 * Checks bearer tokens: signature and claims, then that the account still exists
 * and still has the token version the token was issued with (a deleted account's
 * tokens stop working, and so do the tokens issued before a password or email
 * change), and reads a staff account's current role. A token that passed is
 * remembered until it expires, for at most 30 s, and only while no account of its
 * role has been written since: deleting or changing an account, its role
 * included, invalidates the `customers` or `mechanics` resource (on every
 * instance, with Redis), so its tokens are checked again on their next use. Most requests then cost no signature check and no
 * query, which also keeps them off the thread pool that bcrypt fills during a
 * flood of logins.
 */
export function createAuthenticator(options: {
  db: Database;
  tokens: TokenService;
  cache: ResponseCache;
  maxTokens?: number;
}): Authenticator {
  const { db, tokens, cache } = options;
  const trusted = new LRUCache<string, Trusted>({ max: options.maxTokens ?? 10_000 });
  const resourceOf = (claims: TokenClaims) => (claims.role === 'customer' ? 'customers' : 'mechanics');

  return {
    async authenticate(authorization) {
      if (!authorization) return { principal: null, problem: 'missing' };
      const token = BEARER.exec(authorization)?.[1];
      if (!token) return { principal: null, problem: 'invalid' };
      const remembered = trusted.get(token);
      if (
        remembered &&
        Date.now() < remembered.until &&
        (await cache.refresh([resourceOf(remembered.principal)])) &&
        cache.versions([resourceOf(remembered.principal)])[0] === remembered.version
      ) {
        return { principal: remembered.principal };
      }
      const verified = await tokens.verify(token);
      if (!verified.ok) return { principal: null, problem: verified.problem };
      const [version] = cache.versions([resourceOf(verified.claims)]);
      const account = await currentAccount(db, verified.claims);
      if (account?.tokenVersion !== verified.tokenVersion) return { principal: null, problem: 'revoked' };
      const { principal } = account;
      trusted.set(token, { principal, until: Math.min(verified.expiresAt, Date.now() + TRUSTED_FOR_MS), version: version! });
      return { principal };
    },
  };
}
