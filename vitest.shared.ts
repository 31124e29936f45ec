import { Socket } from 'node:net';

/**
 * Tests run against the workspace packages' TypeScript sources: the "source"
 * export condition points at src/, so no build is needed first. Vite's default
 * conditions must stay after it: without them Vite resolves dependencies such
 * as @trpc/server to their CommonJS build while Node loads the ESM build for
 * externalized packages (trpc-to-openapi), and `instanceof TRPCError` fails
 * across the two copies.
 */
const conditions = ['source', 'module', 'node', 'development|production'];

// Plain objects, not vitest's types: each package's vitest.config.ts checks them
// with its own copy of vitest.
export const workspaceTestConfig = {
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['source', 'node', 'module-sync'] } },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
};

interface DatabaseProject {
  extends: true;
  test: { name: string; env: { TEST_DATABASE: string } };
}

const SERVERS = {
  postgresql: { label: 'PostgreSQL', url: process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test', port: 5432 },
  mysql: { label: 'MySQL/MariaDB', url: process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test', port: 3306 },
} as const;

function answers(url: string, defaultPort: number): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(Number(port || defaultPort), hostname, () => done(true));
  });
}

/**
 * The suite once per database: SQLite always, PostgreSQL and MySQL/MariaDB when
 * their test servers answer (TEST_POSTGRES_URL, TEST_MYSQL_URL). A server that
 * does not answer is skipped with the reason printed, except in CI, where
 * .ci/run starts the servers and a missing one fails the run.
 */
export async function databaseProjects(): Promise<DatabaseProject[]> {
  const projects: DatabaseProject[] = [{ extends: true, test: { name: 'sqlite', env: { TEST_DATABASE: 'sqlite' } } }];
  for (const [provider, server] of Object.entries(SERVERS)) {
    if (await answers(server.url, server.port)) {
      projects.push({ extends: true, test: { name: provider, env: { TEST_DATABASE: provider } } });
      continue;
    }
    const reason = `${server.label} does not answer at ${new URL(server.url).host}`;
    if (process.env.CI) throw new Error(`${reason}: CI must run the ${server.label} suites`);
    console.warn(
      `\nSKIPPED the ${server.label} suites: ${reason}. Start it, or point ${provider === 'mysql' ? 'TEST_MYSQL_URL' : 'TEST_POSTGRES_URL'} at one.\n`,
    );
  }
  return projects;
}
