import { useMutation } from '@tanstack/react-query';
import { DEMO_CUSTOMER, DEMO_MECHANIC, DEMO_SERVICE_WRITER, DEMO_TECHNICIAN } from '@mechanic-shop/core/demo-accounts';
import { useState, type FormEvent } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { useSession, type SessionKind } from '../../api.ts';
import { Busy, ErrorNotice, Field, fieldErrors, homeOf } from '../../ui/index.ts';

interface DemoAccount {
  who: string;
  kind: SessionKind;
  email: string;
  password: string;
}

/**
 * `pnpm db:seed`'s accounts, named on the page by the development server only
 * (`pnpm dev`): Vite replaces `import.meta.env.DEV` with false in the build
 * that `pnpm start` serves, and the credentials are left out of it.
 */
const DEMO_ACCOUNTS: DemoAccount[] = import.meta.env.DEV
  ? [
      { who: 'Owner', kind: 'staff', ...DEMO_MECHANIC },
      { who: 'Service writer', kind: 'staff', ...DEMO_SERVICE_WRITER },
      { who: 'Technician', kind: 'staff', ...DEMO_TECHNICIAN },
      { who: 'Customer', kind: 'customer', ...DEMO_CUSTOMER },
    ]
  : [];

const KINDS: Array<{ kind: SessionKind; text: string }> = [
  { kind: 'staff', text: 'Staff' },
  { kind: 'customer', text: 'Customer' },
];

/** Where the sign-in came from (a screen that needed a session), to go back there. */
function fromOf(state: unknown): string | undefined {
  const from = (state as { from?: unknown } | null)?.from;
  return typeof from === 'string' && from.startsWith('/') ? from : undefined;
}

/** Sign-in for the shop's staff and its customers: one form, the kind of account chosen first. */
export default function SignInScreen() {
  const { session, ended, signIn } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [kind, setKind] = useState<SessionKind>('staff');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const submit = useMutation({
    mutationFn: () => signIn(kind, email, password),
    onSuccess: (signedIn) => void navigate(fromOf(location.state) ?? homeOf(signedIn), { replace: true }),
  });
  // Already signed in (the back button, a bookmark): straight to the account's screen.
  if (session && !submit.isPending && !submit.isSuccess) return <Navigate to={homeOf(session)} replace />;

  const errors = fieldErrors(submit.error);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    submit.mutate();
  };
  const fillIn = (account: DemoAccount) => {
    setKind(account.kind);
    setEmail(account.email);
    setPassword(account.password);
  };

  return (
    <div className="mx-auto max-w-md">
      <h1 className="text-2xl font-semibold">Sign in</h1>
      {ended === 'expired' && (
        <p role="status" className="mt-3 rounded border border-amber-700 bg-amber-50 p-3 text-amber-900">
          Your session ended (it expired, or the password changed). Sign in again.
        </p>
      )}
      <form onSubmit={onSubmit} className="mt-4 flex flex-col gap-4" noValidate>
        <fieldset className="flex gap-4">
          <legend className="mb-1 text-sm font-medium text-slate-800">I am</legend>
          {KINDS.map((option) => (
            <label key={option.kind} className="flex items-center gap-2">
              <input type="radio" name="kind" value={option.kind} checked={kind === option.kind} onChange={() => setKind(option.kind)} />
              {option.text}
            </label>
          ))}
        </fieldset>
        <Field label="Email" error={errors.email}>
          {(props) => (
            <input
              {...props}
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(event) => setEmail(event.target.value)}
            />
          )}
        </Field>
        <Field label="Password" error={errors.password}>
          {(props) => (
            <input
              {...props}
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(event) => setPassword(event.target.value)}
            />
          )}
        </Field>
        <ErrorNotice error={submit.error} />
        {submit.isPending && <Busy label="Signing in" />}
        <button
          type="submit"
          disabled={submit.isPending}
          className="rounded bg-blue-800 px-4 py-2 font-semibold text-white hover:bg-blue-900 disabled:opacity-60"
        >
          Sign in
        </button>
      </form>
      {DEMO_ACCOUNTS.length > 0 && (
        <section aria-labelledby="demo-accounts" className="mt-8 rounded border border-slate-300 bg-white p-4">
          <h2 id="demo-accounts" className="font-semibold">
            Demo accounts (development only)
          </h2>
          <p className="text-sm text-slate-700">
            After <code>pnpm db:seed</code>. Choosing one fills in the form.
          </p>
          <ul className="mt-2 flex flex-col gap-1">
            {DEMO_ACCOUNTS.map((account) => (
              <li key={account.email}>
                <button type="button" className="text-left text-blue-800 underline" onClick={() => fillIn(account)}>
                  {account.who}: {account.email}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
