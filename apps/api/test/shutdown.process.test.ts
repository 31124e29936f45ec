import { createConnection } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { testProvider } from '@mechanic-shop/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { newCustomer } from './accounts.ts';
import { startApiProcess } from './process-harness.ts';
import { request } from './server-harness.ts';

let dir: string | undefined;
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Process behaviour, the same on every database: run it once, on SQLite. */
describe.skipIf(testProvider() !== 'sqlite')('on SIGTERM', () => {
  it('stops taking connections, finishes the requests in flight, closes the database and exits 0', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'shutdown-'));
    // A high bcrypt cost makes a registration slow enough to be in flight when the signal comes.
    const api = await startApiProcess({
      DATABASE_URL: `file:${path.join(dir, 'shop.db')}`,
      BCRYPT_COST: '14',
      SHUTDOWN_TIMEOUT_MS: '20000',
      LOG_LEVEL: 'debug',
    });
    await api.waitForLog((line) => line.msg === 'ready');
    const inFlight = request(api, 'POST', '/customers', { json: newCustomer() });
    await api.waitForLog((line) => line.msg === 'request started' && line.path === '/customers');
    const exit = api.stop();
    await api.waitForLog((line) => String(line.msg).startsWith('no longer accepting connections'));

    // New connections are refused…
    const refused = await new Promise<boolean>((resolve) => {
      const socket = createConnection(Number(new URL(api.url).port), '127.0.0.1');
      socket.once('connect', () => resolve(false)).once('error', () => resolve(true));
    });
    expect(refused).toBe(true);
    // …while the request in flight completes normally.
    expect((await inFlight).status).toBe(201);
    expect(await exit).toBe(0);
    expect(api.logs.some((line) => line.msg === 'stopped')).toBe(true);
  });
});
