import { NavLink, Outlet } from 'react-router';
import { useSession, type Session } from '../api.ts';
import { Avatar } from './Avatar.tsx';

interface NavItem {
  to: string;
  text: string;
}

/** Who may open a screen: customers, or staff of some role. */
export type Audience = 'customer' | NonNullable<Session['role']>;

export function audienceOf(session: Session): Audience {
  return session.kind === 'customer' ? 'customer' : (session.role ?? 'technician');
}

/** Where an account starts: its own screen (the routes, routes.tsx, let the same accounts in). */
export function homeOf(session: Session | null): string {
  if (!session) return '/sign-in';
  switch (audienceOf(session)) {
    case 'customer':
      return '/portal';
    case 'technician':
      return '/technician';
    default:
      return '/board';
  }
}

/** Where each kind of account works. */
export function navFor(session: Session | null): NavItem[] {
  if (!session) return [];
  if (session.kind === 'customer') return [{ to: '/portal', text: 'My portal' }];
  switch (session.role) {
    case 'technician':
      return [{ to: '/technician', text: 'My tickets' }];
    case 'owner':
      return [
        { to: '/board', text: 'Board' },
        { to: '/owner', text: 'Owner' },
      ];
    default:
      return [{ to: '/board', text: 'Board' }];
  }
}

/** Each staff role in words. */
export const ROLE_NAMES: Record<NonNullable<Session['role']>, string> = {
  owner: 'Owner',
  service_writer: 'Service writer',
  technician: 'Technician',
};

/** The frame of every screen: the header (the shop's name, the account's navigation, sign-out) and the screen in <main>. */
export function Layout() {
  const { session, signOut } = useSession();
  const nav = navFor(session);
  return (
    <div className="min-h-screen">
      <header className="bg-slate-900 text-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-4 px-4 py-3">
          {/* The shop's name once known (every account's `me` has it); a public page (the approval link's) names it itself. */}
          {session && <span className="text-lg font-semibold">{session.shop.name}</span>}
          {nav.length > 0 && (
            <nav aria-label="Main">
              <ul className="flex gap-2">
                {nav.map((item) => (
                  <li key={item.to}>
                    <NavLink
                      to={item.to}
                      className={({ isActive }) =>
                        `rounded px-3 py-1.5 text-sm font-medium ${isActive ? 'bg-white text-slate-900' : 'text-white underline-offset-4 hover:underline'}`
                      }
                    >
                      {item.text}
                    </NavLink>
                  </li>
                ))}
              </ul>
            </nav>
          )}
          {session && (
            <div className="ml-auto flex items-center gap-3">
              <Avatar name={session.name} />
              <span className="text-sm">
                {session.name}
                <span className="text-slate-300"> · {session.role ? ROLE_NAMES[session.role] : 'Customer'}</span>
              </span>
              <button
                type="button"
                onClick={signOut}
                className="rounded border border-white px-3 py-1 text-sm font-medium text-white hover:bg-white hover:text-slate-900"
              >
                Sign out
              </button>
            </div>
          )}
        </div>
      </header>
      <main className="mx-auto max-w-6xl px-4 py-6">
        <Outlet />
      </main>
    </div>
  );
}
