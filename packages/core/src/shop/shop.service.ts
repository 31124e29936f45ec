import type { Principal } from '../auth/tokens.ts';
import type { Prisma, Transaction } from '../db/client.ts';
import { inTransaction } from '../db/transactions.ts';
import type { EngineSettings } from '../estimates/money-engine.ts';
import { diffFields, recordAudit } from '../events/outbox.ts';
import { formatCents } from '../shared/money.ts';
import { formatPercent } from '../shared/percent.ts';
import type { AppServices } from '../app-services.ts';
import type { ShopSettings, ShopSettingsEdit } from './shop.schemas.ts';

type Deps = Pick<AppServices, 'db'>;

/** The settings are one row with this id. */
const SETTINGS_ID = 1;

const settingsFields = {
  shopName: true,
  currency: true,
  laborRateCents: true,
  taxLaborThousandths: true,
  taxPartsThousandths: true,
  taxFeesThousandths: true,
  taxSubletThousandths: true,
  suppliesPercentThousandths: true,
  suppliesCapCents: true,
  suppliesTaxable: true,
  declinedFollowUpDays: true,
  invoicePrefix: true,
  pricingVersion: true,
} satisfies Prisma.ShopSettingsSelect;

export type SettingsRow = Prisma.ShopSettingsGetPayload<{ select: typeof settingsFields }>;

/** A new shop's settings, until its owner first changes them: no row is written before that. */
export const DEFAULT_SHOP_SETTINGS: SettingsRow = {
  shopName: 'Mechanic Shop',
  currency: 'USD',
  laborRateCents: 12_000,
  taxLaborThousandths: 0,
  taxPartsThousandths: 0,
  taxFeesThousandths: 0,
  taxSubletThousandths: 0,
  suppliesPercentThousandths: 0,
  suppliesCapCents: 0,
  suppliesTaxable: false,
  declinedFollowUpDays: 14,
  invoicePrefix: 'INV-',
  pricingVersion: 0,
};

export async function readSettings(db: Deps['db'] | Transaction): Promise<SettingsRow> {
  return (await db.shopSettings.findUnique({ where: { id: SETTINGS_ID }, select: settingsFields })) ?? DEFAULT_SHOP_SETTINGS;
}

export function toSettingsView(row: SettingsRow): ShopSettings {
  return {
    shop_name: row.shopName,
    currency: row.currency,
    labor_rate: formatCents(row.laborRateCents),
    tax_rates: {
      labor: formatPercent(row.taxLaborThousandths),
      parts: formatPercent(row.taxPartsThousandths),
      fees: formatPercent(row.taxFeesThousandths),
      sublet: formatPercent(row.taxSubletThousandths),
    },
    shop_supplies: {
      percent_of_labor: formatPercent(row.suppliesPercentThousandths),
      cap: formatCents(row.suppliesCapCents),
      taxable: row.suppliesTaxable,
    },
    declined_follow_up_days: row.declinedFollowUpDays,
    invoice_prefix: row.invoicePrefix,
  };
}

/** What the money engine needs of the settings. */
export function engineSettingsOf(row: SettingsRow): EngineSettings {
  return {
    taxRates: {
      labor: row.taxLaborThousandths,
      parts: row.taxPartsThousandths,
      fees: row.taxFeesThousandths,
      sublet: row.taxSubletThousandths,
    },
    shopSupplies: {
      percentOfLaborThousandths: row.suppliesPercentThousandths,
      capCents: row.suppliesCapCents,
      taxable: row.suppliesTaxable,
    },
  };
}

/** The settings as flat `tax_rates.labor`-style fields: an audit entry names the one rate that changed. */
function flatView(row: SettingsRow): Record<string, unknown> {
  const flat: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(toSettingsView(row))) {
    if (typeof value !== 'object' || value === null) flat[name] = value;
    else for (const [field, inner] of Object.entries(value)) flat[`${name}.${field}`] = inner;
  }
  return flat;
}

export async function getSettings({ db }: Deps): Promise<ShopSettings> {
  return toSettingsView(await readSettings(db));
}

/**
 * Changes any subset of the settings. A change to the tax rates or shop supplies
 * re-prices every ticket, so it raises `pricingVersion`, which each ticket's
 * `estimate_version` counts in (an approval of the old figures no longer matches),
 * and sends approved jobs back to pending until the customer decides on the new figures.
 * The labor rate is not counted: it prices new labor lines only.
 */
export async function updateSettings({ db }: Deps, caller: Principal, edit: ShopSettingsEdit): Promise<ShopSettings> {
  return inTransaction(db, async (tx) => {
    const current = await readSettings(tx);
    const { tax_rates: tax = {}, shop_supplies: supplies = {} } = edit;
    const next: SettingsRow = {
      shopName: edit.shop_name ?? current.shopName,
      currency: edit.currency ?? current.currency,
      laborRateCents: edit.labor_rate ?? current.laborRateCents,
      taxLaborThousandths: tax.labor ?? current.taxLaborThousandths,
      taxPartsThousandths: tax.parts ?? current.taxPartsThousandths,
      taxFeesThousandths: tax.fees ?? current.taxFeesThousandths,
      taxSubletThousandths: tax.sublet ?? current.taxSubletThousandths,
      suppliesPercentThousandths: supplies.percent_of_labor ?? current.suppliesPercentThousandths,
      suppliesCapCents: supplies.cap ?? current.suppliesCapCents,
      suppliesTaxable: supplies.taxable ?? current.suppliesTaxable,
      declinedFollowUpDays: edit.declined_follow_up_days ?? current.declinedFollowUpDays,
      invoicePrefix: edit.invoice_prefix ?? current.invoicePrefix,
      pricingVersion: current.pricingVersion,
    };
    const repriced = JSON.stringify(engineSettingsOf(next)) !== JSON.stringify(engineSettingsOf(current));
    if (repriced) {
      next.pricingVersion += 1;
      // The customer approved the old figures, not the new ones: approved jobs of tickets not invoiced yet (an
      // invoice keeps the figures it was issued with) wait for their decision again.
      await tx.job.updateMany({
        where: { authorization: 'approved', ticket: { invoices: { none: { voidedAt: null } } } },
        data: { authorization: 'pending', decidedAt: null, approvalId: null },
      });
    }
    const row = await tx.shopSettings.upsert({
      where: { id: SETTINGS_ID },
      create: { id: SETTINGS_ID, ...next },
      update: next,
      select: settingsFields,
    });
    const changes = diffFields(flatView(current), flatView(row));
    await recordAudit(tx, { actor: caller, subject: { type: 'shop', id: SETTINGS_ID }, action: 'shop.settings_updated', changes });
    return toSettingsView(row);
  });
}
