import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEST_JWT_SECRET } from '@mechanic-shop/core/testing';

const apiDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface ApiProcess {
  child: ChildProcess;
  url: string;
  logs: Array<Record<string, unknown>>;
  /** Resolves with the first log line that matches. */
  waitForLog(match: (line: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** SIGTERM, then the exit code (SIGKILL if it does not exit within the bound). */
  stop(timeoutMs?: number): Promise<number | null>;
}

/**
 * The API as operators run it: its own Node process (src/main.ts through tsx, the
 * workspace packages from source) on a free port of 127.0.0.1, configured by
 * environment variables. Resolves once it listens.
 */
export async function startApiProcess(env: Record<string, string>): Promise<ApiProcess> {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'src/main.ts'], {
    cwd: apiDir,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: '0',
      JWT_SECRET: TEST_JWT_SECRET,
      BCRYPT_COST: '10',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Array<Record<string, unknown>> = [];
  const waiters = new Set<() => void>();
  let buffered = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) logs.push(JSON.parse(line) as Record<string, unknown>);
    for (const wake of waiters) wake();
  });
  child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString('utf8')));

  const waitForLog = (match: (line: Record<string, unknown>) => boolean, timeoutMs = 20_000) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const check = () => {
        const found = logs.find(match);
        if (found) return done(() => resolve(found));
        if (child.exitCode !== null)
          done(() => reject(new Error(`the API exited (${child.exitCode}): ${stderr}${JSON.stringify(logs.slice(-5))}`)));
      };
      const timer = setTimeout(() => done(() => reject(new Error(`no such log line within ${timeoutMs} ms: ${stderr}`))), timeoutMs);
      const done = (finish: () => void) => {
        clearTimeout(timer);
        waiters.delete(check);
        child.off('exit', check);
        finish();
      };
      waiters.add(check);
      child.on('exit', check);
      check();
    });

  const listening = await waitForLog((line) => typeof line.url === 'string' && String(line.msg).includes('listening'));
  return {
    child,
    url: listening.url as string,
    logs,
    waitForLog,
    async stop(timeoutMs = 15_000) {
      if (child.exitCode !== null) return child.exitCode;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const [code] = (await exited) as [number | null];
      clearTimeout(timer);
      return code;
    },
  };
}
