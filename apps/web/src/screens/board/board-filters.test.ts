import { describe, expect, it } from 'vitest';
import { matchesFilters, NO_FILTERS } from './board-filters.ts';
import type { Ticket } from './board-rules.ts';

const ticket = {
  id: 12,
  title: 'Brakes squeal',
  vin: '1HGCM82633A004352',
  vehicle: { id: 4, vin: '1HGCM82633A004352', plate: 'ACC 1', year: 2003, make: 'Honda', model: 'Accord' },
  mechanics: [{ id: 3, name: 'Tess Tech', assigned_at: '2026-11-30T09:00:00.000Z' }],
  jobs: [{ authorization: 'approved' }, { authorization: 'declined' }],
} as Ticket;

describe('matchesFilters', () => {
  it('shows every card without filters', () => {
    expect(matchesFilters(ticket, NO_FILTERS)).toBe(true);
  });

  it('keeps the cards of the technician chosen', () => {
    expect(matchesFilters(ticket, { ...NO_FILTERS, technicianId: '3' })).toBe(true);
    expect(matchesFilters(ticket, { ...NO_FILTERS, technicianId: '4' })).toBe(false);
  });

  it('filters by what the customer decided', () => {
    expect(matchesFilters(ticket, { ...NO_FILTERS, approval: 'declined' })).toBe(true);
    expect(matchesFilters(ticket, { ...NO_FILTERS, approval: 'approved' })).toBe(false);
    expect(matchesFilters(ticket, { ...NO_FILTERS, approval: 'awaiting' })).toBe(false);
    expect(matchesFilters({ ...ticket, jobs: [] }, { ...NO_FILTERS, approval: 'none' })).toBe(true);
  });

  it('finds text in the number, title, vehicle, plate or VIN, in any case', () => {
    for (const text of ['#12', 'squeal', 'honda accord', 'acc 1', '3a004352'])
      expect(matchesFilters(ticket, { ...NO_FILTERS, text })).toBe(true);
    expect(matchesFilters(ticket, { ...NO_FILTERS, text: 'toyota' })).toBe(false);
  });
});
