import { z } from 'zod';
import { MAX_LENGTH } from '../shared/limits.ts';
import { formatCents, Money, MoneyInput, parseCents } from '../shared/money.ts';
import { Percent, PercentInput } from '../shared/percent.ts';
import { Count, DatabaseText, Id, IdField, IdParam, QuantityField } from '../shared/schemas.ts';

export const PAY_TYPES = ['customer', 'internal', 'warranty'] as const;
export const PayType = z.enum(PAY_TYPES).meta({ id: 'PayType', description: 'Who pays for the job.' });

export const LINE_TYPES = ['labor', 'part', 'fee', 'sublet'] as const;
export type LineType = (typeof LINE_TYPES)[number];
export const LineType = z.enum(LINE_TYPES).meta({ id: 'LineType' });

/** The most hours one labor line holds: 10,000.00 (a line's amount stays far below the engine's maximum). */
export const MAX_LINE_HOURS_HUNDREDTHS = 1_000_000;

/** Hours in a request: more than 0, at most two decimals (as money), parsed to hundredths of an hour. */
export const HoursInput = z
  .union([z.number(), z.string()])
  .transform((hours, ctx) => {
    const hundredths = parseCents(hours);
    if (hundredths === undefined || hundredths === 0 || hundredths > MAX_LINE_HOURS_HUNDREDTHS) {
      ctx.addIssue({
        code: 'custom',
        message: `Expected hours above 0 with at most two decimals, up to ${formatCents(MAX_LINE_HOURS_HUNDREDTHS)}`,
      });
      return z.NEVER;
    }
    return hundredths;
  })
  .meta({
    id: 'HoursInput',
    description: 'Hours above 0 with at most two decimals, as a decimal string or a JSON number.',
    examples: ['1.50'],
  });

const DiscountInput = z
  .union([z.strictObject({ percent: PercentInput }), z.strictObject({ amount: MoneyInput })])
  .meta({ description: 'A percentage of the line amount (rounded half-up to the cent), or a fixed amount (at most the line amount).' });

const LineDiscount = z.union([z.object({ percent: Percent }), z.object({ amount: Money })]).nullable();

const Description = DatabaseText(0, MAX_LENGTH.description);

/**
 * The fields a line of each type takes: the required ones on creation, then the
 * optional ones. `taxable` and `discount` go on every line. The one table both
 * the creation and the change of a line check against.
 */
export const LINE_FIELDS = {
  labor: { required: ['description', 'hours'], optional: ['rate', 'technician_id'] },
  part: { required: ['inventory_id', 'quantity'], optional: ['unit_price', 'description'] },
  fee: { required: ['description', 'amount'], optional: [] },
  sublet: { required: ['description', 'amount'], optional: ['cost'] },
} as const satisfies Record<LineType, { required: readonly string[]; optional: readonly string[] }>;

/** Fields a technician may not set (they price the work): owners and service writers only. */
export const PRICING_FIELDS = ['rate', 'unit_price', 'discount'] as const;

const lineFields = {
  description: Description.optional(),
  hours: HoursInput.optional(),
  rate: MoneyInput.optional().meta({ description: "Labor: the shop's labor rate when left out, fixed on the line." }),
  technician_id: IdField.optional(),
  inventory_id: IdField.optional(),
  quantity: QuantityField(1).optional(),
  unit_price: MoneyInput.optional().meta({ description: "Part: the item's price when left out, fixed on the line." }),
  amount: MoneyInput.optional(),
  cost: MoneyInput.optional().meta({ description: 'Sublet: what the other shop charges; owners and service writers see it.' }),
  taxable: z.boolean().optional().meta({ description: 'Default true.' }),
};

type LineFieldName = keyof typeof lineFields | 'discount';

/** The fields a line of `type` does not take, and (on creation) the required ones it lacks. */
export function lineFieldErrors(
  type: LineType,
  line: Partial<Record<LineFieldName, unknown>>,
  creating: boolean,
): Array<{ field: string; message: string }> {
  const { required, optional } = LINE_FIELDS[type];
  const allowed = new Set<string>([...required, ...optional, 'taxable', 'discount']);
  const extra = (Object.keys(lineFields) as LineFieldName[])
    .filter((field) => line[field] !== undefined && !allowed.has(field))
    .map((field) => ({ field, message: `A ${type} line has no ${field}` }));
  const missing = creating
    ? (required as readonly LineFieldName[])
        .filter((field) => line[field] === undefined)
        .map((field) => ({ field, message: `A ${type} line needs ${field}` }))
    : [];
  return [...extra, ...missing];
}

const JobKey = { id: IdParam, job_id: IdParam };

