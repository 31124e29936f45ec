import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '../../api.ts';
import { Busy, ErrorNotice, Field, fieldErrors } from '../../ui/index.ts';
import { formOf, repricesEstimates, settingsChanges, type SettingsForm, type ShopSettings } from './settings.ts';

const TAX_CATEGORIES = [
  ['labor', 'Tax on labor (%)'],
  ['parts', 'Tax on parts (%)'],
  ['fees', 'Tax on fees (%)'],
  ['sublet', 'Tax on sublet work (%)'],
] as const;

function SettingsEditor({ settings }: { settings: ShopSettings }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<SettingsForm>(() => formOf(settings));
  const update = useMutation(
    trpc.shop.updateSettings.mutationOptions({
      onSuccess: async (saved) => {
        queryClient.setQueryData(trpc.shop.settings.queryKey(), saved);
        setForm(formOf(saved));
        // Money is shown in the shop's currency everywhere, and new rates re-price every open estimate.
        await queryClient.invalidateQueries();
      },
    }),
  );
  const errors = update.error ? fieldErrors(update.error) : {};
  const changes = settingsChanges(settings, form);
  const unchanged = Object.keys(changes).length === 0;
  const text = (field: 'shop_name' | 'currency' | 'labor_rate' | 'invoice_prefix' | 'declined_follow_up_days') => ({
    value: form[field],
    onChange: (event: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [field]: event.target.value }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate(changes);
  };

  return (
    <form onSubmit={submit} className="mt-4 grid max-w-2xl gap-4" noValidate>
      <Field label="Shop name" error={errors.shop_name}>
        {(props) => <input {...props} {...text('shop_name')} maxLength={100} />}
      </Field>
      <Field label="Currency (ISO 4217 code)" error={errors.currency}>
        {(props) => <input {...props} {...text('currency')} maxLength={3} autoCapitalize="characters" />}
      </Field>
      <Field label="Labor rate per hour" error={errors.labor_rate}>
        {(props) => <input {...props} {...text('labor_rate')} inputMode="decimal" />}
      </Field>
      <fieldset className="rounded border border-slate-300 p-3">
        <legend className="font-semibold">Sales tax</legend>
        <div className="grid gap-3 sm:grid-cols-2">
          {TAX_CATEGORIES.map(([category, label]) => (
            <Field key={category} label={label} error={errors[`tax_rates.${category}`]}>
              {(props) => (
                <input
                  {...props}
                  inputMode="decimal"
                  value={form.tax_rates[category]}
                  onChange={(event) => setForm({ ...form, tax_rates: { ...form.tax_rates, [category]: event.target.value } })}
                />
              )}
            </Field>
          ))}
        </div>
      </fieldset>
      <fieldset className="rounded border border-slate-300 p-3">
        <legend className="font-semibold">Shop supplies</legend>
        <div className="grid gap-3 sm:grid-cols-2">
          <Field label="Percent of labor" error={errors['shop_supplies.percent_of_labor']}>
            {(props) => (
              <input
                {...props}
                inputMode="decimal"
                value={form.shop_supplies.percent_of_labor}
                onChange={(event) => setForm({ ...form, shop_supplies: { ...form.shop_supplies, percent_of_labor: event.target.value } })}
              />
            )}
          </Field>
          <Field label="Cap per ticket (0 for none)" error={errors['shop_supplies.cap']}>
            {(props) => (
              <input
                {...props}
                inputMode="decimal"
                value={form.shop_supplies.cap}
                onChange={(event) => setForm({ ...form, shop_supplies: { ...form.shop_supplies, cap: event.target.value } })}
              />
            )}
          </Field>
        </div>
        <label className="mt-3 flex items-center gap-2">
          <input
            type="checkbox"
            checked={form.shop_supplies.taxable}
            onChange={(event) => setForm({ ...form, shop_supplies: { ...form.shop_supplies, taxable: event.target.checked } })}
          />
          Shop supplies are taxed (at the fees rate)
        </label>
      </fieldset>
      <Field label="Days before following up declined work" error={errors.declined_follow_up_days}>
        {(props) => <input {...props} {...text('declined_follow_up_days')} inputMode="numeric" />}
      </Field>
      <Field label="Invoice number prefix" error={errors.invoice_prefix}>
        {(props) => <input {...props} {...text('invoice_prefix')} maxLength={12} />}
      </Field>
      {repricesEstimates(changes) && (
        <p className="rounded border border-amber-700 bg-amber-50 p-3">
          Changing tax or shop supplies re-prices every open estimate: jobs customers approved on tickets not yet invoiced go back to
          awaiting their approval.
        </p>
      )}
      {update.isError && Object.keys(errors).length === 0 && <ErrorNotice error={update.error} />}
      {update.isSuccess && unchanged && <p role="status">Settings saved.</p>}
      <div>
        <button
          type="submit"
          disabled={unchanged || update.isPending}
          className="rounded bg-blue-800 px-4 py-2 font-semibold text-white disabled:opacity-60"
        >
          Save settings
        </button>
        {update.isPending && <Busy label="Saving the settings" />}
      </div>
    </form>
  );
}

/** The shop's settings: name, currency, labor rate, tax rates, shop supplies, follow-up delay, invoice prefix. */
export default function SettingsSection() {
  const trpc = useTRPC();
  const settings = useQuery(trpc.shop.settings.queryOptions());
  return (
    <>
      <h1 className="text-2xl font-bold">Shop settings</h1>
      {settings.isPending && <Busy label="Loading the settings" />}
      {settings.isError && <ErrorNotice error={settings.error} />}
      {settings.data && <SettingsEditor settings={settings.data} />}
    </>
  );
}
