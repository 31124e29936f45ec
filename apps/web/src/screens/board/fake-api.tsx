import { act, render } from '@testing-library/react';
import type { ReactElement, ReactNode } from 'react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { vi } from 'vitest';
import { ApiProvider, useSession, type Session, type SessionState } from '../../api.ts';
import type { Ticket } from './board-rules.ts';

/*
 * For component tests: a fetch that answers the SDK's tRPC calls (batched GETs and POSTs) from a handler, in tRPC's
 * wire shape, so that screens run on the app's own providers, client, query cache and hooks without a server.
 */

/** An API refusal, as the handler throws it: the status, the problem code (`data.reason`), the message, bad fields. */
export class FakeProblem extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    readonly fields?: Array<{ field: string; message: string }>,
  ) {
    super(message);
  }
}

/** A procedure's answer to its input (`serviceTickets.list`, `{ status: 'PENDING', … }`); throws a FakeProblem to refuse. */
export type FakeHandler = (path: string, input: unknown, headers: Headers) => unknown;

const JSON_RPC_CODES: Record<number, [number, string]> = {
  400: [-32600, 'BAD_REQUEST'],
  403: [-32003, 'FORBIDDEN'],
  404: [-32004, 'NOT_FOUND'],
  409: [-32009, 'CONFLICT'],
};

function answer(handler: FakeHandler, path: string, input: unknown, headers: Headers) {
  try {
    return { status: 200, body: { result: { data: handler(path, input, headers) } } };
  } catch (error) {
    if (!(error instanceof FakeProblem)) throw error;
    const [code, name] = JSON_RPC_CODES[error.status] ?? [-32603, 'INTERNAL_SERVER_ERROR'];
    const data = { code: name, httpStatus: error.status, reason: error.reason, path, ...(error.fields ? { fields: error.fields } : {}) };
    return { status: error.status, body: { error: { message: error.message, code, data } } };
  }
}

export function fakeApiFetch(handler: FakeHandler): typeof fetch {
  return async (request, init) => {
    // The app's client calls its own origin, which a test document may not have: any base does.
    const url = new URL(request instanceof Request ? request.url : String(request), 'http://shop.test');
    const paths = decodeURIComponent(url.pathname.replace(/^.*\/trpc\//, '')).split(',');
    const batched = url.searchParams.get('batch') === '1';
    const body = init?.method === 'POST' && typeof init.body === 'string' ? init.body : url.searchParams.get('input');
    const inputs = (body ? JSON.parse(body) : {}) as Record<string, unknown>;
    const headers = new Headers(init?.headers);
    const answers = paths.map((path, index) => answer(handler, path, batched ? inputs[index] : inputs, headers));
    const status = answers.length === 1 ? answers[0]!.status : 207;
    return new Response(JSON.stringify(batched ? answers.map(({ body }) => body) : answers[0]!.body), {
      status,
      headers: { 'content-type': 'application/json' },
    });
  };
}

const NO_TOTALS = { labor: '0.00', parts: '0.00', fees: '0.00', sublet: '0.00' };

/** A ticket as the API shows it, with what a test says of it. */
export function aTicket(fields: Partial<Ticket> & Pick<Ticket, 'id'>): Ticket {
  return {
    customer_id: 1,
    title: `Ticket ${fields.id}`,
    description: '',
    vin: '1HGCM82633A004352',
    vehicle: { id: 1, vin: '1HGCM82633A004352', plate: 'ACC 1', year: 2003, make: 'Honda', model: 'Accord' },
    service_date: '2026-11-30',
    status: 'PENDING',
    cost: '0.00',
    mechanics: [],
    jobs: [],
    totals: {
      ...NO_TOTALS,
      discounts: '0.00',
      shop_supplies: '0.00',
      tax: { ...NO_TOTALS, total: '0.00' },
      subtotal: '0.00',
      total: '0.00',
    },
    estimate_version: 1,
    parts: [],
    parts_total: '0.00',
    total: '0.00',
    odometer_in: null,
    odometer_out: null,
    created_at: '2026-11-30T08:00:00.000Z',
    updated_at: '2026-11-30T08:00:00.000Z',
    ...fields,
  };
}

/** Who the test signs in as: a staff account of this role. */
const staffMember = (role: NonNullable<Session['role']>) => ({
  kind: 'staff' as const,
  id: 2,
  name: 'Sam Writer',
  email: 'sam@shop.test',
  role,
  shop: { name: 'Hopper Motors', currency: 'USD' },
});

/** Shows the screen once the test's session is signed in, and hands the sign-in out. */
function SignedIn({ children, expose }: { children: ReactNode; expose: (signIn: SessionState['signIn']) => void }) {
  const state = useSession();
  expose((kind, email, password) => state.signIn(kind, email, password));
  return state.session ? children : null;
}

/**
 * Renders a screen as the app does (the session and the API's client of `ApiProvider`, a router), signed in as a
 * staff account of `role`, on a fake API answering from `handler` (and the sign-in itself). `path` is the route's
 * pattern the screen is mounted on, `at` the address opened.
 */
export async function renderSignedIn(
  screen: ReactElement,
  handler: FakeHandler,
  { role = 'service_writer', path = '/', at = '/' }: { role?: NonNullable<Session['role']>; path?: string; at?: string } = {},
): Promise<void> {
  const me = staffMember(role);
  vi.stubGlobal(
    'fetch',
    fakeApiFetch((procedure, input, headers) => {
      if (procedure === 'mechanics.logIn') return { token: 'test-token' };
      if (procedure === 'me.get') return me;
      return handler(procedure, input, headers);
    }),
  );
  let signIn: SessionState['signIn'] | undefined;
  render(
    <ApiProvider>
      <MemoryRouter initialEntries={[at]}>
        <SignedIn expose={(given) => (signIn = given)}>
          <Routes>
            <Route path={path} element={screen} />
          </Routes>
        </SignedIn>
      </MemoryRouter>
    </ApiProvider>,
  );
  await act(async () => {
    await signIn!('staff', me.email, 'test password');
  });
}
