import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { useSession } from '../api.ts';

/**
 * A currency a screen knows from its own data (the approval page, which has no
 * session, from its link's view): it wins over the session's.
 */
const KnownCurrency = createContext<string | undefined>(undefined);

export function ShopCurrency({ code, children }: { code: string | undefined; children?: ReactNode }) {
  return <KnownCurrency.Provider value={code}>{children}</KnownCurrency.Provider>;
}

/** The shop's name and currency: every account's `me` carries them (the approval page's view names its currency). */
export function useShop(): { name: string | undefined; currency: string | undefined } {
  const { session } = useSession();
  const known = useContext(KnownCurrency);
  return { name: session?.shop.name, currency: known ?? session?.shop.currency };
}

/**
 * Formats the API's decimal strings without turning them into floats first:
 * Intl takes the string as it is (exact), in the user's locale. Until the
 * currency is known, the plain amount with its two decimals.
 */
export function formatMoney(amount: string, currency: string | undefined, locale?: string): string {
  const format = currency
    ? new Intl.NumberFormat(locale, { style: 'currency', currency })
    : new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  // Intl reads a numeric string exactly (no float rounding on the way); its types say number only.
  return format.format(amount as unknown as number);
}

/** An amount of the API (a decimal string, e.g. "12.34") in the shop's currency. */
export function Money({ amount, className }: { amount: string; className?: string }) {
  const { currency } = useShop();
  const text = useMemo(() => formatMoney(amount, currency), [amount, currency]);
  return <span className={`tabular-nums ${className ?? ''}`}>{text}</span>;
}
