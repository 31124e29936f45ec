import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { MemoryRouter, useLocation } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiProvider } from '../../api.ts';
import { AppRoutes } from '../../routes.tsx';
import { FakeProblem, fakeApiFetch, type FakeHandler } from '../board/fake-api.tsx';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const ACCOUNTS = {
  'tess@shop.test': { kind: 'staff', id: 3, name: 'Tess Tech', role: 'technician' },
  'sam@shop.test': { kind: 'staff', id: 2, name: 'Sam Writer', role: 'service_writer' },
  'ada@example.com': { kind: 'customer', id: 9, name: 'Ada Lovelace' },
} as const;

/** The API's log-ins and `me`, for the accounts above with the password "right"; `more` answers the rest. */
function accounts(more: FakeHandler = () => ({ items: [], page: 1, per_page: 20, total: 0, pages: 0 })): FakeHandler {
  return (path, input, headers) => {
    const { email, password } = (input ?? {}) as { email?: string; password?: string };
    if (path === 'mechanics.logIn' || path === 'customers.logIn') {
      if (email === 'not an email')
        throw new FakeProblem(400, 'validation_failed', 'Invalid input', [{ field: 'email', message: 'Invalid email address' }]);
      const account = ACCOUNTS[email as keyof typeof ACCOUNTS];
      if (!account || password !== 'right' || (account.kind === 'customer') !== (path === 'customers.logIn'))
        throw new FakeProblem(401, 'invalid_credentials', 'Email or password is wrong');
      return { token: `token-of-${email}`, token_type: 'Bearer', expires_in: 3600 };
    }
    if (path === 'me.get') {
      const email = headers.get('authorization')?.replace('Bearer token-of-', '') as keyof typeof ACCOUNTS;
      return { ...ACCOUNTS[email], email, shop: { name: 'Hopper Motors', currency: 'USD' } };
    }
    return more(path, input, headers);
  };
}

function Where() {
  return <output aria-label="Address">{useLocation().pathname}</output>;
}

function openApp(at: string, handler: FakeHandler) {
  vi.stubGlobal('fetch', fakeApiFetch(handler));
  render(
    <ApiProvider>
      <MemoryRouter initialEntries={[at]}>
        <AppRoutes />
        <Where />
      </MemoryRouter>
    </ApiProvider>,
  );
}

async function signIn(kind: 'Staff' | 'Customer', email: string, password: string) {
  const user = userEvent.setup();
  await screen.findByRole('heading', { level: 1, name: 'Sign in' }, LOADING);
  await user.click(screen.getByRole('radio', { name: kind }));
  await user.type(screen.getByLabelText('Email'), email);
  await user.type(screen.getByLabelText('Password'), password);
  await user.click(screen.getByRole('button', { name: 'Sign in' }));
}

/** Screens load lazily: the first visit to one waits for its module. */
const LOADING = { timeout: 20_000 };

const address = () => screen.getByRole('status', { name: 'Address' }).textContent;

describe('signing in', () => {
  it('sends a visitor of a screen to sign in, then back to that screen, keeping the token out of every storage', async () => {
    openApp('/technician', accounts());
    await signIn('Staff', 'tess@shop.test', 'right');
    await screen.findByRole('heading', { level: 1, name: 'My tickets' }, LOADING);
    expect(address()).toBe('/technician');
    expect(screen.getByRole('button', { name: 'Sign out' })).toBeTruthy();
    expect([localStorage.length, sessionStorage.length, document.cookie]).toEqual([0, 0, '']);
  }, 60_000);

  it("takes each kind of account to its own screen from the start: a customer's portal, a writer's board", async () => {
    openApp('/', accounts());
    await signIn('Customer', 'ada@example.com', 'right');
    await waitFor(() => expect(address()).toBe('/portal'), LOADING);
    cleanup();
    openApp('/', accounts());
    await signIn('Staff', 'sam@shop.test', 'right');
    await waitFor(() => expect(address()).toBe('/board'), LOADING);
  }, 60_000);

  it('shows a refusal in plain words, and a bad field next to its field', async () => {
    openApp('/sign-in', accounts());
    await signIn('Customer', 'tess@shop.test', 'right');
    expect((await screen.findByRole('alert')).textContent).toBe('Email or password is wrong');
    expect(address()).toBe('/sign-in');

    const email = screen.getByLabelText('Email');
    await userEvent.clear(email);
    await userEvent.type(email, 'not an email');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(email.getAttribute('aria-invalid')).toBe('true'));
    const described = document.getElementById(email.getAttribute('aria-describedby')!);
    expect(described?.textContent).toBe('Invalid email address');
    expect(screen.getByRole('alert').textContent).toMatch(/Some fields need attention/);
  });

  it('ends the session when the API no longer takes its token, and says why on the sign-in screen', async () => {
    openApp(
      '/technician',
      accounts((path) => {
        throw new FakeProblem(401, 'unauthenticated', `A valid bearer token is required (${path})`);
      }),
    );
    await signIn('Staff', 'tess@shop.test', 'right');
    await screen.findByText(/Your session ended/, {}, LOADING);
    expect(address()).toBe('/sign-in');
    expect(screen.queryByRole('button', { name: 'Sign out' })).toBeNull();
  });

  it('signing out forgets the account: its screens send to sign-in again', async () => {
    openApp('/technician', accounts());
    await signIn('Staff', 'tess@shop.test', 'right');
    await screen.findByRole('heading', { level: 1, name: 'My tickets' }, LOADING);
    await act(() => userEvent.click(screen.getByRole('button', { name: 'Sign out' })));
    await screen.findByRole('heading', { level: 1, name: 'Sign in' }, LOADING);
    expect(address()).toBe('/sign-in');
  });
});
