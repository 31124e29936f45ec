import { PassThrough } from 'node:stream';
import { QueryClient, QueryClientProvider, useSuspenseQuery } from '@tanstack/react-query';
import { createElement, type ReactNode } from 'react';
import { prerenderToNodeStream } from 'react-dom/static';
import { startTestServer, type TestServer } from '@mechanic-shop/api/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMechanicShopClient, MechanicShopProvider, TRPCProvider, useTRPC, useTRPCClient } from '../src/react.ts';

/**
 * The React entry against a live server, rendered the way a server renders
 * React (no DOM needed): `prerender` waits for every suspended query, so the
 * HTML holds what the hooks fetched.
 */
let server: TestServer;
let token: string;
const founder = { name: 'Rea Hooks', email: `react.${process.pid}@example.com`, password: 'correct horse battery' };

beforeAll(async () => {
  server = await startTestServer();
  const shop = createMechanicShopClient({ url: server.url });
  await shop.mechanics.register.mutate({ ...founder, phone: '+1 555 0100', address: '1 Hook Lane', salary: '50000' });
  ({ token } = await shop.mechanics.logIn.mutate({ email: founder.email, password: founder.password }));
});
afterAll(() => server?.close());

async function render(element: ReactNode): Promise<string> {
  const { prelude } = await prerenderToNodeStream(element);
  const chunks: Buffer[] = [];
  for await (const chunk of prelude.pipe(new PassThrough())) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function Me() {
  const trpc = useTRPC();
  const { data } = useSuspenseQuery(trpc.me.get.queryOptions());
  return createElement('p', null, `${data.name} is ${data.kind} (${data.role})`);
}

describe('@mechanic-shop/sdk/react', () => {
  it('MechanicShopProvider gives the hooks the client: a query of the API, typed, rendered', async () => {
    const client = createMechanicShopClient({ url: server.url, getToken: () => token });
    expect(await render(createElement(MechanicShopProvider, { client }, createElement(Me)))).toBe(
      `<p>${founder.name} is staff (owner)</p>`,
    );
  });

  it("TRPCProvider under the app's own QueryClientProvider: the answer is cached under the procedure's key", async () => {
    const client = createMechanicShopClient({ url: server.url, token });
    const queryClient = new QueryClient();
    let key: unknown;
    function Keyed() {
      const trpc = useTRPC();
      key = trpc.me.get.queryKey();
      return createElement(Me);
    }
    const providers = createElement(TRPCProvider, { trpcClient: client, queryClient, children: createElement(Keyed) });
    await render(createElement(QueryClientProvider, { client: queryClient, children: providers }));
    expect(queryClient.getQueryData(key as readonly unknown[])).toMatchObject({ kind: 'staff', email: founder.email });
  });

  it('useTRPCClient gives the client itself; an API refusal reaches the component as the typed error', async () => {
    let refusal: unknown;
    function Anonymous() {
      const client = useTRPCClient();
      const { data } = useSuspenseQuery({
        queryKey: ['anonymous me'],
        queryFn: () =>
          client.me.get.query().then(
            (me) => me.name,
            (error: unknown) => ((refusal = error), 'refused'),
          ),
      });
      return createElement('p', null, data);
    }
    const client = createMechanicShopClient({ url: server.url });
    expect(await render(createElement(MechanicShopProvider, { client }, createElement(Anonymous)))).toBe('<p>refused</p>');
    expect(refusal).toMatchObject({ data: { reason: 'unauthenticated', httpStatus: 401 } });
  });

  it('the hooks outside a provider say which provider they need', async () => {
    await expect(render(createElement(Me))).rejects.toThrow(/inside of a <TRPCProvider>/);
  });
});
