import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { useSession } from './api.ts';
import { audienceOf, Busy, homeOf, Layout, type Audience } from './ui/index.ts';

// One chunk per screen: a customer approving from a text message loads the approval page, not the board.
const SignInScreen = lazy(() => import('./screens/sign-in/SignInScreen.tsx'));
const BoardScreen = lazy(() => import('./screens/board/BoardScreen.tsx'));
const TicketScreen = lazy(() => import('./screens/ticket/TicketScreen.tsx'));
const TechnicianScreen = lazy(() => import('./screens/technician/TechnicianScreen.tsx'));
const ApproveScreen = lazy(() => import('./screens/approve/ApproveScreen.tsx'));
const PortalScreen = lazy(() => import('./screens/portal/PortalScreen.tsx'));
const OwnerScreen = lazy(() => import('./screens/owner/OwnerScreen.tsx'));

const STAFF_AT_THE_DESK: Audience[] = ['owner', 'service_writer'];
const ALL_STAFF: Audience[] = ['owner', 'service_writer', 'technician'];

/**
 * A screen for some accounts only: without a session, the sign-in screen (which
 * comes back here after); with another kind of account, that account's home.
 * The API refuses what a role may not do anyway: this only spares a screen of refusals.
 */
function Only({ audience, children }: { audience: Audience[]; children: ReactNode }) {
  const { session } = useSession();
  const location = useLocation();
  if (!session) return <Navigate to="/sign-in" replace state={{ from: `${location.pathname}${location.search}` }} />;
  if (!audience.includes(audienceOf(session))) return <Navigate to={homeOf(session)} replace />;
  return children;
}

function Home() {
  const { session } = useSession();
  return <Navigate to={homeOf(session)} replace />;
}

function NotFound() {
  return (
    <>
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <p className="mt-2">
        There is no such page in the app. <a href="/app/">Go to the start</a>.
      </p>
    </>
  );
}

/** The route table of /app (the router's basename): every screen, who may open it, and the redirect from the start. */
export function AppRoutes() {
  return (
    <Suspense fallback={<Busy />}>
      <Routes>
        <Route element={<Layout />}>
          <Route index element={<Home />} />
          <Route path="sign-in" element={<SignInScreen />} />
          <Route path="approve/:token" element={<ApproveScreen />} />
          <Route
            path="board"
            element={
              <Only audience={STAFF_AT_THE_DESK}>
                <BoardScreen />
              </Only>
            }
          />
          <Route
            path="tickets/:id"
            element={
              <Only audience={ALL_STAFF}>
                <TicketScreen />
              </Only>
            }
          />
          <Route
            path="technician"
            element={
              <Only audience={['technician']}>
                <TechnicianScreen />
              </Only>
            }
          />
          <Route
            path="portal/*"
            element={
              <Only audience={['customer']}>
                <PortalScreen />
              </Only>
            }
          />
          <Route
            path="owner/*"
            element={
              <Only audience={['owner']}>
                <OwnerScreen />
              </Only>
            }
          />
          <Route path="*" element={<NotFound />} />
        </Route>
      </Routes>
    </Suspense>
  );
}
