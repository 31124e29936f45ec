import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { testProvider } from '@mechanic-shop/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, registerCustomer, registerMechanic } from './accounts.ts';
import { CHROMIUM, chromiumMissing, launchChromium } from './chromium.ts';
import { request, startTestServer, type TestServer } from './server-harness.ts';

const ARTIFACTS = fileURLToPath(new URL('../../../artifacts/', import.meta.url));

// The page is the same whatever the database: one run (the SQLite project) is enough.
const otherDatabase = testProvider() !== 'sqlite';
if (chromiumMissing && !otherDatabase) {
  console.warn(`docs-page.browser.test.ts skipped: ${CHROMIUM} is missing (install it with \`apt-get install -y chromium\`)`);
}

interface DocumentOperation {
  method: string;
  path: string;
  summary: string;
  tags: string[];
}

let server: TestServer;
let browser: Browser;
let page: Page;
let openApi: { tags: Array<{ name: string }>; paths: Record<string, Record<string, Omit<DocumentOperation, 'method' | 'path'>>> };
let mechanic: Awaited<ReturnType<typeof registerMechanic>>;
let customer: Awaited<ReturnType<typeof registerCustomer>>;
/** Every request and WebSocket the page opened, as absolute URLs. */
const requestedUrls: string[] = [];
/** What the browser refused under the page's Content-Security-Policy. */
const policyViolations: string[] = [];

const operations = (): DocumentOperation[] =>
  Object.entries(openApi.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ ...operation, method, path })),
  );

// The tests share one page, in order: the last one checks every request the others made.
describe.skipIf(chromiumMissing || otherDatabase)('GET /docs in Chromium', () => {
  beforeAll(async () => {
    server = await startTestServer();
    openApi = (await request(server, 'GET', '/openapi.json')).body;
    mechanic = await registerMechanic(server);
    customer = await registerCustomer(server);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    // Below the test timeout, so that a missing element fails with Playwright's message naming it.
    page.setDefaultTimeout(10_000);
    page.on('request', (sent) => requestedUrls.push(sent.url()));
    page.on('websocket', (socket) => requestedUrls.push(socket.url()));
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) policyViolations.push(message.text());
    });
    await page.goto(`${server.url}/docs`);
  });

  afterAll(async () => {
    if (page) {
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: `${ARTIFACTS}docs-page.png` });
    }
    await browser?.close();
    await server?.close();
  });

  it('lists every tag with its operations, and every operation by its summary in the sidebar', async () => {
    for (const tag of openApi.tags) {
      const section = page.getByRole('region', { name: tag.name, exact: true });
      await section.getByRole('heading', { name: tag.name, exact: true }).waitFor();
      const listed = await section
        .getByRole('list', { name: `${tag.name} endpoints` })
        .getByRole('listitem')
        .allInnerTexts();
      const expected = operations().filter((operation) => operation.tags.includes(tag.name));
      expect(
        listed.map((text) => text.replace(/\s+/g, ' ')),
        tag.name,
      ).toEqual(expected.map((operation) => `${operation.method.toUpperCase()} ${operation.path}`));
    }
    for (const operation of operations()) {
      expect(await sidebarLinkTo(operation).count(), `${operation.method} ${operation.path}: ${operation.summary}`).toBe(1);
    }
  });

  it('logs in with "Test Request", takes the token into the auth form and makes an authorized call', async () => {
    const login = await sendFromPage('post', '/mechanics/login', { email: mechanic.email, password: PASSWORD });
    expect(login.status).toBe('200 OK');
    const { token, token_type } = JSON.parse(login.body) as { token: string; token_type: string };
    expect(token_type).toBe('Bearer');
    await page.getByRole('dialog', { name: 'API Client' }).getByRole('button', { name: 'Close Client' }).click();

    const introduction = page.getByRole('region', { name: 'Introduction' });
    await introduction.getByRole('textbox', { name: 'Bearer Token' }).fill(token);

    const customers = await sendFromPage('get', '/customers');
    expect(customers.status).toBe('200 OK');
    expect(JSON.parse(customers.body).items).toContainEqual(expect.objectContaining({ id: customer.id, email: customer.email }));
  });

  it("offers none of Scalar's online services, which would send the document out (AI agent, MCP, developer tools)", async () => {
    expect(await page.getByText(/Ask AI|Generate MCP|Developer Tools/).count()).toBe(0);
  });

  it('makes no request outside this server (no fonts, proxy, telemetry or Scalar services)', () => {
    expect(requestedUrls).toContain(`${server.url}/openapi.json`);
    expect(requestedUrls.filter((url) => new URL(url).origin !== server.url)).toEqual([]);
  });

  it('works under its Content-Security-Policy, which forbids framing it (tokens are pasted here)', async () => {
    const policy = (await request(server, 'GET', '/docs')).headers.get('content-security-policy');
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("script-src 'self'");
    expect(policyViolations).toEqual([]);
  });
});

/**
 * Opens Scalar's API client on an operation with its "Test Request" button,
 * replaces the JSON body when one is given, sends, and reads the response.
 */
async function sendFromPage(method: string, path: string, requestBody?: unknown): Promise<{ status: string; body: string }> {
  const operation = operations().find((candidate) => candidate.method === method && candidate.path === path)!;
  await sidebarLinkTo(operation).click();
  await page.getByRole('button', { name: `Test Request (${method} ${path})` }).click();
  const client = page.getByRole('dialog', { name: 'API Client' });
  if (requestBody !== undefined) {
    await client.getByRole('region', { name: 'Request Body' }).getByRole('textbox').click();
    await page.keyboard.press('ControlOrMeta+A');
    // insertText, not typing: the editor would auto-close the brackets and quotes typed.
    await page.keyboard.insertText(JSON.stringify(requestBody));
  }
  await client.getByRole('button', { name: new RegExp(`^Send ${method} request`) }).click();
  const response = client.getByRole('region', { name: 'Response' });
  const status = response.getByRole('link', { name: /^\d{3} / });
  await status.waitFor();
  const body = await response.getByRole('region', { name: 'Body' }).getByRole('textbox').textContent();
  return { status: (await status.textContent())!.trim(), body: body ?? '' };
}

/** The sidebar entry of an operation: its summary, then its method for screen readers. */
function sidebarLinkTo(operation: DocumentOperation): Locator {
  const name = new RegExp(`^${escapeRegExp(operation.summary)} HTTP Method:`);
  return page.getByRole('complementary').getByRole('link', { name });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
