import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { aTicket, FakeProblem, renderSignedIn, type FakeHandler } from '../board/fake-api.tsx';
import type { Ticket } from '../board/board-rules.ts';
import TechnicianScreen from './TechnicianScreen.tsx';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

type Job = Ticket['jobs'][number];
type Line = Job['lines'][number];

const ZERO = { labor: '0.00', parts: '0.00', fees: '0.00', sublet: '0.00' };

function aJob(fields: Partial<Job> & Pick<Job, 'id' | 'title'>): Job {
  return {
    concern: '',
    cause: '',
    correction: '',
    pay_type: 'customer',
    authorization: 'approved',
    decided_at: null,
    approval_id: null,
    decline_reason: null,
    follow_up_on: null,
    revived_at: null,
    lines: [],
    totals: { ...ZERO, discounts: '0.00', shop_supplies: '0.00', tax: { ...ZERO, total: '0.00' }, subtotal: '0.00', total: '0.00' },
    ...fields,
  };
}

function aLine(fields: Partial<Line> & Pick<Line, 'id' | 'type' | 'description'>): Line {
  return {
    hours: null,
    rate: null,
    technician_id: null,
    inventory_id: null,
    part_name: null,
    quantity: null,
    unit_price: null,
    taxable: true,
    discount: null,
    amount: '0.00',
    discount_amount: '0.00',
    net: '0.00',
    ...fields,
  };
}

const PARTS = [
  { id: 4, part_name: 'Brake pad set', description: '', price: '49.90', quantity: 3, reorder_point: 1 },
  { id: 5, part_name: 'Brake disc', description: '', price: '80.00', quantity: 0, reorder_point: 1 },
];

/** The technician (id 2, as renderSignedIn signs in) has ticket 7 with two jobs, the second declined, in a shop with two parts. */
function bay() {
  const ticket = aTicket({
    id: 7,
    title: 'Brakes squeal',
    status: 'IN_PROGRESS',
    jobs: [
      aJob({ id: 11, title: 'Front brakes', concern: 'Squeal when stopping' }),
      aJob({ id: 12, title: 'Wipers', authorization: 'declined' }),
    ],
  });
  const writes: Array<[string, unknown]> = [];
  let nextLine = 100;
  const api: FakeHandler = (path, input) => {
    const args = input as Record<string, unknown>;
    switch (path) {
      case 'assignments.list':
        return {
          items: [{ service_ticket_id: 7, mechanic_id: args.mechanic_id, assigned_at: '2026-11-30T08:00:00.000Z' }],
          page: 1,
          per_page: 8,
          total: 1,
          pages: 1,
        };
      case 'serviceTickets.byId':
        return ticket;
      case 'inventory.list':
        return {
          items: PARTS.filter((part) => part.part_name.toLowerCase().includes(String(args.q).toLowerCase())),
          page: 1,
          per_page: 6,
          total: 2,
          pages: 1,
        };
      case 'serviceTickets.editJob':
        writes.push([path, input]);
        Object.assign(ticket.jobs[0]!, { cause: args.cause, correction: args.correction });
        return ticket;
      case 'serviceTickets.addLine': {
        writes.push([path, input]);
        if (args.type === 'part' && Number(args.quantity) > 3)
          throw new FakeProblem(409, 'insufficient_stock', 'Not enough of that part in stock');
        const line =
          args.type === 'labor'
            ? aLine({ id: nextLine++, type: 'labor', description: String(args.description), hours: Number(args.hours).toFixed(2) })
            : aLine({ id: nextLine++, type: 'part', description: '', part_name: 'Brake pad set', quantity: Number(args.quantity) });
        ticket.jobs[0] = { ...ticket.jobs[0]!, authorization: 'pending', lines: [...ticket.jobs[0]!.lines, line] };
        return structuredClone(ticket);
      }
      default:
        throw new Error(`The test's API has no ${path}`);
    }
  };
  return { api, writes };
}

const job = async (title: string) =>
  within((await screen.findByRole('heading', { level: 3, name: new RegExp(title) })).closest('article')!);

