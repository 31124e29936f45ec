import { readFileSync } from 'node:fs';
import { hasPoppler, pdfText, showsAmount, uniqueVin } from '@mechanic-shop/core/testing';
import { CHROMIUM, chromiumMissing, launchChromium, startTestServer, type TestServer } from '@mechanic-shop/api/testing';
import type { RouterOutputs } from '@mechanic-shop/sdk';
import type { Browser, Locator } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, checkScreen, downloadBy, openActor, screenshotFailure, signIn, VIEWPORTS, type Actor } from './harness.ts';
import { openShop, type Shop } from './shop.ts';

if (chromiumMissing) console.warn(`ticket-life.test.ts skipped: ${CHROMIUM} is missing (install it with \`apt-get install -y chromium\`)`);

/** An amount as the screens show it: the shop's currency (a new shop's, USD) in the browser's locale (en-US). */
const usd = (amount: string) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(Number(amount));

let server: TestServer;
let browser: Browser;
let shop: Shop;
/** The people of the story, each at their own device. */
let customer: Actor;
let writer: Actor;
let technician: Actor;
let owner: Actor;
let ticketId: number;
let approvalPath: string;
/** The invoice the writer issues, as the API has it. */
let invoice: RouterOutputs['invoices']['byNumber'];

/** A job of the estimate on the staff's ticket screen, by its title. */
const jobOnTicket = (actor: Actor, title: string): Locator => actor.page.getByRole('region', { name: title, exact: true });

/** The ticket's card on the board, in the column of `status`. */
const cardIn = (actor: Actor, status: string): Locator =>
  actor.page.getByTestId(`board-column-${status}`).getByTestId(`ticket-card-${ticketId}`);

/**
 * Issue 21's story, through the screens only: a customer registers a car and
 * books a visit; the service writer builds the estimate and sends the link; the
 * customer approves the brakes and declines the wipers on their phone; the
 * technician writes up the work and adds the half hour it took beyond the
 * estimate, which the customer approves again in the portal; the writer
 * completes, invoices, takes the payment and downloads the invoice; the owner
 * sees the sale and the declined wipers to follow up. Every screen on the way is
 * checked with axe and kept as a screenshot in artifacts/web/.
 */
