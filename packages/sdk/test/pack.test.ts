import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, readlink, realpath, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startTestServer, type TestServer } from '@mechanic-shop/api/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The SDK as its users get it: `pnpm sdk:pack` run from a clean state (a copy of
 * the workspace with no build output anywhere, not even the core's
 * declarations), the tarball installed with npm into an empty project outside
 * the workspace (no core sources, no Prisma), type-checked and run.
 */
const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
let workspace: string;
let project: string;
let tarball: string;
let server: TestServer;

/**
 * A copy of the work tree's sources (what git tracks or would track, so
 * uncommitted work counts) with the installed dependencies linked in, and
 * without anything built or generated.
 */
async function cleanWorkspace(): Promise<string> {
  const copy = await mkdtemp(path.join(tmpdir(), 'sdk-clean-workspace-'));
  const { stdout } = await run('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: root, maxBuffer: 64 << 20 });
  for (const file of stdout.split('\0').filter(Boolean)) {
    const from = path.join(root, file);
    if (!(await stat(from).catch(() => undefined))?.isFile()) continue; // deleted in the work tree
    await mkdir(path.dirname(path.join(copy, file)), { recursive: true });
    await cp(from, path.join(copy, file));
  }
  const packages = ['.', 'apps/api', 'apps/bench', 'packages/core', 'packages/sdk'];
  for (const dir of packages) await linkDependencies(path.join(root, dir, 'node_modules'), path.join(copy, dir, 'node_modules'), copy);
  return copy;
}

/** Each installed dependency as a link to the installed copy, except the workspace's own packages: those of the clean copy. */
async function linkDependencies(from: string, to: string, copy: string): Promise<void> {
  const entries = await readdir(from, { withFileTypes: true }).catch(() => []);
  await mkdir(to, { recursive: true });
  for (const entry of entries) {
    // pnpm's and the tools' state and caches (turbo's would restore the core's build) stay behind.
    if (['.modules.yaml', '.cache', '.vite'].includes(entry.name) || entry.name.startsWith('.unrun')) continue;
    const source = path.join(from, entry.name);
    if (entry.name.startsWith('@') && entry.isDirectory()) {
      await linkDependencies(source, path.join(to, entry.name), copy);
    } else if (entry.isSymbolicLink() && entry.name !== '.bin') {
      const target = path.resolve(from, await readlink(source));
      const inWorkspace = !path.relative(root, target).startsWith('..') && !target.includes(`${path.sep}node_modules${path.sep}`);
      await symlink(inWorkspace ? path.join(copy, path.relative(root, target)) : target, path.join(to, entry.name));
    } else {
      await symlink(await realpath(source), path.join(to, entry.name));
    }
  }
}

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

/** A React app on the React entry, with the peers it installs itself. */
const reactConsumer = `
import { createElement } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { createMechanicShopClient, MechanicShopProvider, useTRPC, type MechanicShopClient } from '@mechanic-shop/sdk/react';

function Stock() {
  const trpc = useTRPC();
  const parts = useQuery(trpc.inventory.list.queryOptions({ q: 'brake', per_page: 20 }));
  const restock = useMutation(trpc.inventory.update.mutationOptions());
  const names: string[] | undefined = parts.data?.items.map((part) => part.part_name);
  // @ts-expect-error per_page must be a number
  trpc.inventory.list.queryOptions({ per_page: 'twenty' });
  // @ts-expect-error no such procedure
  trpc.inventory.explode.queryOptions();
  return createElement('button', { onClick: () => restock.mutate({ id: 1, quantity: 10 }) }, names?.join(', '));
}

export function App(url: string) {
  const client: MechanicShopClient = createMechanicShopClient({ url });
  return createElement(MechanicShopProvider, { client }, createElement(Stock));
}
`;

beforeAll(async () => {
  workspace = await cleanWorkspace();
  // The documented command, the way it works right after the two set-up commands.
  await run('npx', ['-y', 'pnpm@10', 'sdk:pack'], { cwd: workspace, env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' } });
  const packed = await readdir(path.join(workspace, 'dist'));
  expect(packed).toEqual(['mechanic-shop-sdk-0.1.0.tgz']);
  project = await mkdtemp(path.join(tmpdir(), 'sdk-consumer-'));
  tarball = path.join(workspace, 'dist', packed[0]!);
  await writeFile(path.join(project, 'package.json'), JSON.stringify({ name: 'sdk-consumer', private: true, type: 'module' }));
  await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', tarball], { cwd: project });
  server = await startTestServer();
}, 600_000);

afterAll(async () => {
  await server?.close();
  await rm(project, { recursive: true, force: true });
  await rm(workspace, { recursive: true, force: true });
});

/** Bytes of the files under a directory. */
async function sizeOf(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(path.join(entry.parentPath, entry.name))).size;
  }
  return total;
}

describe('the packed SDK in a project outside the workspace', () => {
  it("was built from nothing: the tarball carries the code and the declarations, and imports no package but the React entry's optional peers", async () => {
    const { stdout } = await run('tar', ['-tzf', tarball]);
    // The two entries share the client's code and declarations, in a chunk named by its content.
    const files = stdout
      .split('\n')
      .filter(Boolean)
      .map((file) => file.replace(/^(package\/dist\/client)-[\w-]+\./, '$1-<hash>.'));
    expect(files.sort()).toEqual([
      'package/CHANGELOG.md',
      'package/README.md',
      'package/dist/client-<hash>.cjs',
      'package/dist/client-<hash>.d.cts',
      'package/dist/client-<hash>.d.ts',
      'package/dist/client-<hash>.js',
      'package/dist/index.cjs',
      'package/dist/index.d.cts',
      'package/dist/index.d.ts',
      'package/dist/index.js',
      'package/dist/react.cjs',
      'package/dist/react.d.cts',
      'package/dist/react.d.ts',
      'package/dist/react.js',
      'package/package.json',
    ]);
    const manifest = JSON.parse(await readFile(path.join(project, 'node_modules', '@mechanic-shop', 'sdk', 'package.json'), 'utf8')) as {
      dependencies?: object;
      peerDependencies?: Record<string, string>;
      peerDependenciesMeta?: Record<string, { optional?: boolean }>;
    };
    expect(manifest.dependencies ?? {}).toEqual({});
    const peers = Object.keys(manifest.peerDependencies ?? {});
    expect(peers.sort()).toEqual(['@tanstack/react-query', '@trpc/tanstack-react-query', 'react']);
    expect(peers.filter((peer) => !manifest.peerDependenciesMeta?.[peer]?.optional)).toEqual([]);
  });

  it('installs alone: no core, no Prisma, no tRPC server, no TypeScript, well under a megabyte (the README says how much)', async () => {
    const installed = (await readdir(path.join(project, 'node_modules'))).filter((name) => name !== '.package-lock.json');
    expect(installed).toEqual(['@mechanic-shop']);
    expect(await readdir(path.join(project, 'node_modules', '@mechanic-shop'))).toEqual(['sdk']);
    const size = await sizeOf(path.join(project, 'node_modules'));
    expect(size).toBeLessThan(1_000_000);
    const readme = await readFile(path.join(root, 'packages', 'sdk', 'README.md'), 'utf8');
    const documented = Number(/installs ([\d.]+) kB/.exec(readme)?.[1]) * 1000;
    expect(Math.abs(documented - size)).toBeLessThan(20_000);
  });

  it('type-checks a consumer strictly (declarations included), and wrong inputs are type errors', async () => {
    // The consumer's own compiler, as a TypeScript project has it.
    await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', '--save-dev', 'typescript@~5.9.3'], { cwd: project });
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

  it('the React entry: with its peers installed, a React app type-checks (wrong inputs are errors) and the entry loads as ESM and CommonJS', async () => {
    const app = await mkdtemp(path.join(tmpdir(), 'sdk-react-consumer-'));
    try {
      await writeFile(path.join(app, 'package.json'), JSON.stringify({ name: 'sdk-react-consumer', private: true, type: 'module' }));
      const peers = ['react@19', '@types/react@19', '@tanstack/react-query@5', '@trpc/tanstack-react-query@11.22.1', 'typescript@~5.9.3'];
      await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', tarball, ...peers], { cwd: app });
      await writeFile(path.join(app, 'app.ts'), reactConsumer);
      const options = {
        strict: true,
        module: 'nodenext',
        moduleResolution: 'nodenext',
        target: 'es2022',
        lib: ['es2022', 'dom'],
        // The app's code strictly, not its peers' declarations: @trpc/server's name Node's `http` and `ws` types, which a
        // browser app does not have (Vite's templates skip library checks too). The SDK's own are checked strictly above.
        skipLibCheck: true,
        noEmit: true,
      };
      await writeFile(path.join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions: options, files: ['app.ts'] }));
      const checked = await run(path.join(app, 'node_modules', '.bin', 'tsc'), ['-p', '.'], { cwd: app }).catch(
        (error: { stdout: string }) => error,
      );
      expect(checked.stdout).toBe('');
      const load = `import('@mechanic-shop/sdk/react').then((esm) => console.log(typeof esm.MechanicShopProvider, typeof require('@mechanic-shop/sdk/react').useTRPC))`;
      const loaded = await run(process.execPath, ['--input-type=commonjs', '-e', load], { cwd: app });
      expect(loaded.stdout.trim()).toBe('function function');
    } finally {
      await rm(app, { recursive: true, force: true });
    }
  });
});
