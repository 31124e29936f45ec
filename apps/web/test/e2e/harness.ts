import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Download, Locator, Page, ViewportSize } from 'playwright-core';
import { expect } from 'vitest';
import type { Account } from './shop.ts';

/** Every screen's screenshot, kept as a test artifact (gitignored). */
export const ARTIFACTS = fileURLToPath(new URL('../../../../artifacts/web/', import.meta.url));
/** The screenshots the README shows, committed: taken only when asked (`pnpm --filter @mechanic-shop/web screenshots`). */
const DOCS_SCREENSHOTS = fileURLToPath(new URL('../../../../docs/screenshots/', import.meta.url));
const DOCUMENTED = new Set(['board', 'ticket', 'approval']);

/** The devices of the people in the shop: the counter's screen, the bay's tablet, the customer's phone. */
export const VIEWPORTS = {
  desk: { width: 1280, height: 800 },
  tablet: { width: 800, height: 1280 },
  phone: { width: 390, height: 844 },
} satisfies Record<string, ViewportSize>;

/** Axe's findings that fail a screen. Moderate and minor ones (e.g. best-practice advice) are left to review. */
const BLOCKING_IMPACTS = new Set(['serious', 'critical']);

/** Chromium's line for any answer of 4xx: the screens show those to the user on purpose (a 409 in plain words). */
const REFUSED_REQUEST = /^Failed to load resource: the server responded with a status of 4\d\d/;

/** One person at one device: a browser context of their own, so that sessions (held in memory) never mix. */
export interface Actor {
  page: Page;
  /** What went wrong without the screen saying so: script errors, console errors (the CSP's refusals among them), 5xx answers. */
  problems: string[];
}

/** A new actor at a device of `viewport`'s size, in the locale the assertions on amounts and dates expect. */
export async function openActor(browser: Browser, serverUrl: string, viewport: ViewportSize): Promise<Actor> {
  const context = await browser.newContext({
    viewport,
    baseURL: `${serverUrl}/app/`,
    acceptDownloads: true,
    locale: 'en-US',
    timezoneId: 'UTC',
  });
  const page = await context.newPage();
  // Far below the test timeout, so that a missing element fails with Playwright's message naming it; not short,
  // since `pnpm test` runs every package's suite at once.
  page.setDefaultTimeout(20_000);
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`script error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !REFUSED_REQUEST.test(message.text())) problems.push(`console error: ${message.text()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 500) problems.push(`${response.status()} from ${response.request().method()} ${response.url()}`);
  });
  return { page, problems };
}

/** The file the browser saves when `button` is pressed (the app fetches a PDF with the session's token, then saves it). */
export async function downloadBy(button: Locator): Promise<Download> {
  const [download] = await Promise.all([button.page().waitForEvent('download'), button.click()]);
  return download;
}

/** What each actor's page showed when a step failed, as `artifacts/web/failed-<step>-<actor>.png`. */
export async function screenshotFailure(step: string, actors: Record<string, Actor | undefined>): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const slug = step.replace(/\W+/g, '-').slice(0, 60);
  for (const [who, actor] of Object.entries(actors)) {
    if (!actor || actor.page.url() === 'about:blank') continue;
    await actor.page.screenshot({ path: `${ARTIFACTS}failed-${slug}-${who}.png`, fullPage: true }).catch(() => undefined);
  }
}

/**
 * Signs the actor in on the sign-in screen, from the app's start (which sends
 * a visitor without a session there), and waits for the account's own screen.
 * `screenshot` names the sign-in screen's check, for the one sign-in that makes it.
 */
export async function signIn(actor: Actor, account: Account, screenshot?: string): Promise<void> {
  const { page } = actor;
  await page.goto('./');
  await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
  await page.getByRole('radio', { name: account.kind === 'staff' ? 'Staff' : 'Customer', exact: true }).check();
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  if (screenshot) await checkScreen(actor, screenshot);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  await page.waitForURL(/\/app\/(board|portal|technician)/);
}

/**
 * Checks the screen the actor is on once it has loaded (one <h1>, nothing
 * busy): axe finds no serious or critical violation, and nothing is wider than
 * the window; a full-page screenshot is kept as `artifacts/web/<name>.png`. A
 * failed check is recorded and the flow goes on to the next screens, so that
 * one run reports every screen's findings.
 */
export async function checkScreen({ page }: Actor, name: string): Promise<void> {
  await expect.poll(() => page.getByRole('heading', { level: 1 }).count(), { message: `${name}: one <h1>` }).toBe(1);
  await expect.poll(() => page.locator('[aria-busy="true"]').count(), { message: `${name}: still busy` }).toBe(0);
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = `${ARTIFACTS}${name}.png`;
  await page.screenshot({ path, fullPage: true, animations: 'disabled' });
  // The README's copy: the top of the screen, a size a page of text can hold.
  if (process.env.DOCS_SCREENSHOTS && DOCUMENTED.has(name)) {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${DOCS_SCREENSHOTS}${name}.png`, animations: 'disabled' });
  }
  expect.soft(await blockingViolations(page), `axe on ${name}`).toEqual([]);
  // Nothing sticks out sideways: on a phone or a tablet, a screen wider than the window hides what is past its edge.
  const width = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, window: document.documentElement.clientWidth }));
  expect.soft(width.page, `${name}: the page is wider than the window`).toBeLessThanOrEqual(width.window);
}

/** Axe's serious and critical findings on the page as it is, one line each: impact, rule, help, where. */
export async function blockingViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((violation) => BLOCKING_IMPACTS.has(violation.impact ?? ''))
    .map(
      (violation) =>
        `${violation.impact} ${violation.id}: ${violation.help} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
    );
}
