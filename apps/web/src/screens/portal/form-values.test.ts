import { describe, expect, it } from 'vitest';
import { today, wholeNumber, withoutBlanks } from './form-values.ts';

describe('withoutBlanks', () => {
  it('leaves blank fields out and trims the others', () => {
    expect(withoutBlanks({ vin: ' 1hgcm82633a004352 ', plate: '', make: '  ' })).toEqual({ vin: '1hgcm82633a004352' });
  });
});

describe('wholeNumber', () => {
  it('is undefined when blank, the number otherwise (NaN for the API to refuse by name)', () => {
    expect(wholeNumber('  ')).toBeUndefined();
    expect(wholeNumber(' 2003 ')).toBe(2003);
    expect(wholeNumber('two')).toBeNaN();
  });
});

describe('today', () => {
  it('is the local calendar day, whatever the UTC one', () => {
    const lateEvening = new Date(2026, 10, 30, 23, 30);
    expect(today(lateEvening)).toBe('2026-11-30');
  });
});