export const NewLine = z
  .strictObject({ ...JobKey, type: LineType, ...lineFields, discount: DiscountInput.optional() })
  .superRefine((line, ctx) => {
    for (const { field, message } of lineFieldErrors(line.type, line, true)) ctx.addIssue({ code: 'custom', path: [field], message });
  })
  .meta({
    examples: [
      { type: 'labor', description: 'Replace front pads', hours: '1.50' },
      { type: 'part', inventory_id: 4, quantity: 2 },
      { type: 'fee', description: 'Disposal', amount: '5.00', taxable: false },
      { type: 'sublet', description: 'Machine rotors', amount: '80.00', cost: '50.00', discount: { percent: '10' } },
    ],
  });
export type NewLine = z.output<typeof NewLine>;

/** A change to a line: any of its type's fields; `discount: null` takes the discount off. */
export const LineEdit = z
  .strictObject({ ...JobKey, line_id: IdParam, ...lineFields, discount: DiscountInput.nullable().optional() })
  .meta({ examples: [{ hours: '2.00', discount: null }] });
export type LineEdit = z.output<typeof LineEdit>;

export const LineKey = z.strictObject({ ...JobKey, line_id: IdParam });

export const NewJob = z
  .strictObject({
    id: IdParam,
    title: DatabaseText(1, MAX_LENGTH.ticketTitle),
    concern: Description.optional(),
    pay_type: PayType.optional(),
  })
  .meta({ examples: [{ title: 'Front brakes', concern: 'Squeal when stopping' }] });
export type NewJob = z.output<typeof NewJob>;

export const JobEdit = z
  .strictObject({
    ...JobKey,
    title: DatabaseText(1, MAX_LENGTH.ticketTitle).optional(),
    concern: Description.optional(),
    cause: Description.optional(),
    correction: Description.optional(),
    pay_type: PayType.optional(),
  })
  .meta({ examples: [{ cause: 'Pads worn to 2 mm', correction: 'Replaced pads, resurfaced rotors' }] });
export type JobEdit = z.output<typeof JobEdit>;

export const JobKeyInput = z.strictObject(JobKey);

const CategoryFigures = { labor: Money, parts: Money, fees: Money, sublet: Money };

/** Totals of a ticket or of one job; the rules are in README "Estimates" and src/estimates/money-engine.ts. */
export const EstimateTotals = z
  .object({
    ...CategoryFigures,
    discounts: Money,
    shop_supplies: Money,
    tax: z.object({ ...CategoryFigures, total: Money }),
    subtotal: Money.meta({ description: 'Line nets + shop supplies (+ the flat cost, on the ticket): everything before tax.' }),
    total: Money,
  })
  .meta({ id: 'EstimateTotals', description: 'Category figures are line nets, after discounts.' });
export type EstimateTotals = z.output<typeof EstimateTotals>;

export const Line = z
  .object({
    id: Id,
    type: LineType,
    description: z.string(),
    hours: z.string().nullable().meta({ description: 'Labor: hours with two decimals.' }),
    rate: Money.nullable(),
    technician_id: Id.nullable(),
    inventory_id: Id.nullable(),
    part_name: z.string().nullable(),
    quantity: Count.nullable(),
    unit_price: Money.nullable(),
    cost: Money.nullable().optional().meta({ description: 'Sublet: what the shop pays; shown to owners and service writers only.' }),
    taxable: z.boolean(),
    discount: LineDiscount,
    amount: Money,
    discount_amount: Money,
    net: Money,
  })
  .meta({ id: 'Line' });
export type Line = z.output<typeof Line>;

export const JOB_AUTHORIZATIONS = ['pending', 'approved', 'declined'] as const;
export const JobAuthorization = z.enum(JOB_AUTHORIZATIONS).meta({
  id: 'JobAuthorization',
  description:
    "The customer's decision on the job. New jobs are pending; a change to an approved or declined job's lines makes it pending " +
    'again (a new offer, to approve again).',
});
export type JobAuthorization = z.output<typeof JobAuthorization>;

export const Job = z
  .object({
    id: Id,
    title: z.string(),
    concern: z.string(),
    cause: z.string(),
    correction: z.string(),
    pay_type: PayType,
    authorization: JobAuthorization,
    decided_at: z.iso.datetime().nullable().meta({ description: 'When the current authorization was recorded (null while pending).' }),
    approval_id: Id.nullable().meta({ description: 'The approval record that decided it (null while pending).' }),
    decline_reason: z.string().nullable().meta({ description: 'Declined: why, as the customer said it.' }),
    follow_up_on: z.iso
      .date()
      .nullable()
      .meta({ description: "Declined: the day to follow it up (the decline day + the shop's declined_follow_up_days)." }),
    revived_at: z.iso.datetime().nullable().meta({ description: 'Declined: when the job was brought back into a ticket.' }),
    lines: z.array(Line),
    totals: EstimateTotals,
  })
  .meta({
    id: 'Job',
    description: "A declined job shows its own totals (priced on its own) and is left out of the ticket's totals.",
  });
export type Job = z.output<typeof Job>;
