import { BrowserRouter } from 'react-router';
import { ApiProvider } from './api.ts';
import { AppRoutes } from './routes.tsx';

/** The session and the API's client, then the routes under /app (where the API serves the app). */
export function App() {
  return (
    <ApiProvider>
      <BrowserRouter basename="/app">
        <AppRoutes />
      </BrowserRouter>
    </ApiProvider>
  );
}
