import { describe, expect, it } from 'vitest';
import { actionText, describeChanges } from './history-text.ts';

const money = (amount: string) => `$${amount}`;
const pads = { id: 1, type: 'labor' as const, description: 'Replace front pads', net: '162.00' };
const part = { id: 2, type: 'part' as const, description: '', part_name: 'Brake pad set', net: '99.80' };

describe('describeChanges', () => {
  it('says a field that changed, its money as money', () => {
    expect(
      describeChanges(
        {
          status: { before: 'PENDING', after: 'IN_PROGRESS' },
          total: { before: '189.80', after: '279.48' },
          reference: { before: null, after: 'ch_1' },
        },
        money,
      ),
    ).toEqual(['status: PENDING → IN_PROGRESS', 'total: $189.80 → $279.48', 'reference: — → ch_1']);
  });

  it('says each line added, removed or changed on a job, and leaves the derived figures out', () => {
    const changes = {
      'jobs.9.lines': { before: [pads], after: [{ ...pads, net: '180.00' }, part] },
      'jobs.9.totals': { before: { total: '162.00' }, after: { total: '279.48' } },
      estimate_version: { before: 4, after: 5 },
    };
    expect(describeChanges(changes, money)).toEqual([
      'Line added: Part, Brake pad set, $99.80',
      'Line changed: Labor, Replace front pads, $162.00 → Labor, Replace front pads, $180.00',
    ]);
    expect(describeChanges({ 'jobs.9.lines': { before: [pads, part], after: [pads] } }, money)).toEqual([
      'Line removed: Part, Brake pad set, $99.80',
    ]);
  });

  it('says a job added or deleted by its title, and any other structure as changed', () => {
    expect(describeChanges({ 'jobs.7': { before: null, after: { id: 7, title: 'Front brakes', lines: [] } } }, money)).toEqual([
      'Job added: Front brakes',
    ]);
    expect(describeChanges({ 'jobs.7': { before: { title: 'Wipers' }, after: null } }, money)).toEqual(['Job deleted: Wipers']);
    expect(describeChanges({ 'tax_rates.parts': { before: { a: 1 }, after: { a: 2 } } }, money)).toEqual(['tax rates parts changed']);
  });
});

describe('actionText', () => {
  it('says an audit action in words', () => {
    expect(actionText('ticket.status_changed')).toBe('Ticket status changed');
  });
});
