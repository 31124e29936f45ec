import { setTimeout as sleep } from 'node:timers/promises';
import { createScratchDatabase, migrateDatabaseForTests, testProvider } from '@mechanic-shop/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newCustomer, registerCustomer } from './accounts.ts';
import { request, startTestServer, type TestServer } from './server-harness.ts';
import { startTcpProxy } from './tcp-proxy.ts';

const provider = testProvider();

/**
 * The database server goes away while the API serves, and comes back. SQLite is
 * a file in the API's own process: it cannot go away like this.
 */
describe.skipIf(provider === 'sqlite')(`when ${provider} goes away and comes back`, () => {
  let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
  let server: TestServer;
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;

  beforeAll(async () => {
    scratch = await createScratchDatabase(provider);
    await migrateDatabaseForTests(scratch.url);
    const direct = new URL(scratch.url);
    proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || (provider === 'postgresql' ? 5432 : 3306)) });
    const viaProxy = new URL(scratch.url);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    server = await startTestServer({ settings: { database: { url: viaProxy.toString(), connectTimeoutMs: 1_000 } } });
  });
  afterAll(async () => {
    await server?.close();
    await proxy?.close();
    await scratch?.drop();
  });

  it('answers 503 problem details (not 500, not a crash) and recovers by itself', async () => {
    const customer = await registerCustomer(server);
    const ticket = await request(server, 'POST', '/service_tickets', {
      token: customer.token,
      json: { title: 'Brakes', vin: '1HGCM82633A004352', service_date: '2026-12-01' },
    });
    expect(ticket.status).toBe(201);

    await proxy.cut();
    const write = await request(server, 'POST', '/customers', { json: newCustomer() });
    expect(write.status).toBe(503);
    expect(write.headers.get('content-type')).toBe('application/problem+json');
    expect(write.body).toMatchObject({ code: 'service_unavailable', status: 503 });
    expect(write.body.detail).toMatch(/database/i);
    expect((await request(server, 'GET', '/readyz')).status).toBe(503);
    expect((await request(server, 'GET', '/healthz')).status).toBe(200);
    const overTrpc = await request(server, 'GET', `/trpc/mechanics.list?input=${encodeURIComponent('{"page":2}')}`);
    expect(overTrpc.status).toBe(503);
    // A ticket is read in one statement sent past Prisma's client (db/kysely.ts): its failure is a 503 too.
    const read = await request(server, 'GET', `/service_tickets/${ticket.body.id}`, { token: customer.token });
    expect(read.status).toBe(503);
    expect(read.body).toMatchObject({ code: 'service_unavailable', status: 503 });

    await proxy.restore();
    let recovered = 0;
    for (let attempt = 0; attempt < 100 && recovered !== 201; attempt++) {
      recovered = (await request(server, 'POST', '/customers', { json: newCustomer() })).status;
      if (recovered !== 201) await sleep(100);
    }
    expect(recovered).toBe(201);
    expect((await request(server, 'GET', '/readyz')).status).toBe(200);
  });
});
