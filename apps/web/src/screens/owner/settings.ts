import type { RouterInputs, RouterOutputs } from '@mechanic-shop/sdk';

export type ShopSettings = RouterOutputs['shop']['settings'];
export type SettingsEdit = RouterInputs['shop']['updateSettings'];

/** The settings as the form holds them: as the API shows them, the number of days as typed. */
export type SettingsForm = Omit<ShopSettings, 'declined_follow_up_days'> & { declined_follow_up_days: string };

export function formOf(settings: ShopSettings): SettingsForm {
  return { ...settings, declined_follow_up_days: String(settings.declined_follow_up_days) };
}

/** The fields of a group whose value the form changed (trimmed text, or a checkbox), or undefined when none did. */
function changedIn<Group extends Record<string, string | boolean>>(current: Group, form: Group): Partial<Group> | undefined {
  const changed = Object.entries(form).filter(([field, value]) => (typeof value === 'string' ? value.trim() : value) !== current[field]);
  return changed.length === 0
    ? undefined
    : (Object.fromEntries(changed.map(([field, value]) => [field, typeof value === 'string' ? value.trim() : value])) as Partial<Group>);
}

/**
 * What to send: only what the form changed. A change to the tax rates or shop supplies re-prices every open estimate
 * and sends approved jobs back to the customer, so a rate typed again as it was must not count as one.
 */
export function settingsChanges(current: ShopSettings, form: SettingsForm): SettingsEdit {
  const { tax_rates, shop_supplies, declined_follow_up_days, ...plain } = form;
  const { tax_rates: currentTaxRates, shop_supplies: currentSupplies, declined_follow_up_days: currentDays, ...currentPlain } = current;
  const days = declined_follow_up_days.trim();
  const taxRates = changedIn(currentTaxRates, tax_rates);
  const supplies = changedIn(currentSupplies, shop_supplies);
  return {
    ...changedIn(currentPlain, plain),
    ...(taxRates && { tax_rates: taxRates }),
    ...(supplies && { shop_supplies: supplies }),
    ...(days !== String(currentDays) && { declined_follow_up_days: Number(days) }),
  };
}

/** Whether the change re-prices the open estimates (their approvals go back to pending). */
export function repricesEstimates(changes: SettingsEdit): boolean {
  return changes.tax_rates !== undefined || changes.shop_supplies !== undefined;
}
