import { describe, expect, it } from 'vitest';
import { decisionsToSend, flatCharge, initialChoices, lineLabel, reasonErrorOf, type EstimateJob, type EstimateLine } from './decisions.ts';

const totals = {
  labor: '0.00',
  parts: '0.00',
  fees: '0.00',
  sublet: '0.00',
  discounts: '0.00',
  shop_supplies: '0.00',
  tax: { labor: '0.00', parts: '0.00', fees: '0.00', sublet: '0.00', total: '0.00' },
  subtotal: '0.00',
  total: '0.00',
};

function job(id: number, authorization: EstimateJob['authorization'], decline_reason: string | null = null): EstimateJob {
  return { id, title: `Job ${id}`, concern: '', authorization, decided_at: null, decline_reason, lines: [], totals };
}

describe('initialChoices', () => {
  it('starts from what is recorded: approved and declined jobs keep their decision, pending ones have none', () => {
    expect(initialChoices([job(1, 'pending'), job(2, 'approved'), job(3, 'declined', 'Next month'), job(4, 'declined')])).toEqual({
      2: { decision: 'approve', reason: '' },
      3: { decision: 'decline', reason: 'Next month' },
      4: { decision: 'decline', reason: '' },
    });
  });
});

describe('decisionsToSend', () => {
  const jobs = [job(1, 'pending'), job(2, 'approved'), job(3, 'declined', 'Too dear')];

  it('sends nothing while nothing differs from what is recorded', () => {
    expect(decisionsToSend(jobs, initialChoices(jobs))).toEqual([]);
  });

  it('sends the new decisions and the changed ones, in the order of the jobs, a reason only with a decline', () => {
    const choices = {
      ...initialChoices(jobs),
      3: { decision: 'approve' as const, reason: 'Too dear' },
      1: { decision: 'decline' as const, reason: '  Next month ' },
    };
    expect(decisionsToSend(jobs, choices)).toEqual([
      { job_id: 1, decision: 'decline', reason: 'Next month' },
      { job_id: 3, decision: 'approve' },
    ]);
  });

  it('sends a decline again when only its reason changed, and leaves a blank reason out', () => {
    expect(decisionsToSend(jobs, { 3: { decision: 'decline', reason: 'Next spring' } })).toEqual([
      { job_id: 3, decision: 'decline', reason: 'Next spring' },
    ]);
    expect(decisionsToSend([job(5, 'pending')], { 5: { decision: 'decline', reason: '   ' } })).toEqual([
      { job_id: 5, decision: 'decline' },
    ]);
  });
});

describe('reasonErrorOf', () => {
  it("finds a job's reason error by the index of its decision in what was sent", () => {
    const sent = [
      { job_id: 7, decision: 'approve' as const },
      { job_id: 9, decision: 'decline' as const, reason: 'x'.repeat(600) },
    ];
    const errors = { 'decisions.1.reason': 'Too long' };
    expect(reasonErrorOf(9, sent, errors)).toBe('Too long');
    expect(reasonErrorOf(7, sent, errors)).toBeUndefined();
    expect(reasonErrorOf(8, sent, errors)).toBeUndefined();
  });
});

describe('lineLabel', () => {
  const line: EstimateLine = {
    type: 'labor',
    description: '',
    hours: '1.50',
    rate: '100.00',
    part_name: null,
    quantity: null,
    unit_price: null,
    taxable: true,
    discount: null,
    amount: '150.00',
    discount_amount: '0.00',
    net: '150.00',
  };

  it("names a part by the part's name, other lines by their description", () => {
    expect(lineLabel({ ...line, type: 'part', part_name: 'Brake pad set', description: '' })).toBe('Brake pad set');
    expect(lineLabel({ ...line, type: 'fee', description: 'Disposal' })).toBe('Disposal');
    expect(lineLabel({ ...line, description: 'Replace pads' })).toBe('Replace pads');
    expect(lineLabel(line)).toBe('Labor');
  });
});

const tax = { labor: '0.00', parts: '8.08', fees: '2.88', sublet: '0.00', total: '10.96' };

describe('flatCharge', () => {
  it("is the part of the subtotal no category holds: the README's worked example has 15.00", () => {
    const totals = {
      labor: '292.49',
      parts: '91.00',
      fees: '7.50',
      sublet: '89.00',
      discounts: '12.50',
      shop_supplies: '25.00',
      tax,
      subtotal: '519.99',
      total: '530.95',
    };
    expect(flatCharge(totals)).toBe('15.00');
  });

  it('is 0.00 for a job, exact in cents where floats would drift', () => {
    const totals = {
      labor: '0.10',
      parts: '0.20',
      fees: '0.00',
      sublet: '0.00',
      discounts: '0.00',
      shop_supplies: '0.00',
      tax,
      subtotal: '0.30',
      total: '0.30',
    };
    expect(flatCharge(totals)).toBe('0.00');
  });
});
