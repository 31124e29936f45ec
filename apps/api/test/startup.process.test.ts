import { createScratchDatabase, testProvider } from '@mechanic-shop/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { newCustomer } from './accounts.ts';
import { startApiProcess, type ApiProcess } from './process-harness.ts';
import { request } from './server-harness.ts';
import { startTcpProxy } from './tcp-proxy.ts';

const provider = testProvider();
const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe.skipIf(provider === 'sqlite')(`starting while ${provider} is down`, () => {
  it('serves 503s until the database answers, then migrates and serves', async () => {
    const scratch = await createScratchDatabase(provider);
    cleanups.push(() => scratch.drop());
    const direct = new URL(scratch.url);
    const proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || (provider === 'postgresql' ? 5432 : 3306)) });
    cleanups.push(() => proxy.close());
    await proxy.cut();
    const viaProxy = new URL(scratch.url);
    viaProxy.host = `127.0.0.1:${proxy.port}`;

    const api: ApiProcess = await startApiProcess({ DATABASE_URL: viaProxy.toString(), DB_CONNECT_TIMEOUT_MS: '1000' });
    cleanups.push(() => api.stop());
    await api.waitForLog((line) => line.msg === 'the database is not reachable; answering 503 until it is');
    expect((await request(api, 'GET', '/healthz')).status).toBe(200);
    expect((await request(api, 'GET', '/readyz')).status).toBe(503);
    const early = await request(api, 'POST', '/customers', { json: newCustomer() });
    expect(early.status).toBe(503);
    expect(early.body).toMatchObject({ code: 'service_unavailable', detail: expect.stringMatching(/starting/i) });

    await proxy.restore();
    await api.waitForLog((line) => line.msg === 'ready');
    expect((await request(api, 'GET', '/readyz')).status).toBe(200);
    expect((await request(api, 'POST', '/customers', { json: newCustomer() })).status).toBe(201);
    expect(await api.stop()).toBe(0);
  });
});
