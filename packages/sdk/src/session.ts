import type { RouterOutputs } from '@mechanic-shop/core';
import { createMechanicShopClient, type MechanicShopClient, type MechanicShopClientOptions } from './client.ts';

export interface SessionOptions extends Omit<MechanicShopClientOptions, 'token' | 'getToken'> {
  role: 'customer' | 'mechanic';
  email: string;
  password: string;
  /** Log in again this long before the token expires (default 30 s), so that no call carries a stale token. */
  renewBeforeMs?: number;
  /** The clock, for tests. */
  now?: () => number;
}

export interface Session {
  /** The client; it logs in on its first call and again before each token expires. */
  client: MechanicShopClient;
  /** The current token, logging in first if needed (for REST calls or another client). */
  token(): Promise<string>;
  /** Forgets the token: the next call logs in again (e.g. after the password changed). */
  reset(): void;
}

/**
 * A client logged in as one account. The API issues access tokens only (no
 * refresh tokens), so the session keeps the credentials in memory and logs in
 * again shortly before the token expires; concurrent calls share one login.
 *
 * ```ts
 * const { client } = createSession({ url, role: 'mechanic', email, password });
 * await client.inventory.list.query({});
 * ```
 */
export function createSession(options: SessionOptions): Session {
  const { role, email, password, renewBeforeMs = 30_000, now = Date.now, ...clientOptions } = options;
  const anonymous = createMechanicShopClient(clientOptions);
  let current: Promise<{ token: string; renewAt: number }> | undefined;

  const logIn = async () => {
    const issued: RouterOutputs['customers']['logIn'] =
      role === 'customer'
        ? await anonymous.customers.logIn.mutate({ email, password })
        : await anonymous.mechanics.logIn.mutate({ email, password });
    return { token: issued.token, renewAt: now() + Math.max(0, issued.expires_in * 1000 - renewBeforeMs) };
  };

  const token = async (): Promise<string> => {
    const pending = current;
    if (pending) {
      const held = await pending.catch(() => undefined);
      if (held && now() < held.renewAt) return held.token;
      if (current !== pending) return token();
    }
    current = logIn();
    current.catch(() => (current = undefined));
    return (await current).token;
  };

  return {
    client: createMechanicShopClient({ ...clientOptions, getToken: token }),
    token,
    reset: () => void (current = undefined),
  };
}
