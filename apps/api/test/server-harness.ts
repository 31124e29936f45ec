import { Writable } from 'node:stream';
import type { BlockList } from 'node:net';
import { createTestApp, type TestApp, type TestAppSettings } from '@mechanic-shop/core/testing';
import { createLogger } from '../src/logger.ts';
import { createApiServer, type ApiServer } from '../src/server.ts';

/** For the SDK's tests too: a relay that can break connections and lose answers. */
export { startTcpProxy } from './tcp-proxy.ts';
/** For the web app's end-to-end tests: the same Chromium as the docs page's. */
export { CHROMIUM, chromiumMissing, launchChromium } from './chromium.ts';

export interface TestServer {
  url: string;
  app: TestApp;
  api: ApiServer;
  /** Every log line the server wrote, parsed. */
  logs: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  /** Overrides of the core's settings (rate limits, cache, Redis…); rate limits are off by default. */
  settings?: TestAppSettings;
  trustedProxies?: BlockList;
  /** The front desk app's build to serve at /app (apps/web/dist if not given). */
  webAppDir?: string;
}

/** The real HTTP server on a free port of 127.0.0.1, over a fresh SQLite database. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const log = createLogger('info', sink);
  const app = await createTestApp({ ...options.settings, log });
  const api = await createApiServer({
    services: app.services,
    log,
    ping: app.ping,
    maxBodyBytes: 100 * 1024,
    trustedProxies: options.trustedProxies,
    webAppDir: options.webAppDir,
    version: 'test',
  });
  const address = await api.listen(0, '127.0.0.1');
  return {
    url: `http://127.0.0.1:${address.port}`,
    app,
    api,
    logs,
    async close() {
      await api.close(1000);
      await app.close();
    },
  };
}

export interface JsonResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** A JSON request to the server: `json` is sent as the body, `token` as a bearer token. */
export async function request<T = any>(
  server: Pick<TestServer, 'url'>,
  method: string,
  path: string,
  options: { json?: unknown; token?: string; headers?: Record<string, string>; rawBody?: string } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined = options.rawBody;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${server.url}${path}`, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, headers: response.headers, body: parsed as T };
}