describe('TechnicianScreen', () => {
  it("lists the technician's tickets and opens the first: its jobs to do (declined ones left out) with their concern", async () => {
    await renderSignedIn(<TechnicianScreen />, bay().api, { role: 'technician' });
    expect(await screen.findByRole('button', { name: /#7 Brakes squeal/, pressed: true })).toBeTruthy();
    expect(screen.getByRole('heading', { level: 2, name: '#7 Brakes squeal' })).toBeTruthy();
    const brakes = await job('Front brakes');
    expect(brakes.getByText('Squeal when stopping')).toBeTruthy();
    expect(screen.queryByRole('heading', { level: 3, name: /Wipers/ })).toBeNull();
  });

  it('saves the cause and correction of a job', async () => {
    const { api, writes } = bay();
    await renderSignedIn(<TechnicianScreen />, api, { role: 'technician' });
    const brakes = await job('Front brakes');
    await userEvent.type(brakes.getByLabelText('Cause (Front brakes)'), 'Pads worn to 2 mm');
    await userEvent.type(brakes.getByLabelText('Correction (Front brakes)'), 'Replaced pads');
    await userEvent.click(brakes.getByRole('button', { name: 'Save notes' }));
    await brakes.findByText('Notes saved.');
    expect(writes).toEqual([['serviceTickets.editJob', { id: 7, job_id: 11, cause: 'Pads worn to 2 mm', correction: 'Replaced pads' }]]);
  });

  it('adds hours in the signed-in technician’s name, and shows them on the job', async () => {
    const { api, writes } = bay();
    await renderSignedIn(<TechnicianScreen />, api, { role: 'technician' });
    const brakes = await job('Front brakes');
    const form = within(brakes.getByRole('form', { name: 'Add hours to Front brakes' }));
    await userEvent.type(form.getByLabelText('Work done'), 'Replace front pads');
    await userEvent.type(form.getByLabelText('Hours'), '1.5');
    await userEvent.click(form.getByRole('button', { name: 'Add hours' }));
    await form.findByText('Hours added.');
    expect(writes).toEqual([
      ['serviceTickets.addLine', { id: 7, job_id: 11, type: 'labor', description: 'Replace front pads', hours: '1.5', technician_id: 2 }],
    ]);
    const row = within(brakes.getByRole('table', { name: 'Work and parts on Front brakes' })).getByRole('row', {
      name: /Replace front pads/,
    });
    expect(row.textContent).toContain('1.50 h');
    // The job changed price: pending again, as the API answered.
    expect((await job('Front brakes')).getByText('Awaiting approval')).toBeTruthy();
  });

  it('finds parts with their stock, takes an out-of-stock one off the choice, and shows a refusal in plain words', async () => {
    const { api, writes } = bay();
    await renderSignedIn(<TechnicianScreen />, api, { role: 'technician' });
    const brakes = await job('Front brakes');
    const form = within(brakes.getByRole('form', { name: 'Add a part to Front brakes' }));
    await userEvent.type(form.getByLabelText(/Search parts/), 'brake');
    const pads = await form.findByRole('radio', { name: /Brake pad set \(3 in stock\)/ });
    expect(form.getByRole<HTMLInputElement>('radio', { name: /Brake disc \(out of stock\)/ }).disabled).toBe(true);
    await userEvent.click(pads);
    const quantity = form.getByLabelText('Quantity');
    await userEvent.clear(quantity);
    await userEvent.type(quantity, '5');
    await userEvent.click(form.getByRole('button', { name: 'Add part' }));
    expect((await form.findByRole('alert')).textContent).toBe('Not enough of that part in stock');

    await userEvent.clear(quantity);
    await userEvent.type(quantity, '2');
    await userEvent.click(form.getByRole('button', { name: 'Add part' }));
    await form.findByText('Part added.');
    expect(writes.at(-1)).toEqual(['serviceTickets.addLine', { id: 7, job_id: 11, type: 'part', inventory_id: 4, quantity: 2 }]);
    await waitFor(() => expect(brakes.getByRole('row', { name: /Brake pad set/ }).textContent).toContain('× 2'));
  });
});
