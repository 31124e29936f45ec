import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * `pnpm start` as the README gives it (`npx -y pnpm@10 start`, from the
 * repository root), on SQLite in a scratch directory: what an operator sees
 * when they stop it, and when its port is taken. SQLite only: the command's
 * behaviour does not depend on the database.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'start-command-'));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** `npx -y pnpm@10 start` in its own process group, as a terminal runs it; resolves with its output when it exits. */
function start(port: number, onOutput: (output: string) => void = () => {}) {
  const child = spawn('npx', ['-y', 'pnpm@10', 'start'], {
    cwd: root,
    detached: true,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TURBO_TELEMETRY_DISABLED: '1',
      PORT: String(port),
      DATABASE_URL: `file:${path.join(scratch, `${port}.db`)}`,
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    onOutput(output);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  // 'close', not 'exit': the output pipes close when the API itself has exited, which may be after npx.
  const exited = once(child, 'close').then(() => output);
  return { child, exited };
}

describe.runIf(process.env.TEST_DATABASE === 'sqlite')('pnpm start', () => {
  it('stops cleanly on Ctrl-C: the API finishes and pnpm reports no failure', async () => {
    const port = await freePort();
    let listening: () => void;
    const ready = new Promise<void>((resolve) => (listening = resolve));
    const { child, exited } = start(port, (output) => output.includes('"msg":"ready"') && listening());
    await ready;
    process.kill(-child.pid!, 'SIGINT'); // the whole foreground group, as a terminal's Ctrl-C does
    const output = await exited;
    expect(output).toContain('"msg":"stopped"');
    expect(output).not.toContain('ELIFECYCLE');
  }, 180_000);

  it('names the port in use and how to pick another, without a stack trace', async () => {
    const port = await freePort();
    const holder: Server = createServer().listen(port, '127.0.0.1');
    await once(holder, 'listening');
    try {
      const { child, exited } = start(port);
      const output = await exited;
      expect(child.exitCode).toBe(1);
      expect(output).toContain(`Port ${port} on 127.0.0.1 is already in use`);
      expect(output).toContain('PORT=3001 pnpm start');
      expect(output).not.toMatch(/^\s+at /m);
    } finally {
      holder.close();
    }
  }, 180_000);
});
