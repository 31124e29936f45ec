import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '../../api.ts';
import { Avatar, Busy, ErrorNotice, Field, fieldErrors, Money } from '../../ui/index.ts';
import { vehicleLabel, type Ticket } from '../board/board-rules.ts';
import { useCustomerName } from '../board/TicketCard.tsx';
import { wholeNumber } from '../portal/form-values.ts';
import { useTicketWritten, useWritesTickets } from './use-ticket-write.ts';
import { buttonClass } from './styles.ts';

/** The vehicle, the customer and how to reach them, the day and the odometer. */
export function TicketFacts({ ticket }: { ticket: Ticket }) {
  const trpc = useTRPC();
  const customer = useQuery(trpc.customers.byId.queryOptions({ id: ticket.customer_id }));
  return (
    <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
      <dt className="font-semibold">Vehicle</dt>
      <dd>
        {vehicleLabel(ticket.vehicle)}
        {ticket.vehicle.vin && ticket.vehicle.plate && <span className="text-slate-700"> · VIN {ticket.vehicle.vin}</span>}
      </dd>
      <dt className="font-semibold">Customer</dt>
      <dd>
        {customer.data ? (
          <>
            {customer.data.name} · <a href={`tel:${customer.data.phone}`}>{customer.data.phone}</a> ·{' '}
            <a href={`mailto:${customer.data.email}`}>{customer.data.email}</a>
          </>
        ) : (
          <CustomerName id={ticket.customer_id} />
        )}
      </dd>
      <dt className="font-semibold">Booked for</dt>
      <dd>{ticket.service_date}</dd>
      <dt className="font-semibold">Odometer in / out</dt>
      <dd>
        {ticket.odometer_in ?? '—'} / {ticket.odometer_out ?? '—'}
      </dd>
      <dt className="font-semibold">Flat charge</dt>
      <dd>
        <Money amount={ticket.cost} />
      </dd>
      <dt className="font-semibold">Estimate version</dt>
      <dd>{ticket.estimate_version}</dd>
    </dl>
  );
}

function CustomerName({ id }: { id: number }) {
  return <>{useCustomerName(id) ?? `Customer #${id}`}</>;
}

/** The odometer readings and the flat charge, changed in one edit; a field left as it was is not sent. */
export function TicketDetailsForm({ ticket }: { ticket: Ticket }) {
  const trpc = useTRPC();
  const written = useTicketWritten();
  const initial = { odometer_in: String(ticket.odometer_in ?? ''), odometer_out: String(ticket.odometer_out ?? ''), cost: ticket.cost };
  const [values, setValues] = useState(initial);
  const edit = useMutation(trpc.serviceTickets.edit.mutationOptions({ onSuccess: written }));
  const errors = edit.error ? fieldErrors(edit.error) : {};
  const changed = (field: keyof typeof initial) => values[field].trim() !== initial[field] && values[field].trim() !== '';
  const submit = (event: FormEvent) => {
    event.preventDefault();
    edit.mutate({
      id: ticket.id,
      ...(changed('odometer_in') ? { odometer_in: wholeNumber(values.odometer_in) } : {}),
      ...(changed('odometer_out') ? { odometer_out: wholeNumber(values.odometer_out) } : {}),
      ...(changed('cost') ? { cost: values.cost.trim() } : {}),
    });
  };
  const set = (field: keyof typeof initial) => (event: { target: { value: string } }) =>
    setValues((current) => ({ ...current, [field]: event.target.value }));
  return (
    <form onSubmit={submit} noValidate className="flex flex-wrap items-end gap-3">
      <Field label="Odometer in" error={errors.odometer_in}>
        {(props) => (
          <input
            {...props}
            inputMode="numeric"
            value={values.odometer_in}
            onChange={set('odometer_in')}
            className={`${props.className} w-32`}
          />
        )}
      </Field>
      <Field label="Odometer out (when completed)" error={errors.odometer_out}>
        {(props) => (
          <input
            {...props}
            inputMode="numeric"
            value={values.odometer_out}
            onChange={set('odometer_out')}
            className={`${props.className} w-32`}
          />
        )}
      </Field>
      <Field label="Flat charge (untaxed)" error={errors.cost}>
        {(props) => (
          <input {...props} inputMode="decimal" value={values.cost} onChange={set('cost')} className={`${props.className} w-32`} />
        )}
      </Field>
      <button type="submit" className={buttonClass} disabled={edit.isPending}>
        Save details
      </button>
      {edit.isPending && <Busy label="Saving the details" />}
      {edit.isError && Object.keys(errors).length === 0 && <ErrorNotice error={edit.error} />}
    </form>
  );
}

/** Who works on the ticket: their avatars, and (for owners and service writers) assigning and unassigning staff. */
export function TicketMechanics({ ticket }: { ticket: Ticket }) {
  const trpc = useTRPC();
  const written = useTicketWritten();
  const writes = useWritesTickets();
  const [chosen, setChosen] = useState('');
  const staff = useQuery({ ...trpc.mechanics.list.queryOptions({ page: 1, per_page: 100 }), enabled: writes });
  const edit = useMutation(trpc.serviceTickets.edit.mutationOptions({ onSuccess: written }));
  const assigned = new Set(ticket.mechanics.map((mechanic) => mechanic.id));
  return (
    <div className="flex flex-col gap-2">
      {ticket.mechanics.length === 0 && <p className="text-sm text-slate-700">Nobody is assigned yet.</p>}
      <ul className="flex flex-wrap gap-3">
        {ticket.mechanics.map((mechanic) => (
          <li key={mechanic.id} className="flex items-center gap-2 text-sm">
            <Avatar name={mechanic.name} />
            {mechanic.name}
            {writes && (
              <button
                type="button"
                className={buttonClass}
                disabled={edit.isPending}
                onClick={() => edit.mutate({ id: ticket.id, remove_ids: [mechanic.id] })}
              >
                Unassign<span className="sr-only"> {mechanic.name}</span>
              </button>
            )}
          </li>
        ))}
      </ul>
      {writes && (
        <form
          className="flex items-end gap-2"
          onSubmit={(event) => {
            event.preventDefault();
            if (chosen !== '') edit.mutate({ id: ticket.id, add_ids: [Number(chosen)] }, { onSuccess: () => setChosen('') });
          }}
        >
          <Field label="Assign">
            {(props) => (
              <select {...props} value={chosen} onChange={(event) => setChosen(event.target.value)}>
                <option value="">Choose someone</option>
                {staff.data?.items
                  .filter((mechanic) => !assigned.has(mechanic.id))
                  .map((mechanic) => (
                    <option key={mechanic.id} value={mechanic.id}>
                      {mechanic.name} ({mechanic.role.replace('_', ' ')})
                    </option>
                  ))}
              </select>
            )}
          </Field>
          <button type="submit" className={buttonClass} disabled={edit.isPending || chosen === ''}>
            Assign
          </button>
          {edit.isPending && <Busy label="Saving the assignment" />}
        </form>
      )}
      {edit.isError && <ErrorNotice error={edit.error} />}
    </div>
  );
}
