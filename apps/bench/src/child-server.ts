import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Code preloaded into every server the bench starts (`--import data:…`): the
 * server stops itself when the bench process is gone or after `maxSeconds`, so
 * that a killed or crashed bench never leaves a server running. It only adds
 * two unref'd timers; the server's own code is untouched.
 */
function lifetimeGuard(maxSeconds: number): string[] {
  const code = `
    const stop = () => process.kill(process.pid, 'SIGTERM');
    setTimeout(stop, ${maxSeconds * 1000}).unref();
    setInterval(() => { try { process.kill(${process.pid}, 0); } catch { stop(); } }, 500).unref();`;
  return ['--import', `data:text/javascript,${encodeURIComponent(code)}`];
}

/**
 * The Node flags of `pnpm start`, from its script (the root package.json's
 * `start`), so that the bench starts the API as production does: the same
 * source maps and heap limits, whichever way they change.
 */
export function startScriptNodeFlags(startScript: string): string[] {
  const command = /\bexec node((?: --[\w-]+(?:=\S+)?)*) apps\/api\/dist\/main\.js$/.exec(startScript);
  if (!command) throw new Error(`the start script does not end with \`exec node [flags] apps/api/dist/main.js\`: ${startScript}`);
  return command[1]!.split(' ').filter(Boolean);
}

export interface ChildServerOptions {
  /** Node arguments after the lifetime guard: flags, then the script. */
  args: string[];
  env: NodeJS.ProcessEnv;
  port: number;
  /** Where the server's stdout and stderr go. */
  logFile: string;
  /** The server's lifetime, after which it stops by itself. */
  maxSeconds: number;
}

export interface ChildServer {
  pid: number;
  url: string;
  /** From spawning the process to its first successful `GET /readyz`. */
  startupMs: number;
  /** SIGTERM, then SIGKILL if it has not exited in time. */
  stop(): Promise<void>;
}

// Generous: on a busy shared machine a start has taken over 20 s (the startup target is checked apart).
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 20_000;

/** Starts a Node server on 127.0.0.1 and waits until `GET /readyz` answers 200. */
export async function startChildServer(options: ChildServerOptions): Promise<ChildServer> {
  const url = `http://127.0.0.1:${options.port}`;
  const log = openSync(options.logFile, 'w');
  const started = performance.now();
  const child = spawn(process.execPath, [...lifetimeGuard(options.maxSeconds), ...options.args], {
    env: options.env,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const stop = () => stopChild(child);
  try {
    await waitUntilReady(child, `${url}/readyz`, options.logFile);
  } catch (error) {
    await stop();
    throw error;
  }
  return { pid: child.pid as number, url, startupMs: performance.now() - started, stop };
}

async function waitUntilReady(child: ChildProcess, readyUrl: string, logFile: string): Promise<void> {
  const deadline = performance.now() + READY_TIMEOUT_MS;
  while (performance.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the server exited (${child.exitCode ?? child.signalCode}) before it was ready; see ${logFile}`);
    }
    if ((await statusOf(readyUrl)) === 200) return;
    await sleep(5);
  }
  throw new Error(`the server was not ready after ${READY_TIMEOUT_MS} ms; see ${logFile}`);
}

/** The status of a GET, or 0 when nothing answers (yet). A fresh connection each time, as a prober would. */
function statusOf(url: string): Promise<number> {
  return new Promise((resolve) => {
    const request = get(url, { agent: false }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', () => resolve(0));
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/** A port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}
