import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { testProvider } from '@mechanic-shop/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { startApiProcess, type ApiProcess } from './process-harness.ts';
import { request } from './server-harness.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'login-flood-'));
let api: ApiProcess | undefined;
afterAll(async () => {
  await api?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The resident memory of a process, from Linux's /proc. */
function residentMegabytes(pid: number): number {
  const kilobytes = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kilobytes) / 1024;
}

const LOGINS = 2_000;
const EMAIL_BYTES = 90_000;

// Rate limits and memory do not depend on the database: once, on SQLite.
describe.skipIf(testProvider() !== 'sqlite' || process.platform !== 'linux')('logins with huge emails', () => {
  it('leave no state behind: thousands of distinct ~90 KB emails keep the heap bounded and the server answering', async () => {
    api = await startApiProcess({
      DATABASE_URL: `file:${path.join(dir, 'shop.db')}`,
      // The heap `pnpm start` runs with: the unfixed server ran out of it after about 850 such logins.
      NODE_OPTIONS: '--max-old-space-size=128 --max-semi-space-size=8',
      // Limits high enough that every request reaches the per-account budget.
      RATE_LIMIT_GLOBAL: '1000000/60',
      RATE_LIMIT_LOGIN_CLIENT: '1000000/60',
    });
    await api.waitForLog((line) => line.msg === 'ready');
    const pid = api.child.pid!;
    const server = { url: api.url };
    const statuses = new Map<number, number>();
    const login = async (n: number) => {
      const email = `${n}-${'x'.repeat(EMAIL_BYTES)}@example.com`;
      const response = await fetch(`${api!.url}/customers/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: 'guess' }),
      });
      await response.arrayBuffer();
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    };
    const flood = async (from: number, to: number) => {
      let next = from;
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (next < to) await login(next++);
        }),
      );
    };
    await flood(0, 200);
    const before = residentMegabytes(pid);
    await flood(200, LOGINS);
    const after = residentMegabytes(pid);

    expect(Object.fromEntries(statuses)).toEqual({ 400: LOGINS });
    expect(api.child.exitCode).toBeNull();
    expect((await request(server, 'GET', '/healthz')).status).toBe(200);
    // 1,800 more emails of 90 KB are 160 MB: kept, even in part, they would show.
    expect(after - before).toBeLessThan(64);
  }, 120_000);
});
