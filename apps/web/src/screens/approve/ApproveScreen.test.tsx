import { cleanup, render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { TRPCClientError } from '@trpc/client';
import { MemoryRouter, Route, Routes } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiProvider } from '../../api.ts';
import { fakeApiFetch, FakeProblem, type FakeHandler } from '../board/fake-api.tsx';
import ApproveScreen from './ApproveScreen.tsx';
import { DecisionForm } from './DecisionForm.tsx';
import type { EstimateJob, EstimateTotals } from './decisions.ts';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const zero = { labor: '0.00', parts: '0.00', fees: '0.00', sublet: '0.00' };

function totalsOf(parts: string, total: string): EstimateTotals {
  return { ...zero, parts, discounts: '0.00', shop_supplies: '0.00', tax: { ...zero, total: '0.00' }, subtotal: total, total };
}

function job(id: number, title: string, amount: string): EstimateJob {
  return {
    id,
    title,
    concern: '',
    authorization: 'pending',
    decided_at: null,
    decline_reason: null,
    lines: [
      {
        type: 'part',
        description: '',
        hours: null,
        rate: null,
        part_name: `${title} kit`,
        quantity: 1,
        unit_price: amount,
        taxable: false,
        discount: null,
        amount,
        discount_amount: '0.00',
        net: amount,
      },
    ],
    totals: totalsOf(amount, amount),
  };
}

const view = {
  shop_name: 'Hopper Motors',
  currency: 'EUR',
  vehicle: { year: 2003, make: 'Honda', model: 'Accord' },
  jobs: [job(11, 'Front brakes', '219.80'), job(12, 'Timing belt', '640.00')],
  totals: totalsOf('859.80', '859.80'),
  estimate_version: 3,
  expires_at: '2026-12-03T09:12:00.000Z',
};

/** The approval page at /approve/tok on the app's own providers, its API answering from `handler` (no sign-in). */
function openLink(handler: FakeHandler) {
  vi.stubGlobal('fetch', fakeApiFetch(handler));
  render(
    <ApiProvider>
      <MemoryRouter initialEntries={['/approve/tok']}>
        <Routes>
          <Route path="/approve/:token" element={<ApproveScreen />} />
        </Routes>
      </MemoryRouter>
    </ApiProvider>,
  );
}

