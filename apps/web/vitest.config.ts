import react from '@vitejs/plugin-react';
import { defineConfig, mergeConfig } from 'vitest/config';
import { workspaceTestConfig } from '../../vitest.shared.ts';

/**
 * Two projects: the component and client-logic tests beside each screen
 * (*.test.ts, *.test.tsx) in happy-dom; and the end-to-end tests (test/e2e/),
 * which build the app first (test/e2e/global-setup.ts) and drive it in Chromium
 * against the API's test server.
 */
export default mergeConfig(
  workspaceTestConfig,
  defineConfig({
    plugins: [react()],
    resolve: { dedupe: ['react', 'react-dom', '@tanstack/react-query'] },
    test: {
      projects: [
        { extends: true, test: { name: 'components', include: ['src/**/*.test.{ts,tsx}'], environment: 'happy-dom' } },
        {
          extends: true,
          // A step of the story drives several screens on a machine that may be busy: more time than a unit test.
          // One file at a time: each runs a browser and a server.
          test: {
            name: 'e2e',
            include: ['test/e2e/**/*.test.ts'],
            environment: 'node',
            globalSetup: ['test/e2e/global-setup.ts'],
            testTimeout: 180_000,
            // As long as Playwright waits for an element (test/e2e/harness.ts): a screen may take its time to load.
            expect: { poll: { timeout: 20_000 } },
            maxWorkers: 1,
          },
        },
      ],
    },
  }),
);
