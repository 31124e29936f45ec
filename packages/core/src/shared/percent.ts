import { z } from 'zod';

/**
 * A percentage on the wire is a decimal string with at most three decimals
 * ("8.875"); inside the API and the database it is an integer number of
 * thousandths of a percent (8875), so that no rate is ever a float: 8.875% of an
 * amount is `amount × 8875 / 100000`, computed exactly and rounded once.
 */
export const MAX_PERCENT_THOUSANDTHS = 100_000;

/** 8875 → "8.875"; always three decimals, like money's two. */
export function formatPercent(thousandths: number): string {
  return `${Math.trunc(thousandths / 1000)}.${String(thousandths % 1000).padStart(3, '0')}`;
}

const DECIMAL_PERCENT = /^(\d{1,3})(?:\.(\d{1,3}))?$/;

/**
 * Parses "8.875", "10", "10.5" (or the JSON numbers 8.875, 10) into thousandths
 * of a percent, from 0 to 100. Like `parseCents`, it reads the shortest decimal
 * text of a number, so 8.875 is exactly 8875, and it rejects a fourth decimal
 * instead of rounding it.
 */
export function parsePercent(percent: string | number): number | undefined {
  const match = DECIMAL_PERCENT.exec(typeof percent === 'number' ? String(percent) : percent);
  if (!match) return undefined;
  const thousandths = Number(match[1]) * 1000 + Number((match[2] ?? '').padEnd(3, '0'));
  return thousandths <= MAX_PERCENT_THOUSANDTHS ? thousandths : undefined;
}

/** A percentage in a request, from 0 to 100 with at most three decimals, parsed to thousandths. */
export const PercentInput = z
  .union([z.number(), z.string()])
  .transform((percent, ctx) => {
    const thousandths = parsePercent(percent);
    if (thousandths === undefined) {
      ctx.addIssue({ code: 'custom', message: 'Expected a percentage from 0 to 100 with at most three decimals' });
      return z.NEVER;
    }
    return thousandths;
  })
  .meta({
    id: 'PercentInput',
    description: 'A percentage from 0 to 100 with at most three decimals, as a JSON number or a decimal string.',
    examples: ['8.875', 10],
  });

/** A percentage in a response: a decimal string with exactly three decimals. */
export const Percent = z
  .string()
  .regex(/^\d{1,3}\.\d{3}$/)
  .meta({ id: 'Percent', description: 'An exact percentage as a decimal string with three decimals.', example: '8.875' });
