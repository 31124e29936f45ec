import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** Where `pnpm dev` finds the API (its own `pnpm dev`, port 3000 unless API_URL says otherwise). */
const api = process.env.API_URL ?? 'http://127.0.0.1:3000';

/**
 * The app is served by the API at /app (apps/api/src/web-app.ts), so its calls
 * are same-origin: in development Vite forwards them to the API the same way.
 * The workspace's packages are read from their sources ("source" condition),
 * as the tests do: no build of the SDK needed first.
 */
export default defineConfig({
  base: '/app/',
  plugins: [react(), tailwindcss()],
  resolve: {
    conditions: ['source', 'module', 'browser', 'development|production'],
    // The SDK's React entry and the app must share one React and one query cache module.
    dedupe: ['react', 'react-dom', '@tanstack/react-query'],
  },
  server: {
    host: '127.0.0.1',
    // tRPC, and the REST paths the app fetches itself: the PDFs, and the OpenAPI document (the webhooks' event types).
    proxy: Object.fromEntries(['/trpc', '/invoices', '/service_tickets', '/openapi.json'].map((path) => [path, api])),
  },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
});
