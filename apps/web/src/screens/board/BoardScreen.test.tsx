import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import BoardScreen from './BoardScreen.tsx';
import type { Ticket } from './board-rules.ts';
import { aTicket, FakeProblem, renderSignedIn, type FakeHandler } from './fake-api.tsx';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const page = <Item,>(items: Item[]) => ({ items, page: 1, per_page: 100, total: items.length, pages: 1 });

/** A shop of two tickets, whose API moves them by the status rule and refuses other moves as the real one does. */
function shop() {
  const tickets: Ticket[] = [
    aTicket({
      id: 7,
      title: 'Brakes squeal',
      total: '222.03',
      mechanics: [{ id: 3, name: 'Tess Tech', assigned_at: '2026-11-30T09:00:00.000Z' }],
      jobs: [{ authorization: 'approved' }, { authorization: 'pending' }] as Ticket['jobs'],
    }),
    aTicket({ id: 8, title: 'Battery dead', status: 'IN_PROGRESS' }),
  ];
  const edits: unknown[] = [];
  const api: FakeHandler = (path, input) => {
    const args = input as Record<string, unknown>;
    switch (path) {
      case 'serviceTickets.list':
        return page(tickets.filter((ticket) => ticket.status === args.status));
      case 'customers.byId':
        return { id: args.id, name: 'Ada Lovelace', email: 'ada@example.com', phone: '+44 20 7946 0000', address: '12 Analytical Row' };
      case 'customers.list':
        return page([]);
      case 'mechanics.list':
        return page([{ id: 3, name: 'Tess Tech', role: 'technician' }]);
      case 'shop.settings':
        return { shop_name: 'Hopper Motors', currency: 'USD', labor_rate: '120.00' };
      case 'serviceTickets.edit': {
        edits.push(input);
        const ticket = tickets.find(({ id }) => id === args.id)!;
        if (ticket.status === 'PENDING' && args.status === 'COMPLETED')
          throw new FakeProblem(409, 'invalid_status_transition', 'A ticket cannot move to that status from its current one');
        ticket.status = args.status as Ticket['status'];
        return ticket;
      }
      default:
        throw new Error(`The test's API has no ${path}`);
    }
  };
  return { api, edits };
}

const column = (status: Ticket['status']) => screen.getByTestId(`board-column-${status}`);

describe('BoardScreen', () => {
  it('shows each ticket in its status column with its vehicle, customer, technicians, total and approval', async () => {
    await renderSignedIn(<BoardScreen />, shop().api);
    const card = await within(column('PENDING')).findByTestId('ticket-card-7');
    expect(within(card).getByRole('link', { name: '#7 Brakes squeal' }).getAttribute('href')).toBe('/tickets/7');
    expect(card.textContent).toContain('2003 Honda Accord · ACC 1');
    expect(await within(card).findByText('Ada Lovelace')).toBeDefined();
    expect(within(card).getByRole('list', { name: 'Technicians' }).textContent).toContain('TT');
    expect(card.textContent).toContain('$222.03');
    expect(card.textContent).toContain('1 awaiting approval; 1 approved');
    expect(await within(column('IN_PROGRESS')).findByTestId('ticket-card-8')).toBeDefined();
  });

  it('moves a card with its "Move to…" select, and shows it in its new column', async () => {
    const { api, edits } = shop();
    await renderSignedIn(<BoardScreen />, api);
    const card = await screen.findByTestId('ticket-card-7');
    await userEvent.selectOptions(within(card).getByLabelText(/Move to…/), 'In progress');
    await waitFor(() => expect(within(column('IN_PROGRESS')).queryByTestId('ticket-card-7')).not.toBeNull());
    expect(edits).toEqual([{ id: 7, status: 'IN_PROGRESS' }]);
    expect(screen.getByText('Ticket #7 moved to In progress.')).toBeDefined();
  });

  it("sends a dragged card's move to the API, and says in plain words why it refuses one", async () => {
    const { api, edits } = shop();
    await renderSignedIn(<BoardScreen />, api);
    const card = await screen.findByTestId('ticket-card-7');
    const dataTransfer = { setData: vi.fn(), effectAllowed: '', dropEffect: '' };
    fireEvent.dragStart(card, { dataTransfer });
    fireEvent.dragOver(column('COMPLETED'), { dataTransfer });
    fireEvent.drop(column('COMPLETED'), { dataTransfer });
    expect((await screen.findByRole('alert')).textContent).toMatch(/cannot move to that status/i);
    expect(edits).toEqual([{ id: 7, status: 'COMPLETED' }]);
    expect(within(column('PENDING')).getByTestId('ticket-card-7')).toBeDefined();
  });
});
