import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, startTestServer, type TestServer } from './server-harness.ts';

/** A build of the web app as Vite lays it out: index.html naming hashed assets, and a file of public/. */
const INDEX = '<!doctype html><html lang="en"><head><script type="module" src="/app/assets/index-AbC123.js"></script></head></html>';
let build: string;
let server: TestServer;
let unbuilt: TestServer;

beforeAll(async () => {
  build = await mkdtemp(path.join(tmpdir(), 'web-app-build-'));
  await mkdir(path.join(build, 'assets'));
  await writeFile(path.join(build, 'index.html'), INDEX);
  await writeFile(path.join(build, 'assets', 'index-AbC123.js'), 'console.log("app")');
  await writeFile(path.join(build, 'robots.txt'), 'User-agent: *\nDisallow: /\n');
  server = await startTestServer({ webAppDir: build });
  unbuilt = await startTestServer({ webAppDir: path.join(build, 'no-such-dir') });
});
afterAll(async () => {
  await server?.close();
  await unbuilt?.close();
  await rm(build, { recursive: true, force: true });
});

describe('the front desk app at /app', () => {
  it('serves index.html at /app and /app/, revalidated on each load, under a strict Content-Security-Policy', async () => {
    for (const url of ['/app', '/app/']) {
      const page = await request(server, 'GET', url);
      expect(page.status).toBe(200);
      expect(page.body).toBe(INDEX);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(page.headers.get('cache-control')).toBe('no-cache');
      const policy = page.headers.get('content-security-policy')!;
      expect(policy).toContain("script-src 'self'");
      expect(policy).toContain("frame-ancestors 'none'");
      expect(policy).not.toMatch(/unsafe-(inline|eval)/);
      expect(page.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    }
  });

  it("answers the app's own paths with index.html (the app's router shows the screen after a reload)", async () => {
    for (const url of ['/app/sign-in', '/app/tickets/7', '/app/approve/abc.DEF_123', '/app/owner/settings?tab=tax']) {
      const page = await request(server, 'GET', url);
      expect([url, page.status, page.body]).toEqual([url, 200, INDEX]);
      expect(page.headers.get('cache-control')).toBe('no-cache');
    }
  });

  it('keeps hashed assets for a year, and a missing asset is a 404 problem, not the page', async () => {
    const script = await request(server, 'GET', '/app/assets/index-AbC123.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript|^application\/javascript/);
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const missing = await request(server, 'GET', '/app/assets/index-Old999.js');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('application/problem+json');
  });

  it("serves the build's other files as they are, and nothing outside the build", async () => {
    const robots = await request(server, 'GET', '/app/robots.txt');
    expect([robots.status, robots.body, robots.headers.get('cache-control')]).toEqual([200, 'User-agent: *\nDisallow: /\n', 'no-cache']);
    for (const url of ['/app/%2e%2e/package.json', '/app/..%2f..%2fpackage.json', '/app/assets/..%2f..%2f..%2fpackage.json']) {
      const answer = await request(server, 'GET', url);
      expect(typeof answer.body === 'string' && answer.body.includes('"name"')).toBe(false);
    }
  });

  it('answers HEAD as GET, without a body', async () => {
    const head = await fetch(`${server.url}/app/board`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await head.text()).toBe('');
  });

  it('without a build, /app is a 404 problem saying how to build the app; the API still works', async () => {
    for (const url of ['/app', '/app/board']) {
      const page = await request(unbuilt, 'GET', url);
      expect(page.status).toBe(404);
      expect(page.body).toMatchObject({ code: 'route_not_found', detail: expect.stringMatching(/not built.*pnpm@10 build/) });
    }
    expect((await request(unbuilt, 'GET', '/healthz')).status).toBe(200);
  });
});
