import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { createMechanicShopClient, isMechanicShopError, MechanicShopProvider, type MechanicShopClient } from '@mechanic-shop/sdk/react';
import type { RouterOutputs } from '@mechanic-shop/sdk';
import { createContext, createElement, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';

export { useTRPC, useTRPCClient, isMechanicShopError } from '@mechanic-shop/sdk/react';
export type { RouterInputs, RouterOutputs } from '@mechanic-shop/sdk';

/** Who is signed in (the API's `me`) and the bearer token that proves it. */
export type Session = RouterOutputs['me']['get'] & { token: string };
export type SessionKind = Session['kind'];
export type StaffRole = NonNullable<Session['role']>;

export interface SessionState {
  session: Session | null;
  /** Why the last session ended without a sign-out (its token expired or was revoked), for the sign-in screen. */
  ended: 'expired' | null;
  signIn: (kind: SessionKind, email: string, password: string) => Promise<Session>;
  signOut: () => void;
}

const SessionContext = createContext<SessionState | null>(null);

/**
 * The session lives in this component's state only, never in storage: a script
 * injected into the page cannot read a token that no storage holds, and a
 * closed tab forgets it (SECURITY.md, "The front desk app's token").
 */
export function ApiProvider({ children }: { children?: ReactNode }) {
  const [session, setSession] = useState<Session | null>(null);
  const [ended, setEnded] = useState<SessionState['ended']>(null);
  // The client reads the token when it sends, so one client serves every session.
  const token = useRef<string | null>(null);
  const [client] = useState<MechanicShopClient>(() =>
    createMechanicShopClient({ url: window.location.origin, getToken: () => token.current }),
  );
  const [queryClient] = useState(() => {
    // A token the API no longer takes (expired, or revoked by a password change) ends the session.
    const onError = (error: unknown) => {
      if (token.current && isMechanicShopError(error) && error.data?.reason === 'unauthenticated') {
        token.current = null;
        setSession(null);
        setEnded('expired');
      }
    };
    return new QueryClient({
      queryCache: new QueryCache({ onError }),
      mutationCache: new MutationCache({ onError }),
      defaultOptions: { queries: { retry: (count, error) => !isMechanicShopError(error) && count < 2, staleTime: 5_000 } },
    });
  });

  const signIn = useCallback(
    async (kind: SessionKind, email: string, password: string) => {
      const issued =
        kind === 'customer'
          ? await client.customers.logIn.mutate({ email, password })
          : await client.mechanics.logIn.mutate({ email, password });
      const me = await createMechanicShopClient({ url: window.location.origin, token: issued.token }).me.get.query();
      const next: Session = { ...me, token: issued.token };
      // Nothing cached for the previous account may show to this one.
      queryClient.clear();
      token.current = next.token;
      setSession(next);
      setEnded(null);
      return next;
    },
    [client, queryClient],
  );
  const signOut = useCallback(() => {
    token.current = null;
    setSession(null);
    setEnded(null);
    queryClient.clear();
  }, [queryClient]);

  const value = useMemo<SessionState>(() => ({ session, ended, signIn, signOut }), [session, ended, signIn, signOut]);
  return createElement(SessionContext.Provider, { value }, createElement(MechanicShopProvider, { client, queryClient, children }));
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession() needs an <ApiProvider> above it');
  return state;
}

/** A refused download, in the same words as a refused call: the problem's detail or title, and its code. */
export class DownloadError extends Error {
  override name = 'DownloadError';
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly status: number,
  ) {
    super(message);
  }
}

/**
 * Saves a document the API serves over REST (a PDF: `/invoices/{number}/pdf`,
 * `/service_tickets/{id}/estimate/pdf`) under `filename`: fetched with the
 * session's token (a plain link could not carry it), then handed to the
 * browser as a blob.
 */
export function useDownload(): (path: string, filename: string) => Promise<void> {
  const { session } = useSession();
  const token = session?.token;
  return useCallback(
    async (path: string, filename: string) => {
      const response = await fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
      if (!response.ok) {
        const problem = (await response.json().catch(() => ({}))) as { title?: string; detail?: string; code?: string };
        throw new DownloadError(
          problem.detail ?? problem.title ?? `The download failed (HTTP ${response.status})`,
          problem.code,
          response.status,
        );
      }
      const url = URL.createObjectURL(await response.blob());
      const link = Object.assign(document.createElement('a'), { href: url, download: filename });
      document.body.append(link);
      link.click();
      link.remove();
      // After the click's task: the browser has taken the blob by then.
      setTimeout(() => URL.revokeObjectURL(url), 0);
    },
    [token],
  );
}
