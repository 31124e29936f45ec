import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { RouterInputs, RouterOutputs } from '@mechanic-shop/sdk';
import { useId, useState, type FormEvent } from 'react';
import { useSession, useTRPC } from '../../api.ts';
import { Avatar, Busy, ErrorNotice, Field, fieldErrors, Money, Pagination, ROLE_NAMES } from '../../ui/index.ts';

const PER_PAGE = 10;

type StaffMember = RouterOutputs['mechanics']['list']['items'][number];
type Role = RouterInputs['mechanics']['changeRole']['role'];

/** Every role, in the order of the words the app gives them. */
const ROLES = Object.keys(ROLE_NAMES) as Role[];

function isRole(value: string): value is Role {
  return value in ROLE_NAMES;
}

function StaffCard({ member, isMe }: { member: StaffMember; isMe: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const nameId = useId();
  const [role, setRole] = useState<Role>(member.role);
  const refresh = () => queryClient.invalidateQueries(trpc.mechanics.pathFilter());
  const changeRole = useMutation(trpc.mechanics.changeRole.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.mechanics.delete.mutationOptions({ onSuccess: refresh }));
  const error = changeRole.error ?? remove.error;

  return (
    <li aria-labelledby={nameId} className="rounded border border-slate-300 p-4">
      <div className="flex items-center gap-3">
        <Avatar name={member.name} />
        <h3 id={nameId} className="text-lg font-semibold">
          {member.name}
          {isMe && ' (you)'}
        </h3>
      </div>
      <p className="mt-1 text-sm">
        {member.email} · {member.phone}
        {member.salary !== undefined && (
          <>
            {' '}
            · salary <Money amount={member.salary} />
          </>
        )}
      </p>
      <form
        className="mt-2 flex flex-wrap items-end gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          changeRole.mutate({ id: member.id, role });
        }}
      >
        <Field label={`Role of ${member.name}`}>
          {(props) => (
            <select {...props} value={role} onChange={(event) => isRole(event.target.value) && setRole(event.target.value)}>
              {ROLES.map((each) => (
                <option key={each} value={each}>
                  {ROLE_NAMES[each]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <button
          type="submit"
          disabled={role === member.role || changeRole.isPending}
          className="rounded bg-blue-800 px-3 py-1 text-white disabled:opacity-60"
        >
          Change role
        </button>
        {!isMe && (
          <button
            type="button"
            disabled={remove.isPending}
            onClick={() => window.confirm(`Delete ${member.name}'s account? This cannot be undone.`) && remove.mutate({ id: member.id })}
            className="rounded border border-red-800 px-3 py-1 text-red-900"
          >
            Delete account
          </button>
        )}
      </form>
      {(changeRole.isPending || remove.isPending) && <Busy label="Saving" />}
      {error && <ErrorNotice error={error} />}
    </li>
  );
}

const BLANK = { name: '', email: '', phone: '', address: '', salary: '', password: '' };

function AddStaff() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [values, setValues] = useState(BLANK);
  const [role, setRole] = useState<Role>('technician');
  const add = useMutation(
    trpc.mechanics.register.mutationOptions({
      onSuccess: async () => {
        setValues(BLANK);
        await queryClient.invalidateQueries(trpc.mechanics.pathFilter());
      },
    }),
  );
  const errors = add.error ? fieldErrors(add.error) : {};
  const field = (name: keyof typeof BLANK, label: string, extra: React.InputHTMLAttributes<HTMLInputElement> = {}) => (
    <Field label={label} error={errors[name]}>
      {(props) => (
        <input {...props} {...extra} value={values[name]} onChange={(event) => setValues({ ...values, [name]: event.target.value })} />
      )}
    </Field>
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate({ ...values, role });
  };

  return (
    <section aria-labelledby="add-staff" className="mt-8">
      <h2 id="add-staff" className="text-xl font-semibold">
        Add a staff account
      </h2>
      <form onSubmit={submit} className="mt-3 grid max-w-2xl gap-3 sm:grid-cols-2" noValidate>
        {field('name', 'Name', { autoComplete: 'off' })}
        {field('email', 'Email', { type: 'email', autoComplete: 'off' })}
        {field('phone', 'Phone', { type: 'tel' })}
        {field('address', 'Address')}
        {field('salary', 'Yearly salary', { inputMode: 'decimal' })}
        {field('password', 'First password (they change it)', { type: 'password', autoComplete: 'new-password' })}
        <Field label="Role" error={errors.role}>
          {(props) => (
            <select {...props} value={role} onChange={(event) => isRole(event.target.value) && setRole(event.target.value)}>
              {ROLES.map((each) => (
                <option key={each} value={each}>
                  {ROLE_NAMES[each]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="sm:col-span-2">
          {add.isError && Object.keys(errors).length === 0 && <ErrorNotice error={add.error} />}
          {add.isSuccess && <p role="status">{add.data.name} can now sign in.</p>}
          <button type="submit" disabled={add.isPending} className="rounded bg-blue-800 px-4 py-2 font-semibold text-white">
            Add account
          </button>
          {add.isPending && <Busy label="Adding the account" />}
        </div>
      </form>
    </section>
  );
}

/** The shop's staff, their roles (owners change them), and new accounts. */
export default function StaffSection() {
  const trpc = useTRPC();
  const { session } = useSession();
  const [page, setPage] = useState(1);
  const staff = useQuery(trpc.mechanics.list.queryOptions({ page, per_page: PER_PAGE }));
  return (
    <>
      <h1 className="text-2xl font-bold">Staff and roles</h1>
      {staff.isPending && <Busy label="Loading the staff" />}
      {staff.isError && <ErrorNotice error={staff.error} />}
      {staff.data && (
        <>
          <ul className="mt-4 grid gap-3 md:grid-cols-2">
            {staff.data.items.map((member) => (
              <StaffCard key={`${member.id}:${member.role}`} member={member} isMe={session?.id === member.id} />
            ))}
          </ul>
          <Pagination page={staff.data.page} per_page={staff.data.per_page} total={staff.data.total} onPage={setPage} />
        </>
      )}
      <AddStaff />
    </>
  );
}
