import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '../../api.ts';
import { Busy, ErrorNotice, Field, fieldErrors, Pagination } from '../../ui/index.ts';
import { wholeNumber, withoutBlanks } from './form-values.ts';
import { Scrollable, TABLE_CELLS } from '../approve/Estimate.tsx';

const PER_PAGE = 10;

const BLANK = { vin: '', plate: '', year: '', make: '', model: '', color: '', odometer: '' };

/** Year, make and model, or what the vehicle is known by. */
export function vehicleName(vehicle: {
  year: number | null;
  make: string | null;
  model: string | null;
  plate: string | null;
  vin: string | null;
}) {
  const name = [vehicle.year, vehicle.make, vehicle.model].filter((part) => part !== null).join(' ');
  return name || vehicle.plate || vehicle.vin || 'Vehicle';
}

function RegisterVehicle() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [values, setValues] = useState(BLANK);
  const [unit, setUnit] = useState<'mi' | 'km'>('mi');
  const register = useMutation(
    trpc.vehicles.create.mutationOptions({
      onSuccess: async () => {
        setValues(BLANK);
        await queryClient.invalidateQueries(trpc.customers.myVehicles.pathFilter());
      },
    }),
  );
  const errors = register.error ? fieldErrors(register.error) : {};
  const { year, odometer, ...text } = values;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    register.mutate({ ...withoutBlanks(text), year: wholeNumber(year), odometer: wholeNumber(odometer), odometer_unit: unit });
  };
  const field = (name: keyof typeof BLANK, label: string, extra: React.InputHTMLAttributes<HTMLInputElement> = {}) => (
    <Field label={label} error={errors[name]}>
      {(props) => (
        <input {...props} {...extra} value={values[name]} onChange={(event) => setValues({ ...values, [name]: event.target.value })} />
      )}
    </Field>
  );

  return (
    <section aria-labelledby="register-vehicle" className="mt-8">
      <h2 id="register-vehicle" className="text-xl font-semibold">
        Register a vehicle
      </h2>
      <p className="text-sm text-slate-700">Give its VIN or its plate; we read the year and make from the VIN.</p>
      <form onSubmit={submit} className="mt-3 grid max-w-2xl gap-3 sm:grid-cols-2" noValidate>
        {field('vin', 'VIN', { autoCapitalize: 'characters', maxLength: 32 })}
        {field('plate', 'Plate')}
        {field('year', 'Year', { type: 'number', min: 1886, max: 2100 })}
        {field('make', 'Make')}
        {field('model', 'Model')}
        {field('color', 'Colour')}
        {field('odometer', 'Odometer', { type: 'number', min: 0 })}
        <Field label="Odometer unit" error={errors.odometer_unit}>
          {(props) => (
            <select {...props} value={unit} onChange={(event) => setUnit(event.target.value === 'km' ? 'km' : 'mi')}>
              <option value="mi">miles</option>
              <option value="km">kilometres</option>
            </select>
          )}
        </Field>
        <div className="sm:col-span-2">
          {register.isError && Object.keys(errors).length === 0 && <ErrorNotice error={register.error} />}
          {register.isSuccess && <p role="status">Your {vehicleName(register.data)} is registered.</p>}
          <button type="submit" disabled={register.isPending} className="rounded bg-blue-800 px-4 py-2 font-semibold text-white">
            Register vehicle
          </button>
          {register.isPending && <Busy label="Registering the vehicle" />}
        </div>
      </form>
    </section>
  );
}

/** The customer's vehicles, and a form to register one. */
export default function VehiclesSection() {
  const trpc = useTRPC();
  const [page, setPage] = useState(1);
  const vehicles = useQuery(trpc.customers.myVehicles.queryOptions({ page, per_page: PER_PAGE }));

  return (
    <>
      <h1 className="text-2xl font-bold">My vehicles</h1>
      {vehicles.isPending && <Busy label="Loading your vehicles" />}
      {vehicles.isError && <ErrorNotice error={vehicles.error} />}
      {vehicles.data && (
        <>
          {vehicles.data.total === 0 ? (
            <p className="mt-4">No vehicle yet: register one below.</p>
          ) : (
            <Scrollable label="My vehicles">
              <table className={`mt-4 w-full text-left ${TABLE_CELLS}`}>
                <caption className="sr-only">My vehicles</caption>
                <thead>
                  <tr>
                    <th scope="col">Vehicle</th>
                    <th scope="col">VIN</th>
                    <th scope="col">Plate</th>
                    <th scope="col">Odometer</th>
                  </tr>
                </thead>
                <tbody>
                  {vehicles.data.items.map((vehicle) => (
                    <tr key={vehicle.id} className="border-t border-slate-200">
                      <td>{vehicleName(vehicle)}</td>
                      <td className="font-mono">{vehicle.vin ?? '—'}</td>
                      <td>{vehicle.plate ?? '—'}</td>
                      <td>{vehicle.odometer === null ? '—' : `${vehicle.odometer.toLocaleString()} ${vehicle.odometer_unit}`}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </Scrollable>
          )}
          <Pagination page={vehicles.data.page} per_page={vehicles.data.per_page} total={vehicles.data.total} onPage={setPage} />
        </>
      )}
      <RegisterVehicle />
    </>
  );
}
