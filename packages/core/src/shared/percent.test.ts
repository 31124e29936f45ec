import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatPercent, MAX_PERCENT_THOUSANDTHS, parsePercent, Percent, PercentInput } from './percent.ts';

describe('percentages', () => {
  it.each([
    ['8.875', 8875],
    ['10', 10_000],
    ['10.5', 10_500],
    ['10.00', 10_000],
    ['0', 0],
    ['0.001', 1],
    ['100', 100_000],
    ['100.000', 100_000],
    [8.875, 8875],
    [0.1, 100],
  ])('%j is %i thousandths of a percent', (text, thousandths) => {
    expect(parsePercent(text)).toBe(thousandths);
    expect(PercentInput.parse(text)).toBe(thousandths);
  });

  it.each(['100.001', '101', '8.8755', '-1', '1e2', '', ' 5', '5.', '.5', 'NaN', 1e-7, -0.5, 1000])(
    '%j is refused, never rounded',
    (text) => {
      expect(parsePercent(text)).toBeUndefined();
      expect(PercentInput.safeParse(text).success).toBe(false);
    },
  );

  it.each([
    [8875, '8.875'],
    [0, '0.000'],
    [1, '0.001'],
    [10_000, '10.000'],
    [100_000, '100.000'],
  ])('%i thousandths are written "%s"', (thousandths, text) => {
    expect(formatPercent(thousandths)).toBe(text);
    expect(Percent.parse(text)).toBe(text);
  });

  it('every percentage survives a round trip through its text', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_PERCENT_THOUSANDTHS }), (thousandths) => {
        expect(parsePercent(formatPercent(thousandths))).toBe(thousandths);
      }),
    );
  });
});
