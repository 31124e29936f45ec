import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ARTIFACTS } from './harness.ts';

/**
 * Vitest's global set-up of the end-to-end project. It empties
 * artifacts/web/, so that the screenshots there are this run's, and builds the
 * app as `pnpm build` does (`vite build` into apps/web/dist, which the API
 * serves at /app): the tests drive what `pnpm start` serves, from the sources
 * of this run. The build runs in a process of its own: Vitest sets
 * NODE_ENV=test, with which Vite would make a development build (with the demo
 * logins on the sign-in page).
 */
export default async function setup(): Promise<void> {
  rmSync(ARTIFACTS, { recursive: true, force: true });
  const vite = path.join(path.dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin/vite.js');
  await promisify(execFile)(process.execPath, [vite, 'build', '--logLevel', 'error'], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    env: { ...process.env, NODE_ENV: 'production' },
  });
}
