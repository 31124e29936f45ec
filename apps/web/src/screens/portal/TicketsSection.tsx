import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useTRPC } from '../../api.ts';
import { Busy, ErrorNotice, Field, fieldErrors, Money, Pagination, StatusBadge } from '../../ui/index.ts';
import { today, wholeNumber } from './form-values.ts';
import { vehicleName } from './VehiclesSection.tsx';
import { Scrollable, TABLE_CELLS } from '../approve/Estimate.tsx';

const PER_PAGE = 10;

/** The most vehicles the booking form offers (the API's largest page); a customer with more picks from the first ones. */
const VEHICLE_CHOICES = 100;

function BookVisit() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const vehicles = useQuery(trpc.customers.myVehicles.queryOptions({ page: 1, per_page: VEHICLE_CHOICES }));
  const [values, setValues] = useState({ title: '', description: '', vehicle_id: '', service_date: today(), odometer_in: '' });
  const open = useMutation(
    trpc.serviceTickets.open.mutationOptions({
      onSuccess: async (ticket) => {
        await queryClient.invalidateQueries(trpc.customers.myTickets.pathFilter());
        await navigate(`/portal/tickets/${ticket.id}`);
      },
    }),
  );
  const errors = open.error ? fieldErrors(open.error) : {};
  const set = (field: keyof typeof values) => (event: React.ChangeEvent<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>) =>
    setValues({ ...values, [field]: event.target.value });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    open.mutate({
      title: values.title,
      description: values.description,
      vehicle_id: wholeNumber(values.vehicle_id),
      service_date: values.service_date,
      odometer_in: wholeNumber(values.odometer_in),
    });
  };

  if (vehicles.data?.total === 0)
    return (
      <p className="mt-8">
        To book a visit, first{' '}
        <Link to="/portal/vehicles" className="text-blue-900 underline">
          register your vehicle
        </Link>
        .
      </p>
    );
  return (
    <section aria-labelledby="book-visit" className="mt-8">
      <h2 id="book-visit" className="text-xl font-semibold">
        Book a visit
      </h2>
      <form onSubmit={submit} className="mt-3 grid max-w-2xl gap-3" noValidate>
        <Field label="Vehicle" error={errors.vehicle_id}>
          {(props) => (
            <select {...props} value={values.vehicle_id} onChange={set('vehicle_id')}>
              <option value="">Choose a vehicle</option>
              {vehicles.data?.items.map((vehicle) => (
                <option key={vehicle.id} value={vehicle.id}>
                  {vehicleName(vehicle)}
                  {vehicle.plate ? ` (${vehicle.plate})` : ''}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="What needs doing" error={errors.title}>
          {(props) => <input {...props} value={values.title} onChange={set('title')} maxLength={200} />}
        </Field>
        <Field label="Details (optional)" error={errors.description}>
          {(props) => <textarea {...props} value={values.description} onChange={set('description')} rows={3} />}
        </Field>
        <Field label="Preferred day" error={errors.service_date}>
          {(props) => <input {...props} type="date" value={values.service_date} onChange={set('service_date')} />}
        </Field>
        <Field label="Odometer now (optional)" error={errors.odometer_in}>
          {(props) => <input {...props} inputMode="numeric" value={values.odometer_in} onChange={set('odometer_in')} />}
        </Field>
        {open.isError && Object.keys(errors).length === 0 && <ErrorNotice error={open.error} />}
        <div>
          <button type="submit" disabled={open.isPending} className="rounded bg-blue-800 px-4 py-2 font-semibold text-white">
            Book visit
          </button>
          {open.isPending && <Busy label="Booking your visit" />}
        </div>
      </form>
    </section>
  );
}

/** The customer's tickets, newest first, and a form to book a visit. */
export default function TicketsSection() {
  const trpc = useTRPC();
  const [page, setPage] = useState(1);
  const tickets = useQuery(trpc.customers.myTickets.queryOptions({ page, per_page: PER_PAGE }));

  return (
    <>
      <h1 className="text-2xl font-bold">My visits</h1>
      {tickets.isPending && <Busy label="Loading your visits" />}
      {tickets.isError && <ErrorNotice error={tickets.error} />}
      {tickets.data && (
        <>
          {tickets.data.total === 0 ? (
            <p className="mt-4">No visit yet.</p>
          ) : (
            <Scrollable label="My visits">
              <table className={`mt-4 w-full text-left ${TABLE_CELLS}`}>
                <caption className="sr-only">My visits</caption>
                <thead>
                  <tr>
                    <th scope="col">Visit</th>
                    <th scope="col">Vehicle</th>
                    <th scope="col">Day</th>
                    <th scope="col">Status</th>
                    <th scope="col">Awaiting your decision</th>
                    <th scope="col" className="text-right">
                      Total
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {tickets.data.items.map((ticket) => {
                    const pending = ticket.jobs.filter((job) => job.authorization === 'pending').length;
                    return (
                      <tr key={ticket.id} className="border-t border-slate-200">
                        <td>
                          <Link to={`/portal/tickets/${ticket.id}`} className="text-blue-900 underline">
                            {ticket.title}
                          </Link>
                        </td>
                        <td>{vehicleName(ticket.vehicle)}</td>
                        <td>{ticket.service_date}</td>
                        <td>
                          <StatusBadge status={ticket.status} />
                        </td>
                        <td>{pending === 0 ? 'No' : `${pending} ${pending === 1 ? 'job' : 'jobs'}`}</td>
                        <td className="text-right">
                          <Money amount={ticket.total} />
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </Scrollable>
          )}
          <Pagination page={tickets.data.page} per_page={tickets.data.per_page} total={tickets.data.total} onPage={setPage} />
        </>
      )}
      <BookVisit />
    </>
  );
}
