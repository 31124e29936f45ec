import { isMechanicShopError } from '../api.ts';

/**
 * The API's field errors by field, for `<Field error={…}>`: a validation error
 * carries them in `data.fields`, with dotted paths (`tax_rates.labor`, `lines.2.quantity`).
 */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!isMechanicShopError(error)) return {};
  return Object.fromEntries((error.data?.fields ?? []).map(({ field, message }) => [field, message]));
}
