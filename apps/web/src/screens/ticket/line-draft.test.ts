import { describe, expect, it } from 'vitest';
import { draftOf, emptyDraft, lineChanges, newLineInput, type Line } from './line-draft.ts';

const labor: Line = {
  id: 5,
  type: 'labor',
  description: 'Replace front pads',
  hours: '1.50',
  rate: '120.00',
  technician_id: 3,
  inventory_id: null,
  part_name: null,
  quantity: null,
  unit_price: null,
  cost: null,
  taxable: true,
  discount: { percent: '10.000' },
  amount: '180.00',
  discount_amount: '18.00',
  net: '162.00',
};

const part: Line = {
  ...labor,
  id: 6,
  type: 'part',
  description: '',
  hours: null,
  rate: null,
  technician_id: null,
  inventory_id: 4,
  part_name: 'Brake pad set',
  quantity: 2,
  unit_price: '49.90',
  discount: null,
  amount: '99.80',
  discount_amount: '0.00',
  net: '99.80',
};

describe('newLineInput', () => {
  it('sends the fields of the line type that are filled in, as the API takes them', () => {
    const draft = { ...emptyDraft('labor'), description: ' Diagnose ', hours: '1.25', technician_id: '3', amount: '9.99' };
    expect(newLineInput(draft)).toEqual({ type: 'labor', description: 'Diagnose', hours: '1.25', technician_id: 3 });
  });

  it('leaves out a blank required field, for the API to name next to it', () => {
    expect(newLineInput({ ...emptyDraft('fee'), description: 'Disposal' })).toEqual({ type: 'fee', description: 'Disposal' });
  });

  it('takes a part from the inventory with its quantity, untaxed or discounted when said', () => {
    const draft = {
      ...emptyDraft('part'),
      inventory_id: 4,
      quantity: '3',
      taxable: false,
      discount_kind: 'amount' as const,
      discount_value: '5.00',
    };
    expect(newLineInput(draft)).toEqual({ type: 'part', inventory_id: 4, quantity: 3, taxable: false, discount: { amount: '5.00' } });
  });

  it('sends no discount when its value is blank', () => {
    expect(newLineInput({ ...emptyDraft('sublet'), description: 'Alignment', amount: '89.00', discount_kind: 'percent' })).toEqual({
      type: 'sublet',
      description: 'Alignment',
      amount: '89.00',
    });
  });
});

describe('lineChanges', () => {
  it('is empty for a line left as it was', () => {
    expect(lineChanges(labor, draftOf(labor))).toEqual({});
    expect(lineChanges(part, draftOf(part))).toEqual({});
  });

  it('sends only what changed', () => {
    expect(lineChanges(labor, { ...draftOf(labor), hours: '2.00' })).toEqual({ hours: '2.00' });
    expect(lineChanges(part, { ...draftOf(part), quantity: '5', inventory_id: 7 })).toEqual({ quantity: 5, inventory_id: 7 });
    expect(lineChanges(labor, { ...draftOf(labor), taxable: false })).toEqual({ taxable: false });
  });

  it('takes a discount off with null, and changes its kind', () => {
    expect(lineChanges(labor, { ...draftOf(labor), discount_kind: 'none' })).toEqual({ discount: null });
    expect(lineChanges(labor, { ...draftOf(labor), discount_kind: 'amount', discount_value: '20.00' })).toEqual({
      discount: { amount: '20.00' },
    });
    expect(lineChanges(part, { ...draftOf(part), discount_kind: 'percent', discount_value: '5' })).toEqual({ discount: { percent: '5' } });
  });

  it('may empty a description', () => {
    expect(lineChanges(labor, { ...draftOf(labor), description: '  ' })).toEqual({ description: '' });
  });
});
