import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '../../api.ts';
import { Busy, ErrorNotice, Field, fieldErrors } from '../../ui/index.ts';
import {
  draftOf,
  emptyDraft,
  LINE_TYPE_FIELDS,
  LINE_TYPE_NAMES,
  lineChanges,
  newLineInput,
  type Line,
  type LineDraft,
  type LineType,
} from './line-draft.ts';
import { PartPicker } from './PartPicker.tsx';
import { useTicketWritten } from './use-ticket-write.ts';
import { buttonClass } from './styles.ts';

const LABELS = {
  description: 'Description',
  hours: 'Hours',
  rate: 'Rate per hour',
  technician_id: 'Technician',
  quantity: 'Quantity',
  unit_price: 'Unit price',
  amount: 'Amount',
  cost: 'Cost to the shop',
} as const;

const DECIMAL_FIELDS = new Set(['hours', 'rate', 'unit_price', 'amount', 'cost']);

interface LineFormProps {
  ticketId: number;
  jobId: number;
  /** The line to change; a new line when left out. */
  line?: Line;
  onDone: () => void;
}

/**
 * A labor, part, fee or sublet line of a job: a new one, or a change to one. The API answers with the ticket, whose
 * totals (the money engine's, with the tax by category) the screen shows at once; its field errors go next to
 * each field.
 */
export function LineForm({ ticketId, jobId, line, onDone }: LineFormProps) {
  const trpc = useTRPC();
  const written = useTicketWritten();
  const [draft, setDraft] = useState<LineDraft>(() => (line ? draftOf(line) : emptyDraft('labor')));
  const [partName, setPartName] = useState(line?.part_name ?? '');
  const shop = useQuery(trpc.shop.settings.queryOptions());
  const staff = useQuery({ ...trpc.mechanics.list.queryOptions({ page: 1, per_page: 100 }), enabled: draft.type === 'labor' });
  const options = {
    onSuccess: (ticket: Parameters<typeof written>[0]) => {
      written(ticket);
      onDone();
    },
  };
  const add = useMutation(trpc.serviceTickets.addLine.mutationOptions(options));
  const edit = useMutation(trpc.serviceTickets.editLine.mutationOptions(options));
  const saving = add.isPending || edit.isPending;
  const error = add.error ?? edit.error;
  const errors = error ? fieldErrors(error) : {};
  const discountError = errors.discount ?? errors['discount.percent'] ?? errors['discount.amount'];
  const set = (change: Partial<LineDraft>) => setDraft((current) => ({ ...current, ...change }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!line) {
      add.mutate({ id: ticketId, job_id: jobId, ...newLineInput(draft) });
      return;
    }
    const changes = lineChanges(line, draft);
    if (Object.keys(changes).length === 0) onDone();
    else edit.mutate({ id: ticketId, job_id: jobId, line_id: line.id, ...changes });
  };

  const what = line ? `line ${line.description || line.part_name || line.id}` : 'new line';
  return (
    <form
      onSubmit={submit}
      noValidate
      aria-label={line ? `Change ${what}` : 'New line'}
      className="flex flex-col gap-3 rounded bg-slate-50 p-3"
    >
      {!line && (
        <Field label="Line type">
          {(props) => (
            <select {...props} value={draft.type} onChange={(event) => setDraft(emptyDraft(event.target.value as LineType))}>
              {Object.entries(LINE_TYPE_NAMES).map(([type, name]) => (
                <option key={type} value={type}>
                  {name}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      {draft.type === 'part' && (
        <PartPicker
          chosen={draft.inventory_id === null ? null : { id: draft.inventory_id, name: partName }}
          onChoose={(item) => {
            set({ inventory_id: item.id });
            setPartName(item.part_name);
          }}
          error={errors.inventory_id}
        />
      )}
      <div className="flex flex-wrap items-end gap-3">
        {LINE_TYPE_FIELDS[draft.type].map((field) =>
          field === 'technician_id' ? (
            <Field key={field} label={`${LABELS[field]} (optional)`} error={errors[field]}>
              {(props) => (
                <select {...props} value={draft.technician_id} onChange={(event) => set({ technician_id: event.target.value })}>
                  <option value="">Nobody in particular</option>
                  {staff.data?.items.map((mechanic) => (
                    <option key={mechanic.id} value={mechanic.id}>
                      {mechanic.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          ) : (
            <Field key={field} label={fieldLabel(draft.type, field, shop.data?.labor_rate)} error={errors[field]}>
              {(props) => (
                <input
                  {...props}
                  inputMode={DECIMAL_FIELDS.has(field) ? 'decimal' : field === 'quantity' ? 'numeric' : undefined}
                  value={draft[field]}
                  onChange={(event) => set({ [field]: event.target.value })}
                  className={`${props.className} ${field === 'description' ? 'w-64' : 'w-28'}`}
                />
              )}
            </Field>
          ),
        )}
      </div>
      <div className="flex flex-wrap items-end gap-3">
        <Field label="Discount" error={discountError}>
          {(props) => (
            <select
              {...props}
              value={draft.discount_kind}
              onChange={(event) => set({ discount_kind: event.target.value as LineDraft['discount_kind'] })}
            >
              <option value="none">None</option>
              <option value="percent">Percent of the line</option>
              <option value="amount">Fixed amount</option>
            </select>
          )}
        </Field>
        {draft.discount_kind !== 'none' && (
          <Field label={draft.discount_kind === 'percent' ? 'Discount percent' : 'Discount amount'}>
            {(props) => (
              <input
                {...props}
                inputMode="decimal"
                value={draft.discount_value}
                onChange={(event) => set({ discount_value: event.target.value })}
                className={`${props.className} w-24`}
              />
            )}
          </Field>
        )}
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={draft.taxable} onChange={(event) => set({ taxable: event.target.checked })} />
          Taxable
        </label>
      </div>
      {error && Object.keys(errors).length === 0 && <ErrorNotice error={error} />}
      <div className="flex items-center gap-2">
        <button type="submit" className={buttonClass} disabled={saving}>
          {line ? 'Save line' : 'Add line'}
        </button>
        <button type="button" className={buttonClass} onClick={onDone}>
          Cancel
        </button>
        {saving && <Busy label="Saving the line" />}
      </div>
    </form>
  );
}

function fieldLabel(type: LineType, field: Exclude<keyof typeof LABELS, 'technician_id'>, laborRate: string | undefined): string {
  if (field === 'rate') return laborRate ? `${LABELS.rate} (shop rate ${laborRate} if blank)` : `${LABELS.rate} (shop rate if blank)`;
  if (field === 'unit_price') return `${LABELS.unit_price} (the part's price if blank)`;
  if (field === 'description' && type === 'part') return `${LABELS.description} (optional)`;
  if (field === 'cost') return `${LABELS.cost} (optional)`;
  return LABELS[field];
}
