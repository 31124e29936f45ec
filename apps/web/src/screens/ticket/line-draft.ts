import type { RouterInputs } from '@mechanic-shop/sdk';
import type { Job } from '../board/board-rules.ts';

export type Line = Job['lines'][number];
export type LineType = Line['type'];
type NewLineInput = RouterInputs['serviceTickets']['addLine'];
type LineEditInput = RouterInputs['serviceTickets']['editLine'];
/** The fields of a line that the builder's form fills in, without the ticket and job it goes to. */
export type NewLineFields = Omit<NewLineInput, 'id' | 'job_id'>;
export type LineChanges = Omit<LineEditInput, 'id' | 'job_id' | 'line_id'>;

/** A line being written or changed in the estimate builder: what the form's controls hold, as typed. */
export interface LineDraft {
  type: LineType;
  description: string;
  hours: string;
  rate: string;
  technician_id: string;
  inventory_id: number | null;
  quantity: string;
  unit_price: string;
  amount: string;
  cost: string;
  taxable: boolean;
  discount_kind: 'none' | 'percent' | 'amount';
  discount_value: string;
}

type TextField = 'description' | 'hours' | 'rate' | 'technician_id' | 'quantity' | 'unit_price' | 'amount' | 'cost';

/**
 * The text fields the form shows for each line type, as the API takes them (its "Add a labor, part, fee or sublet
 * line" route): a part is chosen from the inventory (inventory_id) besides these. Typed by the API's line types, so
 * a new type fails the typecheck until the form knows it.
 */
export const LINE_TYPE_FIELDS = {
  labor: ['description', 'hours', 'rate', 'technician_id'],
  part: ['quantity', 'unit_price', 'description'],
  fee: ['description', 'amount'],
  sublet: ['description', 'amount', 'cost'],
} as const satisfies Record<LineType, readonly TextField[]>;

export const LINE_TYPE_NAMES = { labor: 'Labor', part: 'Part', fee: 'Fee', sublet: 'Sublet' } as const satisfies Record<LineType, string>;

export function emptyDraft(type: LineType): LineDraft {
  return {
    type,
    description: '',
    hours: '',
    rate: '',
    technician_id: '',
    inventory_id: null,
    quantity: type === 'part' ? '1' : '',
    unit_price: '',
    amount: '',
    cost: '',
    taxable: true,
    discount_kind: 'none',
    discount_value: '',
  };
}

/** A line as the form shows it to be changed. */
export function draftOf(line: Line): LineDraft {
  const discount = line.discount;
  return {
    type: line.type,
    description: line.description,
    hours: line.hours ?? '',
    rate: line.rate ?? '',
    technician_id: line.technician_id === null ? '' : String(line.technician_id),
    inventory_id: line.inventory_id,
    quantity: line.quantity === null ? '' : String(line.quantity),
    unit_price: line.unit_price ?? '',
    // A fee's and a sublet's amount is what was entered; other lines' amounts are computed.
    amount: line.type === 'fee' || line.type === 'sublet' ? line.amount : '',
    cost: line.cost ?? '',
    taxable: line.taxable,
    discount_kind: discount === null ? 'none' : 'percent' in discount ? 'percent' : 'amount',
    discount_value: discount === null ? '' : 'percent' in discount ? discount.percent : discount.amount,
  };
}

type Discount = NonNullable<NewLineFields['discount']>;

function discountOf(draft: LineDraft): Discount | null {
  const value = draft.discount_value.trim();
  if (draft.discount_kind === 'none' || value === '') return null;
  return draft.discount_kind === 'percent' ? { percent: value } : { amount: value };
}

/** The type's text fields that hold something, as the API takes them (ids as numbers, amounts as decimal text). */
function filledFields(draft: LineDraft): Partial<Record<TextField, string | number>> {
  const fields: Partial<Record<TextField, string | number>> = {};
  for (const field of LINE_TYPE_FIELDS[draft.type]) {
    const value = draft[field].trim();
    if (value === '') continue;
    fields[field] = field === 'technician_id' || field === 'quantity' ? Number(value) : value;
  }
  return fields;
}

/**
 * The API input of a new line: the fields of its type that are filled in. Blank required ones are left out, so
 * that the API names them in its field errors, shown next to each field.
 */
export function newLineInput(draft: LineDraft): NewLineFields {
  const discount = discountOf(draft);
  return {
    type: draft.type,
    ...filledFields(draft),
    ...(draft.type === 'part' && draft.inventory_id !== null ? { inventory_id: draft.inventory_id } : {}),
    ...(draft.taxable ? {} : { taxable: false }),
    ...(discount ? { discount } : {}),
  } as NewLineFields;
}

/**
 * What changed between a line and its edited draft, as the API's line change takes it: only the fields that
 * differ (a part swapped or a quantity changed moves stock), `discount: null` to take a discount off. Empty when
 * nothing changed: nothing to send.
 */
export function lineChanges(line: Line, draft: LineDraft): LineChanges {
  const before = draftOf(line);
  const beforeFields = filledFields(before);
  const afterFields = filledFields(draft);
  const changes: Record<string, unknown> = {};
  for (const field of LINE_TYPE_FIELDS[line.type]) {
    if (afterFields[field] !== beforeFields[field] && afterFields[field] !== undefined) changes[field] = afterFields[field];
  }
  // A description may be emptied; the other fields have no "none" to go back to.
  if (draft.description.trim() !== before.description.trim()) changes.description = draft.description.trim();
  if (draft.inventory_id !== before.inventory_id && draft.inventory_id !== null) changes.inventory_id = draft.inventory_id;
  if (draft.taxable !== before.taxable) changes.taxable = draft.taxable;
  const [was, now] = [discountOf(before), discountOf(draft)];
  if (JSON.stringify(was) !== JSON.stringify(now)) changes.discount = now;
  return changes;
}
