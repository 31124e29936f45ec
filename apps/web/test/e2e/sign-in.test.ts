import { CHROMIUM, chromiumMissing, launchChromium, startTestServer, type TestServer } from '@mechanic-shop/api/testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockingViolations, checkScreen, openActor, signIn, VIEWPORTS, type Actor } from './harness.ts';
import { openShop, type Shop } from './shop.ts';

if (chromiumMissing) console.warn(`sign-in.test.ts skipped: ${CHROMIUM} is missing (install it with \`apt-get install -y chromium\`)`);

let server: TestServer;
let browser: Browser;
let shop: Shop;
let visitor: Actor;

describe.skipIf(chromiumMissing)('signing in to the front desk app, in Chromium', () => {
  beforeAll(async () => {
    server = await startTestServer();
    shop = await openShop(server.url);
    browser = await launchChromium();
    visitor = await openActor(browser, server.url, VIEWPORTS.desk);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('sends a visitor to the sign-in screen, which names no demo account in the built app', async () => {
    const { page } = visitor;
    await page.goto('board');
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/app/sign-in');
    // Demo logins are for `pnpm dev` only: the build `pnpm start` serves has none.
    expect(await page.getByText(/demo/i).count()).toBe(0);
    expect(await page.content()).not.toContain('demo customer password');
  });

  it("shows the API's refusal of a wrong password and keeps what was typed", async () => {
    const { page } = visitor;
    await page.getByRole('radio', { name: 'Staff', exact: true }).check();
    await page.getByLabel('Email').fill(shop.writer.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const refusal = page.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.innerText()).toMatch(/password/i);
    expect(await page.getByLabel('Email').inputValue()).toBe(shop.writer.email);
    await checkScreen(visitor, 'sign-in-refused');
  });

  it('takes each kind of account to its own screen, and back to the sign-in screen on sign-out', async () => {
    const { page } = visitor;
    const homes = [
      [shop.owner, '/app/board', 'Board'],
      [shop.writer, '/app/board', 'Board'],
      [shop.technician, '/app/technician', undefined],
      [shop.customer, '/app/portal/tickets', 'My visits'],
    ] as const;
    for (const [account, path, heading] of homes) {
      await signIn(visitor, account);
      await page.waitForURL(`**${path}`);
      if (heading) await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      expect(await page.getByRole('banner').innerText()).toContain(account.name);
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    }
  });

  it('keeps the token in the page only: a reload signs out', async () => {
    const { page } = visitor;
    await signIn(visitor, shop.writer);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    expect(await page.evaluate(() => [localStorage.length, sessionStorage.length, document.cookie])).toEqual([0, 0, '']);
  });

  it('tells the holder of an unknown or expired approval link so, without signing in', async () => {
    const { page } = visitor;
    await page.goto('approve/no-such-token-0000000000000000000000000000000000');
    await page.getByRole('heading', { name: 'This link has expired' }).waitFor();
    await checkScreen(visitor, 'approval-expired');
  });

  it('fails a screen on which axe finds a serious or critical violation', async () => {
    const scratch = await visitor.page.context().newPage();
    await scratch.setContent(
      '<html lang="en"><head><title>Scratch</title></head><body><main><h1>Unlabelled</h1><input type="text"><p style="color:#bbb">Faint text</p></main></body></html>',
    );
    expect(await blockingViolations(scratch)).toEqual([
      expect.stringMatching(/^serious color-contrast: /),
      expect.stringMatching(/^critical label: /),
    ]);
    await scratch.close();
  });

  it('shows no script error, console error or server error', () => {
    expect(visitor.problems).toEqual([]);
  });
});
