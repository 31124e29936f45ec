import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Job, Ticket } from '../board/board-rules.ts';
import { aTicket, FakeProblem, renderSignedIn, type FakeHandler } from '../board/fake-api.tsx';
import TicketScreen from './TicketScreen.tsx';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const ZERO = { labor: '0.00', parts: '0.00', fees: '0.00', sublet: '0.00' };
const page = <Item,>(items: Item[]) => ({ items, page: 1, per_page: 100, total: items.length, pages: items.length ? 1 : 0 });

/** Totals of labor only, taxed at the labor rate: what the money engine answers for the test's line. */
function laborTotals(labor: string, tax: string, total: string): Ticket['totals'] {
  return { ...ZERO, labor, discounts: '0.00', shop_supplies: '0.00', tax: { ...ZERO, labor: tax, total: tax }, subtotal: labor, total };
}

const brakes = {
  id: 11,
  title: 'Front brakes',
  concern: 'Squeal when stopping',
  cause: '',
  correction: '',
  pay_type: 'customer',
  authorization: 'pending',
  decided_at: null,
  approval_id: null,
  decline_reason: null,
  follow_up_on: null,
  revived_at: null,
  lines: [],
  totals: laborTotals('0.00', '0.00', '0.00'),
} satisfies Job;

/** The API of one ticket: `answers` overrides procedures; the reads every panel makes answer with little. */
function ticketApi(ticket: Ticket, answers: Record<string, FakeHandler> = {}): FakeHandler {
  return (path, input, headers) => {
    if (answers[path]) return answers[path](path, input, headers);
    switch (path) {
      case 'serviceTickets.byId':
        return ticket;
      case 'customers.byId':
        return {
          id: ticket.customer_id,
          name: 'Ada Lovelace',
          email: 'ada@example.com',
          phone: '+44 20 7946 0000',
          address: '12 Analytical Row',
        };
      case 'mechanics.list':
        return page([{ id: 2, name: 'Sam Writer', role: 'service_writer' }]);
      case 'shop.settings':
        return { shop_name: 'Hopper Motors', currency: 'USD', labor_rate: '120.00' };
      case 'approvals.list':
      case 'audit.ticketHistory':
      case 'invoices.list':
        return page([]);
      default:
        throw new Error(`The test's API has no ${path}`);
    }
  };
}

const open = (ticket: Ticket, answers?: Record<string, FakeHandler>) =>
  renderSignedIn(<TicketScreen />, ticketApi(ticket, answers), { path: '/tickets/:id', at: `/tickets/${ticket.id}` });

const totalsTable = () => within(screen.getByRole('complementary')).getByRole('table');

