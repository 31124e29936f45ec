import { z } from 'zod';
import { MAX_AMOUNT_CENTS } from './limits.ts';

/**
 * Money on the wire is a decimal string with two decimals ("1234.50"); inside the
 * API and the database it is an integer number of cents, so that sums are exact.
 */
export function formatCents(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

const DECIMAL_AMOUNT = /^(\d{1,9})(?:\.(\d{1,2}))?$/;

/**
 * Parses "12", "12.5", "12.50" (or the JSON numbers 12, 12.5) into cents. Going
 * through the shortest decimal text of a number keeps 0.29 at 29 cents, where
 * `0.29 * 100` would give 28.999999999999996, and rejects 1.005 instead of
 * rounding it.
 */
export function parseCents(amount: string | number): number | undefined {
  const match = DECIMAL_AMOUNT.exec(typeof amount === 'number' ? String(amount) : amount);
  if (!match) return undefined;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

/** A non-negative amount of money in a request, parsed to cents. */
export const MoneyInput = z
  .union([z.number(), z.string()])
  .transform((amount, ctx) => {
    const cents = parseCents(amount);
    if (cents === undefined || cents > MAX_AMOUNT_CENTS) {
      ctx.addIssue({
        code: 'custom',
        message: `Expected a non-negative amount with at most two decimals, up to ${formatCents(MAX_AMOUNT_CENTS)}`,
      });
      return z.NEVER;
    }
    return cents;
  })
  .meta({
    id: 'MoneyInput',
    description: 'A non-negative amount with at most two decimals, as a JSON number or a decimal string.',
    examples: ['149.99', 149.99],
  });

/** Money in a response: a decimal string with exactly two decimals. */
export const Money = z
  .string()
  .regex(/^-?\d+\.\d{2}$/)
  .meta({ id: 'Money', description: 'An exact amount of money as a decimal string with two decimals.', example: '149.99' });
