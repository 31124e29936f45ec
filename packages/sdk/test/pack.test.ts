import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startTestServer, type TestServer } from '@mechanic-shop/api/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The SDK as its users get it: packed, installed with npm into an empty project
 * outside the workspace (no core sources, no Prisma), type-checked and run.
 * Needs `pnpm build` first (turbo runs it before this package's tests).
 */
const run = promisify(execFile);
const sdkDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let project: string;
let server: TestServer;

const consumer = `
import { createMechanicShopClient, createSession, isMechanicShopError, type RouterInputs, type RouterOutputs } from '@mechanic-shop/sdk';

/** A whole repair, through every router of the API. */
export async function tour(url: string): Promise<string> {
  const shop = createMechanicShopClient({ url });
  const stamp = Date.now();
  const mechanicInput = {
    name: 'Packed Mechanic', email: \`mechanic.\${stamp}@example.com\`, phone: '555 0101', address: '2 Tarball Lane', salary: '40000.00', password: 'correct horse battery',
  };
  await shop.mechanics.register.mutate(mechanicInput);
  const staff = createSession({ url, role: 'mechanic', email: mechanicInput.email, password: mechanicInput.password }).client;
  const me = (await staff.mechanics.list.query({ per_page: 100 })).items.find((item) => item.email === mechanicInput.email)!;

  const customerInput: RouterInputs['customers']['register'] = {
    name: 'Packed Consumer', email: \`packed.\${stamp}@example.com\`, phone: '555 0100', address: '1 Tarball Lane', password: 'correct horse battery',
  };
  const customer: RouterOutputs['customers']['register'] = await shop.customers.register.mutate(customerInput);
  const owner = createSession({ url, role: 'customer', email: customerInput.email, password: customerInput.password }).client;

  const ticket = await owner.serviceTickets.open.mutate({ title: 'Rattle', vin: '1HGCM82633A004352', service_date: '2026-12-01' });
  const part = await staff.inventory.create.mutate({ part_name: 'Bracket', price: 12.5, quantity: 4 });
  await staff.assignments.create.mutate({ service_ticket_id: ticket.id, mechanic_id: me.id });
  const withPart: RouterOutputs['serviceTickets']['addPart'] = await staff.serviceTickets.addPart.mutate({ id: ticket.id, inventory_id: part.id, quantity: 2 });
  const mine = await owner.customers.myTickets.query({});
  const top = await shop.mechanics.top.query({ limit: 100 });
  if (withPart.parts_total !== '25.00' || mine.total !== 1 || !top.items.some((row) => row.id === me.id && row.ticket_count === 1)) {
    throw new Error('unexpected answers');
  }
  try {
    await shop.customers.list.query({ page: 1 });
  } catch (error) {
    if (isMechanicShopError(error) && error.data?.reason === 'unauthenticated') return customer.email;
  }
  throw new Error('expected a typed unauthenticated error');
}

export async function wrongInputs(shop: ReturnType<typeof createMechanicShopClient>) {
  // @ts-expect-error page must be a number
  await shop.customers.list.query({ page: 'two' });
  // @ts-expect-error no such procedure
  await shop.customers.explode.query();
  // @ts-expect-error the password is required
  await shop.customers.logIn.mutate({ email: 'a@b.c' });
  // @ts-expect-error status is one of four values
  await shop.serviceTickets.edit.mutate({ id: 1, status: 'DONE' });
  // @ts-expect-error an inventory item has no owner to set
  await shop.inventory.create.mutate({ part_name: 'x', price: 1, customer_id: 2 });
}
`;

/** A CommonJS consumer, type-checked against the package's .d.cts declarations. */
const commonJsConsumer = `
import sdk = require('@mechanic-shop/sdk');
export function make(url: string) {
  const shop = sdk.createMechanicShopClient({ url });
  // @ts-expect-error limit must be a number
  void shop.mechanics.top.query({ limit: 'ten' });
  return shop.mechanics.top.query({ limit: 3 });
}
`;

beforeAll(async () => {
  project = await mkdtemp(path.join(tmpdir(), 'sdk-consumer-'));
  await run('pnpm', ['pack', '--pack-destination', project], { cwd: sdkDir });
  const tarball = (await readdir(project)).find((file) => file.endsWith('.tgz'))!;
  await writeFile(path.join(project, 'package.json'), JSON.stringify({ name: 'sdk-consumer', private: true, type: 'module' }));
  await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', `./${tarball}`, 'typescript@~5.9.3'], { cwd: project });
  server = await startTestServer();
}, 300_000);

afterAll(async () => {
  await server?.close();
  await rm(project, { recursive: true, force: true });
});

describe('the packed SDK in a project outside the workspace', () => {
  it('installs without the core package or Prisma', async () => {
    const installed = await readdir(path.join(project, 'node_modules'));
    expect(installed).not.toContain('.prisma');
    expect(installed).not.toContain('prisma');
    const scoped = await readdir(path.join(project, 'node_modules', '@mechanic-shop'));
    expect(scoped).toEqual(['sdk']);
    await expect(readdir(path.join(project, 'node_modules', '@prisma'))).rejects.toThrow();
  });

  it('type-checks a consumer strictly (declarations included), and wrong inputs are type errors', async () => {
    await writeFile(path.join(project, 'consumer.ts'), consumer);
    await writeFile(path.join(project, 'consumer-cjs.cts'), commonJsConsumer);
    await writeFile(
      path.join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          lib: ['es2022', 'dom', 'esnext.disposable'],
          skipLibCheck: false,
          outDir: 'out',
        },
        files: ['consumer.ts', 'consumer-cjs.cts'],
      }),
    );
    const { stdout } = await run(path.join(project, 'node_modules', '.bin', 'tsc'), ['-p', '.'], { cwd: project }).catch(
      (error: { stdout: string }) => ({
        stdout: error.stdout,
      }),
    );
    expect(stdout).toBe('');
  });

  it('runs against a live server as ESM and as CommonJS', async () => {
    const esm = `import { tour } from './out/consumer.js'; console.log(await tour(process.argv[2]));`;
    await writeFile(path.join(project, 'run.mjs'), esm);
    const fromEsm = await run(process.execPath, ['run.mjs', server.url], { cwd: project });
    expect(fromEsm.stdout.trim()).toMatch(/^packed\.\d+@example\.com$/);
    const cjs = `const { createMechanicShopClient } = require('@mechanic-shop/sdk');
      createMechanicShopClient({ url: process.argv[2] }).mechanics.list.query({}).then((page) => console.log(page.total));`;
    await writeFile(path.join(project, 'run.cjs'), cjs);
    const fromCjs = await run(process.execPath, ['run.cjs', server.url], { cwd: project });
    expect(Number(fromCjs.stdout.trim())).toBeGreaterThanOrEqual(0);
  });
});
