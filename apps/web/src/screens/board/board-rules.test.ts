import { describe, expect, it } from 'vitest';
import { approvalState, BOARD_COLUMNS, statusMoves, vehicleLabel, type Job } from './board-rules.ts';

const jobs = (...authorizations: Job['authorization'][]) => authorizations.map((authorization) => ({ authorization }));

describe('statusMoves', () => {
  it('offers the moves of the status rule for a ticket without jobs', () => {
    expect(statusMoves({ status: 'PENDING', jobs: [] })).toEqual(['IN_PROGRESS', 'CANCELLED']);
    expect(statusMoves({ status: 'IN_PROGRESS', jobs: [] })).toEqual(['PENDING', 'COMPLETED', 'CANCELLED']);
    expect(statusMoves({ status: 'CANCELLED', jobs: [] })).toEqual(['PENDING']);
  });

  it('offers nothing for a completed ticket: it is final', () => {
    expect(statusMoves({ status: 'COMPLETED', jobs: [] })).toEqual([]);
  });

  it('starts work on a ticket with jobs only once one is approved', () => {
    const pending = { status: 'PENDING' as const, jobs: jobs('pending', 'declined') as Job[] };
    expect(statusMoves(pending)).toEqual(['CANCELLED']);
    expect(statusMoves({ ...pending, jobs: jobs('pending', 'approved') as Job[] })).toEqual(['IN_PROGRESS', 'CANCELLED']);
  });

  it('never offers the status a ticket is in, and only statuses the board shows', () => {
    for (const status of BOARD_COLUMNS) {
      const moves = statusMoves({ status, jobs: [] });
      expect(moves).not.toContain(status);
      for (const move of moves) expect(BOARD_COLUMNS).toContain(move);
    }
  });
});

describe('approvalState', () => {
  it('counts the decisions and says them in words', () => {
    expect(approvalState([])).toEqual({ approved: 0, declined: 0, pending: 0, label: 'No estimate yet' });
    expect(approvalState(jobs('pending', 'pending')).label).toBe('Awaiting approval');
    expect(approvalState(jobs('approved', 'pending', 'declined'))).toEqual({
      approved: 1,
      declined: 1,
      pending: 1,
      label: '1 awaiting approval; 1 approved, 1 declined',
    });
    expect(approvalState(jobs('approved', 'approved')).label).toBe('2 approved');
    expect(approvalState(jobs('declined')).label).toBe('1 declined');
  });
});

describe('vehicleLabel', () => {
  it('names the vehicle by year, make and model, marked by its plate, else its VIN', () => {
    const vehicle = { id: 1, year: 2003, make: 'Honda', model: 'Accord', plate: 'ACC 1', vin: '1HGCM82633A004352' };
    expect(vehicleLabel(vehicle)).toBe('2003 Honda Accord · ACC 1');
    expect(vehicleLabel({ ...vehicle, plate: null })).toBe('2003 Honda Accord · 1HGCM82633A004352');
    expect(vehicleLabel({ ...vehicle, year: null, make: null, model: null, plate: null, vin: null })).toBe('Vehicle');
  });
});
