/**
 * @mechanic-shop/sdk/react: the API's procedures as TanStack Query hooks, through
 * tRPC's TanStack React Query integration. React, @tanstack/react-query and
 * @trpc/tanstack-react-query are peers: the app brings its own copies (one
 * React, one query cache per page), this entry only types them for the API.
 * See README.md, "React".
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import { createElement, useState, type ReactNode } from 'react';
import type { AppRouter } from '@mechanic-shop/core';
import type { MechanicShopClient } from './client.ts';

export {
  createMechanicShopClient,
  isMechanicShopError,
  type MechanicShopClient,
  type MechanicShopClientOptions,
  type MechanicShopError,
  withIdempotencyKey,
} from './client.ts';

/**
 * `useTRPC()` gives query and mutation options for every procedure
 * (`useQuery(trpc.shop.get.queryOptions())`), `useTRPCClient()` the client
 * itself (for a call outside a hook's life), both below a `TRPCProvider` or a
 * `MechanicShopProvider`.
 */
const context: MechanicShopContext = createTRPCContext<AppRouter>();
export const TRPCProvider: MechanicShopContext['TRPCProvider'] = context.TRPCProvider;
export const useTRPC: MechanicShopContext['useTRPC'] = context.useTRPC;
export const useTRPCClient: MechanicShopContext['useTRPCClient'] = context.useTRPCClient;

/** Named, so that the declarations refer to the API's router rather than spell its type out again. */
type MechanicShopContext = ReturnType<typeof createTRPCContext<AppRouter>>;

export interface MechanicShopProviderProps {
  /** A client from `createMechanicShopClient` (its `getToken` can follow a sign-in). */
  client: MechanicShopClient;
  /** The query cache; a new one for this provider's life if not given. */
  queryClient?: QueryClient;
  children?: ReactNode;
}

/** The two providers the hooks need, in their order: TanStack Query's cache, then the API's client over it. */
export function MechanicShopProvider({ client, queryClient, children }: MechanicShopProviderProps) {
  const [ownCache] = useState(() => new QueryClient());
  const cache = queryClient ?? ownCache;
  return createElement(QueryClientProvider, {
    client: cache,
    children: createElement(TRPCProvider, { trpcClient: client, queryClient: cache, children }),
  });
}
