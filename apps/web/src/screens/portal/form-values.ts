/**
 * Form values as the API takes them: text fields left blank are left out (the API reads a missing field as "not
 * given", an empty string as a wrong value), the others trimmed.
 */
export function withoutBlanks<Values extends Record<string, string>>(values: Values): Partial<Values> {
  return Object.fromEntries(
    Object.entries(values)
      .map(([field, value]) => [field, value.trim()] as const)
      .filter(([, value]) => value !== ''),
  ) as Partial<Values>;
}

/** A whole number typed in a field, or undefined when blank; a non-number is passed on as NaN for the API to name. */
export function wholeNumber(text: string): number | undefined {
  const trimmed = text.trim();
  return trimmed === '' ? undefined : Number(trimmed);
}

/** Today in the browser's time zone, as YYYY-MM-DD (what date inputs and the API's dates take). */
export function today(now = new Date()): string {
  const local = new Date(now.getTime() - now.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 10);
}