describe('TicketScreen', () => {
  it("adds a labor line to a job and shows the money engine's new totals and tax at once", async () => {
    const ticket = aTicket({ id: 7, title: 'Brakes squeal', jobs: [brakes] });
    const added: unknown[] = [];
    await open(ticket, {
      'serviceTickets.addLine': (_, input) => {
        added.push(input);
        const line = { id: 31, type: 'labor', description: 'Replace pads', hours: '1.50', rate: '120.00', amount: '180.00', net: '180.00' };
        const totals = laborTotals('180.00', '4.50', '184.50');
        return { ...ticket, jobs: [{ ...brakes, lines: [line], totals }], totals, total: totals.total, estimate_version: 2 };
      },
    });
    expect(await screen.findByRole('heading', { level: 1, name: '#7 Brakes squeal' })).toBeDefined();
    await waitFor(() => expect(totalsTable().textContent).toMatch(/Total\s*\$0\.00/));

    await userEvent.click(screen.getByRole('button', { name: 'Add a line to Front brakes' }));
    await userEvent.type(screen.getByLabelText('Description'), 'Replace pads');
    await userEvent.type(screen.getByLabelText('Hours'), '1.50');
    expect(screen.getByLabelText('Rate per hour (shop rate 120.00 if blank)')).toBeDefined();
    await userEvent.click(screen.getByRole('button', { name: 'Add line' }));

    await waitFor(() => expect(totalsTable().textContent).toContain('$184.50'));
    expect(added).toEqual([{ id: 7, job_id: 11, type: 'labor', description: 'Replace pads', hours: '1.50' }]);
    expect(totalsTable().textContent).toMatch(/Tax on labor\s*\$4\.50/);
    expect(totalsTable().querySelector('caption')?.textContent).toBe('Estimate version 2');
    expect(within(screen.getByTestId('job-11')).getByRole('table').textContent).toContain('1.50 h × $120.00');
  });

  it("shows the API's field errors next to their fields", async () => {
    const ticket = aTicket({ id: 7, jobs: [brakes] });
    await open(ticket, {
      'serviceTickets.addLine': () => {
        throw new FakeProblem(400, 'validation_failed', 'hours: Expected hours above 0', [
          { field: 'hours', message: 'Expected hours above 0 with at most two decimals' },
        ]);
      },
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Add a line to Front brakes' }));
    await userEvent.type(screen.getByLabelText('Description'), 'Diagnose');
    await userEvent.type(screen.getByLabelText('Hours'), '0');
    await userEvent.click(screen.getByRole('button', { name: 'Add line' }));
    const hours = screen.getByLabelText('Hours');
    await waitFor(() => expect(hours.getAttribute('aria-invalid')).toBe('true'));
    const described = document.getElementById(hours.getAttribute('aria-describedby')!);
    expect(described?.textContent).toBe('Expected hours above 0 with at most two decimals');
  });

  it('sends an approval link and shows it with its QR code', async () => {
    const ticket = aTicket({ id: 7, jobs: [brakes] });
    const url = 'http://shop.test/app/approve/q3Xz2mC0bq9yV8Jr0Ck1dHn4Lw7Pe5Ts6Ua2Rf8Gi0';
    await open(ticket, {
      'approvalLinks.create': () => ({ url, token: 'q3Xz', expires_at: '2026-12-03T09:12:00.000Z', estimate_version: 1 }),
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Send approval link' }));
    expect((await screen.findByLabelText(/Approval link/)).getAttribute('value')).toBe(url);
    const qr = await screen.findByRole('img', { name: /QR code of the approval link/ });
    expect(qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
  });

  it("records the customer's decision given by phone, on the estimate version on screen", async () => {
    const wipers = { ...brakes, id: 12, title: 'Wiper blades' };
    const ticket = aTicket({ id: 7, jobs: [brakes, wipers], estimate_version: 4 });
    const recorded: unknown[] = [];
    await open(ticket, {
      'approvals.create': (_, input) => {
        recorded.push(input);
        return { id: 1 };
      },
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Record a decision given in person or by phone' }));
    const form = screen.getByRole('form', { name: "Record the customer's decision" });
    await userEvent.selectOptions(within(form).getByLabelText('Decision on Front brakes'), 'Approve');
    await userEvent.selectOptions(within(form).getByLabelText('Decision on Wiper blades'), 'Decline');
    await userEvent.type(within(form).getByLabelText('Reason (Wiper blades, optional)'), 'Next month');
    await userEvent.selectOptions(within(form).getByLabelText('How the customer told you'), 'By phone');
    await userEvent.type(within(form).getByLabelText("The customer's name, as they gave it"), 'Ada Lovelace');
    await userEvent.type(within(form).getByLabelText('Who you spoke to'), 'Ada Lovelace');
    await userEvent.type(within(form).getByLabelText('Number called'), '+44 20 7946 0000');
    await userEvent.click(within(form).getByRole('button', { name: 'Record the decision' }));
    await waitFor(() => expect(screen.queryByRole('form', { name: "Record the customer's decision" })).toBeNull());
    expect(recorded).toEqual([
      {
        id: 7,
        estimate_version: 4,
        decisions: [
          { job_id: 11, decision: 'approve' },
          { job_id: 12, decision: 'decline', reason: 'Next month' },
        ],
        signature_name: 'Ada Lovelace',
        method: 'phone',
        contact_name: 'Ada Lovelace',
        contact_phone: '+44 20 7946 0000',
      },
    ]);
  });

  it('invoices a completed ticket and takes a payment, which the SDK sends with an idempotency key', async () => {
    const ticket = aTicket({ id: 7, status: 'COMPLETED', total: '184.50' });
    const invoice = {
      number: 'INV-000001',
      service_ticket_id: 7,
      customer_id: 1,
      issued_at: '2026-11-30T10:00:00.000Z',
      totals: laborTotals('180.00', '4.50', '184.50'),
      paid: '0.00',
      balance: '184.50',
      status: 'unpaid',
      void_reason: null,
      payments: [],
    };
    let issued = false;
    const payments: Array<{ input: unknown; key: string | null }> = [];
    await open(ticket, {
      'invoices.list': () => page(issued ? [invoice] : []),
      'invoices.create': () => ((issued = true), invoice),
      'invoices.byNumber': () => invoice,
      'payments.create': (_, input, headers) => {
        payments.push({ input, key: headers.get('idempotency-key') });
        return { id: 1, invoice: { number: invoice.number, total: '184.50', paid: '100.00', balance: '84.50', status: 'partially_paid' } };
      },
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Issue the invoice' }));
    expect((await screen.findByTestId('invoice')).textContent).toContain('INV-000001');
    expect(screen.getByRole('button', { name: 'Download the invoice PDF' })).toBeDefined();

    const amount = screen.getByLabelText('Amount');
    expect(amount.getAttribute('value')).toBe('184.50');
    await userEvent.clear(amount);
    await userEvent.type(amount, '100.00');
    await userEvent.click(screen.getByRole('button', { name: 'Take payment' }));
    expect((await screen.findByText(/Payment recorded\./)).textContent).toBe('Payment recorded. Balance now $84.50.');
    expect(payments.map(({ input }) => input)).toEqual([{ number: 'INV-000001', amount: '100.00', method: 'card' }]);
    expect(payments[0]?.key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });
});