describe.skipIf(chromiumMissing)('the life of a ticket, through the front desk app in Chromium', () => {
  beforeAll(async () => {
    server = await startTestServer();
    shop = await openShop(server.url);
    browser = await launchChromium();
    [customer, writer, technician, owner] = await Promise.all([
      openActor(browser, server.url, VIEWPORTS.desk),
      openActor(browser, server.url, VIEWPORTS.desk),
      openActor(browser, server.url, VIEWPORTS.tablet),
      openActor(browser, server.url, VIEWPORTS.desk),
    ]);
  });

  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail') await screenshotFailure(task.name, { customer, writer, technician, owner });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('a customer signs in, registers a vehicle and books a visit', async () => {
    const { page } = customer;
    await signIn(customer, shop.customer, 'sign-in');
    await page.getByRole('link', { name: 'My vehicles' }).click();
    await page.getByLabel('VIN').fill(uniqueVin());
    await page.getByLabel('Year').fill('2018');
    await page.getByLabel('Make').fill('Honda');
    await page.getByLabel('Model').fill('Accord');
    await page.getByLabel('Odometer', { exact: true }).fill('84120');
    await page.getByRole('button', { name: 'Register vehicle' }).click();
    await expect.poll(() => page.getByRole('status').allInnerTexts()).toContain('Your 2018 Honda Accord is registered.');
    await expect.poll(() => page.getByRole('table', { name: 'My vehicles' }).innerText()).toContain('2018 Honda Accord');
    await checkScreen(customer, 'portal-vehicles');

    await page.getByRole('link', { name: 'My visits', exact: true }).click();
    await page.getByLabel('Vehicle').selectOption({ label: '2018 Honda Accord' });
    await page.getByLabel('What needs doing').fill('Brakes squeal, wipers streak');
    await page.getByLabel('Details (optional)').fill('The squeal is loudest when stopping downhill.');
    await page.getByRole('button', { name: 'Book visit' }).click();
    await page.getByRole('heading', { level: 1, name: 'Brakes squeal, wipers streak' }).waitFor();
    ticketId = Number(/\/portal\/tickets\/(\d+)$/.exec(page.url())?.[1]);
    expect(ticketId).toBeGreaterThan(0);
    await expect.poll(() => page.getByText('The shop has not written the estimate yet.').count()).toBe(1);
    await checkScreen(customer, 'portal-visit');
  });

  it('the service writer finds it on the board, builds the estimate, assigns the technician and sends the approval link', async () => {
    const { page } = writer;
    await signIn(writer, shop.writer);
    await cardIn(writer, 'PENDING').waitFor();
    await checkScreen(writer, 'board');
    await cardIn(writer, 'PENDING').getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: `#${ticketId} Brakes squeal, wipers streak` }).waitFor();

    await addJob(writer, 'Front brakes', 'Squeal when stopping');
    const brakes = jobOnTicket(writer, 'Front brakes');
    await brakes.getByRole('button', { name: 'Add a line to Front brakes' }).click();
    await brakes.getByLabel('Description').fill('Replace front pads');
    await brakes.getByLabel('Hours').fill('1.5');
    await brakes.getByRole('button', { name: 'Add line' }).click();
    await brakes.getByRole('cell', { name: 'Replace front pads', exact: true }).waitFor();
    await brakes.getByRole('button', { name: 'Add a line to Front brakes' }).click();
    await brakes.getByLabel('Line type').selectOption({ label: 'Part' });
    await brakes.getByLabel('Find a part by name').fill('brake pad');
    // The search shows the stock on the shelf before the part is chosen.
    await brakes.getByRole('list', { name: 'Parts found' }).getByText('12 in stock').waitFor();
    await brakes.getByRole('button', { name: `Choose ${shop.brakePads.part_name}` }).click();
    await brakes.getByLabel('Quantity').fill('1');
    await brakes.getByRole('button', { name: 'Add line' }).click();
    await brakes.getByRole('cell', { name: shop.brakePads.part_name, exact: true }).waitFor();

    await addJob(writer, 'Wiper blades', 'Streaks in the rain');
    const wipers = jobOnTicket(writer, 'Wiper blades');
    await wipers.getByRole('button', { name: 'Add a line to Wiper blades' }).click();
    await wipers.getByLabel('Line type').selectOption({ label: 'Fee' });
    await wipers.getByLabel('Description').fill('Wiper blade pair, fitted');
    await wipers.getByLabel('Amount').fill('34.00');
    await wipers.getByRole('button', { name: 'Add line' }).click();
    await wipers.getByRole('cell', { name: 'Wiper blade pair, fitted', exact: true }).waitFor();

    // The totals are the API's money engine's, with the tax on the parts, shown as soon as the last line is in.
    const estimate = await shop.api.serviceTickets.byId.query({ id: ticketId });
    expect(estimate.jobs.map((job) => job.lines.length)).toEqual([2, 1]);
    expect(estimate.totals.tax.parts).not.toBe('0.00');
    const totals = page.getByRole('complementary', { name: new RegExp(`^Totals of ticket #${ticketId}`) });
    await expect.poll(() => totals.innerText()).toContain(usd(estimate.totals.total));
    expect(await totals.innerText()).toContain(usd(estimate.totals.tax.parts));

    await page.getByLabel('Assign').selectOption({ label: `${shop.technician.name} (technician)` });
    await page.getByRole('button', { name: 'Assign', exact: true }).click();
    await page.getByRole('region', { name: 'Technicians' }).getByText(shop.technician.name).waitFor();

    await page.getByRole('button', { name: 'Send approval link' }).click();
    const link = await page.getByLabel('Approval link (shown once: send it to the customer)').inputValue();
    approvalPath = new URL(link).pathname;
    expect(approvalPath).toMatch(/^\/app\/approve\/[\w-]+$/);
    await page.getByRole('img', { name: /^QR code of the approval link/ }).waitFor();
    await checkScreen(writer, 'ticket');
  });

  it('the customer approves the brakes and declines the wipers on the approval page, on a phone, without signing in', async () => {
    const phone = await openActor(browser, server.url, VIEWPORTS.phone);
    const { page } = phone;
    await page.goto(`${server.url}${approvalPath}`);
    await page.getByRole('radiogroup', { name: 'Your decision on Front brakes' }).waitFor();
    await checkScreen(phone, 'approval');
    await page.getByRole('radiogroup', { name: 'Your decision on Front brakes' }).getByLabel('Approve').check();
    await page.getByRole('radiogroup', { name: 'Your decision on Wiper blades' }).getByLabel('Decline').check();
    await page.getByLabel('Why are you declining? (optional)').fill('Next month');
    await page.getByLabel('Your full name, as your signature').fill('Ada Lovelace');
    await page.getByRole('button', { name: 'Send my decisions' }).click();
    await page.getByRole('heading', { name: 'Thank you, Ada Lovelace: your decisions are recorded' }).waitFor();
    await checkScreen(phone, 'approval-recorded');
    expect(phone.problems).toEqual([]);
    const decided = await shop.api.serviceTickets.byId.query({ id: ticketId });
    expect(decided.jobs.map((job) => [job.title, job.authorization])).toEqual([
      ['Front brakes', 'approved'],
      ['Wiper blades', 'declined'],
    ]);
  });

  it('the writer sees the decisions and drags the card to "In progress"', async () => {
    const { page } = writer;
    await page.getByRole('link', { name: 'Back to the board' }).click();
    const card = cardIn(writer, 'PENDING');
    await card.waitFor();
    await card.dragTo(writer.page.getByTestId('board-column-IN_PROGRESS'));
    await cardIn(writer, 'IN_PROGRESS').waitFor();
    await expect.poll(async () => (await shop.api.serviceTickets.byId.query({ id: ticketId })).status).toBe('IN_PROGRESS');
  });

  it('the technician, on a tablet, writes up the brakes and adds the half hour it took beyond the estimate', async () => {
    const { page } = technician;
    await signIn(technician, shop.technician);
    await page.getByRole('heading', { level: 2, name: `#${ticketId} Brakes squeal, wipers streak` }).waitFor();
    // The declined wipers are not to be done: the bay does not see them.
    expect(await page.getByLabel('Cause (Wiper blades)').count()).toBe(0);
    await page.getByLabel('Cause (Front brakes)').fill('Pads worn to 2 mm');
    await page.getByLabel('Correction (Front brakes)').fill('Replaced the front pads, cleaned the calipers');
    await page.getByRole('button', { name: 'Save notes' }).click();
    await page.getByText('Notes saved.').waitFor();
    const hours = page.getByRole('form', { name: 'Add hours to Front brakes' });
    await hours.getByLabel('Work done').fill('Seized caliper slide pins freed');
    await hours.getByLabel('Hours').fill('0.5');
    await hours.getByRole('button', { name: 'Add hours' }).click();
    await hours.getByText('Hours added.').waitFor();
    await page.getByRole('table', { name: 'Work and parts on Front brakes' }).getByText('0.50 h').waitFor();
    await checkScreen(technician, 'technician');
    // More hours are a new price: the job waits for the customer again.
    const worked = await shop.api.serviceTickets.byId.query({ id: ticketId });
    expect(worked.jobs[0]).toMatchObject({ cause: 'Pads worn to 2 mm', authorization: 'pending' });
  });

  it('the customer approves the new figure of the brakes in the portal', async () => {
    const { page } = customer;
    await page.getByRole('link', { name: 'My visits', exact: true }).click();
    await page.getByRole('link', { name: 'Brakes squeal, wipers streak' }).click();
    const brakes = page.getByRole('radiogroup', { name: 'Your decision on Front brakes' });
    await brakes.getByLabel('Approve').check();
    await page.getByLabel('Your full name, as your signature').fill('Ada Lovelace');
    await page.getByRole('button', { name: 'Send my decisions' }).click();
    await page.getByText('Thank you: your decisions are recorded.').waitFor();
    await checkScreen(customer, 'portal-visit-approved');
  });

  it('the writer completes the ticket, issues the invoice, takes the payment and downloads the PDF', async () => {
    const { page } = writer;
    await cardIn(writer, 'IN_PROGRESS').getByRole('link').click();
    await page.getByLabel(`Move to… (ticket #${ticketId})`).selectOption({ label: 'Completed' });
    await page.getByRole('button', { name: 'Issue the invoice' }).click();
    const payment = page.getByRole('form', { name: 'Take a payment' });
    await payment.waitFor();
    const { customer_id } = await shop.api.serviceTickets.byId.query({ id: ticketId });
    const issued = (await shop.api.invoices.list.query({ customer_id })).items[0]!;
    expect(issued).toMatchObject({ service_ticket_id: ticketId, status: 'unpaid' });
    const invoicePanel = page.getByTestId('invoice');
    expect(await invoicePanel.innerText()).toContain(issued.number);

    // The balance is offered as the amount; the SDK gives the payment its Idempotency-Key.
    expect(await payment.getByLabel('Amount').inputValue()).toBe(issued.balance);
    await payment.getByLabel('Method').selectOption({ label: 'Card' });
    await payment.getByLabel('Processor reference (optional, never a card number)').fill('ch_3PZ0001');
    await payment.getByRole('button', { name: 'Take payment' }).click();
    await invoicePanel.getByRole('table', { name: 'Payments' }).getByRole('cell', { name: 'ch_3PZ0001' }).waitFor();
    // Paid in full: no more payment to take.
    await payment.waitFor({ state: 'detached' });
    invoice = await shop.api.invoices.byNumber.query({ number: issued.number });
    expect(invoice).toMatchObject({ status: 'paid', balance: '0.00', paid: issued.totals.total });

    const download = await downloadBy(page.getByRole('button', { name: 'Download the invoice PDF' }));
    expect(download.suggestedFilename()).toBe(`${invoice.number}.pdf`);
    const saved = `${ARTIFACTS}${invoice.number}.pdf`;
    await download.saveAs(saved);
    // The document itself, read back as text where poppler-utils is installed (CI installs it).
    if (hasPoppler) {
      const text = pdfText(readFileSync(saved));
      expect(text).toContain(invoice.number);
      expect(showsAmount(text, invoice.totals.total)).toBe(true);
    }
    await checkScreen(writer, 'ticket-paid');
  });

  it('the customer finds the paid invoice in the portal and downloads it', async () => {
    const { page } = customer;
    await page.getByRole('link', { name: 'My invoices' }).click();
    await page.getByRole('heading', { level: 1, name: 'My invoices' }).waitFor();
    const download = await downloadBy(page.getByRole('button', { name: `Download ${invoice.number} (PDF)` }));
    expect(download.suggestedFilename()).toBe(`${invoice.number}.pdf`);
    await checkScreen(customer, 'portal-invoices');
  });

  it('the owner sees the sale in the sales report and the declined wipers in the follow-ups', async () => {
    const { page } = owner;
    await signIn(owner, shop.owner);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Owner' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sales report' }).waitFor();
    // This month so far, by default: today's invoice is in it.
    const figures = page.getByRole('definition');
    await expect.poll(() => figures.allInnerTexts()).toEqual(expect.arrayContaining(['1', usd(invoice.totals.total)]));
    // Revenue is before tax: the invoice's subtotal.
    const revenue = page.getByRole('table', { name: 'Revenue and tax by category' });
    expect(await revenue.getByRole('row', { name: /^Total/ }).innerText()).toContain(usd(invoice.totals.subtotal));
    await page.getByRole('img', { name: /^Bar chart of revenue by category/ }).waitFor();
    await checkScreen(owner, 'owner-sales');

    const ownerPages = page.getByRole('navigation', { name: 'Owner' });
    await ownerPages.getByRole('link', { name: 'Declined work' }).click();
    const declined = page.getByRole('table', { name: 'Declined jobs to follow up' }).getByRole('row', { name: /Wiper blades/ });
    await declined.waitFor();
    const row = await declined.innerText();
    for (const shown of [shop.customer.name, '2018 Honda Accord', 'Next month', usd('34.00')]) expect(row).toContain(shown);
    await declined.getByRole('button', { name: 'Bring back “Wiper blades” as new work' }).waitFor();
    await checkScreen(owner, 'owner-follow-ups');

    // The owner's other pages, checked and kept as screenshots too.
    for (const [link, heading, name] of [
      ['Low stock', 'Low stock', 'owner-low-stock'],
      ['Staff and roles', 'Staff and roles', 'owner-staff'],
      ['Shop settings', 'Shop settings', 'owner-settings'],
      ['Webhooks', 'Webhooks', 'owner-webhooks'],
    ] as const) {
      await ownerPages.getByRole('link', { name: link }).click();
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      await checkScreen(owner, name);
    }
  });

  it('shows no script error, console error or server error on any screen', () => {
    for (const actor of [customer, writer, technician, owner]) expect(actor.problems).toEqual([]);
  });
});

/** Adds a job to the estimate on the ticket screen and waits for it. */
async function addJob(actor: Actor, title: string, concern: string): Promise<void> {
  const { page } = actor;
  await page.getByRole('button', { name: 'Add a job' }).click();
  const form = page.getByRole('form', { name: 'New job' });
  await form.getByLabel('Job title').fill(title);
  await form.getByLabel("Concern (the customer's words)").fill(concern);
  await form.getByRole('button', { name: 'Add job' }).click();
  await jobOnTicket(actor, title).waitFor();
}