describe('ApproveScreen', () => {
  it('shows the vehicle, the jobs and the totals in the currency the link names, and records one decision per job', async () => {
    const sent: unknown[] = [];
    const decided = {
      ...view,
      jobs: [
        { ...view.jobs[0]!, authorization: 'approved' },
        { ...view.jobs[1]!, authorization: 'declined' },
      ],
    };
    let recorded = false;
    openLink((path, input) => {
      if (path === 'approvalLinks.view') return recorded ? decided : view;
      expect(path).toBe('approvalLinks.approve');
      sent.push(input);
      recorded = true;
      return {
        signature_name: 'Ada Lovelace',
        approved_amount: '219.80',
        decisions: [
          { job_id: 11, job_title: 'Front brakes', decision: 'approve', reason: null, amount: '219.80' },
          { job_id: 12, job_title: 'Timing belt', decision: 'decline', reason: 'Next month', amount: '640.00' },
        ],
      };
    });
    const user = userEvent.setup();

    expect(await screen.findByRole('heading', { level: 1, name: 'Hopper Motors: your estimate' })).toBeTruthy();
    expect(screen.getByText('2003 Honda Accord')).toBeTruthy();
    expect(screen.getAllByText('€859.80').length).toBeGreaterThan(0);

    await user.click(within(screen.getByRole('radiogroup', { name: 'Your decision on Front brakes' })).getByLabelText('Approve'));
    await user.click(within(screen.getByRole('radiogroup', { name: 'Your decision on Timing belt' })).getByLabelText('Decline'));
    await user.type(screen.getByLabelText('Why are you declining? (optional)'), 'Next month');
    await user.type(screen.getByLabelText('Your full name, as your signature'), 'Ada Lovelace');
    await user.click(screen.getByRole('button', { name: 'Send my decisions' }));

    expect(await screen.findByText('Thank you, Ada Lovelace: your decisions are recorded')).toBeTruthy();
    expect(sent).toEqual([
      {
        token: 'tok',
        signature_name: 'Ada Lovelace',
        decisions: [
          { job_id: 11, decision: 'approve' },
          { job_id: 12, decision: 'decline', reason: 'Next month' },
        ],
      },
    ]);
  });

  it('says plainly that an expired link has expired, and shows no form', async () => {
    openLink(() => {
      throw new FakeProblem(410, 'link_expired', 'That approval link has expired or was replaced');
    });
    expect(await screen.findByRole('heading', { name: 'This link has expired' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Send my decisions' })).toBeNull();
  });

  it('reloads after a changed estimate, which the link no longer covers, and says so', async () => {
    let changed = false;
    openLink((path) => {
      if (changed) throw new FakeProblem(409, 'estimate_changed', 'The estimate changed since this link was sent');
      if (path === 'approvalLinks.view') return view;
      changed = true;
      throw new FakeProblem(409, 'estimate_changed', 'The estimate changed since this link was sent');
    });
    const user = userEvent.setup();
    await user.click(within(await screen.findByRole('radiogroup', { name: 'Your decision on Front brakes' })).getByLabelText('Approve'));
    await user.type(screen.getByLabelText('Your full name, as your signature'), 'Ada Lovelace');
    await user.click(screen.getByRole('button', { name: 'Send my decisions' }));

    expect(await screen.findByRole('heading', { name: 'The estimate has changed' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Send my decisions' })).toBeNull();
  });
});

describe('DecisionForm', () => {
  const jobs = view.jobs;

  it('asks for a decision before sending anything', async () => {
    const onSubmit = vi.fn(async () => undefined);
    vi.stubGlobal(
      'fetch',
      fakeApiFetch(() => ({})),
    );
    render(
      <ApiProvider>
        <DecisionForm jobs={jobs} totals={view.totals} onSubmit={onSubmit} />
      </ApiProvider>,
    );
    await userEvent.setup().click(screen.getByRole('button', { name: 'Send my decisions' }));
    expect(screen.getByRole('alert').textContent).toMatch(/at least one job/);
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it("shows the API's field errors next to their fields: the signature, and a decline's reason by its decision", async () => {
    const refusal = new TRPCClientError('Invalid input', {
      result: {
        error: {
          code: -32600,
          message: 'Invalid input',
          data: {
            code: 'BAD_REQUEST',
            httpStatus: 400,
            reason: 'validation_failed',
            fields: [
              { field: 'signature_name', message: 'Too small: expected string to have >=1 characters' },
              { field: 'decisions.0.reason', message: 'Too big: expected string to have <=500 characters' },
            ],
          },
        },
      },
    });
    vi.stubGlobal(
      'fetch',
      fakeApiFetch(() => ({})),
    );
    render(
      <ApiProvider>
        <DecisionForm jobs={jobs} totals={view.totals} onSubmit={() => Promise.reject(refusal)} />
      </ApiProvider>,
    );
    const user = userEvent.setup();
    await user.click(within(screen.getByRole('radiogroup', { name: 'Your decision on Timing belt' })).getByLabelText('Decline'));
    await user.type(screen.getByLabelText('Why are you declining? (optional)'), 'Too dear');
    await user.click(screen.getByRole('button', { name: 'Send my decisions' }));

    const reason = screen.getByLabelText('Why are you declining? (optional)');
    expect(await screen.findByText('Too big: expected string to have <=500 characters')).toBeTruthy();
    expect(reason.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(reason.getAttribute('aria-describedby')!)?.textContent).toMatch(/<=500/);
    expect(screen.getByLabelText('Your full name, as your signature').getAttribute('aria-invalid')).toBe('true');
  });
});
