import { cleanup, render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiProvider } from '../../api.ts';
import { aTicket, fakeApiFetch, FakeProblem, type FakeHandler } from '../board/fake-api.tsx';
import type { Ticket } from '../board/board-rules.ts';
import TicketDetail from './TicketDetail.tsx';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const zero = { labor: '0.00', parts: '0.00', fees: '0.00', sublet: '0.00' };
const totalsOf = (total: string) => ({
  ...zero,
  labor: total,
  discounts: '0.00',
  shop_supplies: '0.00',
  tax: { ...zero, total: '0.00' },
  subtotal: total,
  total,
});

function brakesAt(price: string, version: number): Ticket {
  const job = {
    id: 11,
    title: 'Front brakes',
    concern: 'Squeal',
    cause: '',
    correction: '',
    pay_type: 'customer' as const,
    authorization: 'pending' as const,
    decided_at: null,
    approval_id: null,
    decline_reason: null,
    follow_up_on: null,
    revived_at: null,
    lines: [],
    totals: totalsOf(price),
  };
  return aTicket({ id: 7, title: 'Brakes squeal', jobs: [job], totals: totalsOf(price), total: price, estimate_version: version });
}

function openTicket(handler: FakeHandler) {
  vi.stubGlobal('fetch', fakeApiFetch(handler));
  render(
    <ApiProvider>
      <MemoryRouter initialEntries={['/portal/tickets/7']}>
        <Routes>
          <Route path="/portal/tickets/:id" element={<TicketDetail />} />
        </Routes>
      </MemoryRouter>
    </ApiProvider>,
  );
}

describe('TicketDetail (portal)', () => {
  it('on a changed estimate, shows the new figures, says why nothing was recorded, and sends the new version next time', async () => {
    let ticket = brakesAt('120.00', 3);
    const approvals: Array<Record<string, unknown>> = [];
    openTicket((path, input) => {
      switch (path) {
        case 'serviceTickets.byId':
          return ticket;
        case 'audit.ticketHistory':
          return { items: [], page: 1, per_page: 10, total: 0, pages: 0 };
        case 'approvals.create': {
          const approval = input as Record<string, unknown>;
          approvals.push(approval);
          if (approval.estimate_version !== ticket.estimate_version)
            throw new FakeProblem(409, 'estimate_changed', 'The estimate changed since that version; review the current one');
          return { signature_name: 'Ada Lovelace', approved_amount: ticket.total, decisions: [] };
        }
        default:
          throw new Error(`The test's API has no ${path}`);
      }
    });
    const user = userEvent.setup();
    expect(await screen.findByRole('heading', { level: 1, name: 'Brakes squeal' })).toBeTruthy();

    // The shop re-prices the job while the customer reads.
    ticket = brakesAt('150.00', 4);
    await user.click(within(screen.getByRole('radiogroup', { name: 'Your decision on Front brakes' })).getByLabelText('Approve'));
    await user.type(screen.getByLabelText('Your full name, as your signature'), 'Ada Lovelace');
    await user.click(screen.getByRole('button', { name: 'Send my decisions' }));

    expect((await screen.findByRole('alert')).textContent).toMatch(/changed the estimate while you were reading it/);
    expect(screen.getAllByText('150.00').length).toBeGreaterThan(0);
    expect(screen.queryByText('120.00')).toBeNull();

    await user.click(within(screen.getByRole('radiogroup', { name: 'Your decision on Front brakes' })).getByLabelText('Approve'));
    await user.type(screen.getByLabelText('Your full name, as your signature'), 'Ada Lovelace');
    await user.click(screen.getByRole('button', { name: 'Send my decisions' }));

    expect(await screen.findByText(/your decisions are recorded/)).toBeTruthy();
    expect(approvals.map((approval) => [approval.estimate_version, approval.method])).toEqual([
      [3, 'portal'],
      [4, 'portal'],
    ]);
  });
});
