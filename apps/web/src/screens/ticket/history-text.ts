import type { RouterOutputs } from '@mechanic-shop/sdk';
import { LINE_TYPE_NAMES, type Line } from './line-draft.ts';

/** An audit entry's changes: each field with its value before and after. */
type Changes = RouterOutputs['audit']['ticketHistory']['items'][number]['changes'];
type Scalar = string | number | boolean | null | undefined;

/** The fields of an audit entry's `changes` that hold money (decimal strings), by their last name. */
const MONEY_FIELDS = new Set([
  'total',
  'cost',
  'amount',
  'approved_amount',
  'paid',
  'balance',
  'unit_price',
  'rate',
  'price',
  'net',
  'parts_total',
]);

/**
 * Fields left out of a ticket's history in words: derived figures that every change to a line moves (the job's and
 * the ticket's totals by category, the estimate's version), which the ticket's total already says.
 */
function isNoise(field: string): boolean {
  return field === 'estimate_version' || field === 'totals' || field.endsWith('.totals');
}

type Money = (amount: string) => string;

/** An audit action in words: `ticket.status_changed` → "Ticket status changed". */
export function actionText(action: string): string {
  const words = action.replace(/[._]/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** "jobs.3.lines" → "lines", "tax_rates.parts" → "tax rates parts": a field's name in words, without job numbers. */
function fieldName(field: string): string {
  return field
    .split('.')
    .filter((part) => !/^\d+$/.test(part) && part !== 'jobs')
    .join(' ')
    .replace(/_/g, ' ');
}

function scalarText(field: string, value: Scalar, money: Money): string {
  if (value === null || value === undefined || value === '') return '—';
  const last = field.split('.').at(-1)!;
  if (typeof value === 'string' && MONEY_FIELDS.has(last) && /^-?\d+\.\d{2}$/.test(value)) return money(value);
  return String(value);
}

const isScalar = (value: unknown): value is Scalar =>
  value === null || value === undefined || ['string', 'number', 'boolean'].includes(typeof value);

/** A line in a few words: "Labor, Replace front pads, $162.00". */
function lineText(line: Partial<Line>, money: Money): string {
  const what = line.type === 'part' ? line.part_name : line.description;
  return [line.type ? LINE_TYPE_NAMES[line.type] : 'Line', what, line.net ? money(line.net) : undefined].filter(Boolean).join(', ');
}

/** What changed among a job's lines: each line added, removed or changed, by its id. */
function lineChangesText(before: Array<Partial<Line>>, after: Array<Partial<Line>>, money: Money): string[] {
  const byId = (lines: Array<Partial<Line>>) => new Map(lines.map((line) => [line.id, line]));
  const [was, now] = [byId(before), byId(after)];
  return [
    ...after.filter((line) => !was.has(line.id)).map((line) => `Line added: ${lineText(line, money)}`),
    ...before.filter((line) => !now.has(line.id)).map((line) => `Line removed: ${lineText(line, money)}`),
    ...after
      .filter((line) => was.has(line.id) && JSON.stringify(was.get(line.id)) !== JSON.stringify(line))
      .map((line) => `Line changed: ${lineText(was.get(line.id)!, money)} → ${lineText(line, money)}`),
  ];
}

const isLines = (value: unknown): value is Array<Partial<Line>> => Array.isArray(value);
const titleOf = (value: unknown) => (value && typeof value === 'object' && 'title' in value ? String(value.title) : undefined);

/**
 * An audit entry's changes in a service writer's words, one sentence each: "status: PENDING → IN_PROGRESS",
 * "total: $189.80 → $279.48", "Line added: Part, Brake pad set, $99.80", "Job added: Front brakes". Derived figures
 * (totals by category, the version) are left out; a structure with no words for it is said to have changed.
 */
export function describeChanges(changes: Changes, money: Money): string[] {
  return Object.entries(changes).flatMap(([field, { before, after }]) => {
    if (isNoise(field)) return [];
    if (isScalar(before) && isScalar(after))
      return [`${fieldName(field)}: ${scalarText(field, before, money)} → ${scalarText(field, after, money)}`];
    if (field.endsWith('lines') && (isLines(before) || before === null) && (isLines(after) || after === null))
      return lineChangesText(before ?? [], after ?? [], money);
    if (/^jobs\.\d+$/.test(field)) {
      if (before === null) return [`Job added: ${titleOf(after) ?? ''}`];
      if (after === null) return [`Job deleted: ${titleOf(before) ?? ''}`];
    }
    return [`${fieldName(field)} changed`];
  });
}
