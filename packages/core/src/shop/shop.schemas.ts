import { z } from 'zod';
import { Money, MoneyInput } from '../shared/money.ts';
import { Percent, PercentInput } from '../shared/percent.ts';
import { MAX_LENGTH } from '../shared/limits.ts';
import { DatabaseText } from '../shared/schemas.ts';

/** The longest a declined job waits before the shop follows it up. */
export const MAX_FOLLOW_UP_DAYS = 365;

const TaxRates = z.object({ labor: Percent, parts: Percent, fees: Percent, sublet: Percent });

export const ShopSettings = z
  .object({
    shop_name: z.string(),
    currency: z.string().meta({ description: 'ISO 4217 code; every amount of the API is in it.' }),
    labor_rate: Money.meta({ description: 'The rate a new labor line gets when it names none; fixed on the line then.' }),
    tax_rates: TaxRates.meta({ description: 'Sales tax per category, applied to its taxable line nets, rounded once per category.' }),
    shop_supplies: z.object({
      percent_of_labor: Percent,
      cap: Money.meta({ description: '0.00 means no cap.' }),
      taxable: z.boolean().meta({ description: 'Taxed at the fees rate when true.' }),
    }),
    declined_follow_up_days: z.int(),
    invoice_prefix: z.string().meta({ description: 'Invoice numbers are this prefix and six digits (more past 999999).' }),
  })
  .meta({
    id: 'ShopSettings',
    example: {
      shop_name: 'Mechanic Shop',
      currency: 'USD',
      labor_rate: '120.00',
      tax_rates: { labor: '0.000', parts: '8.875', fees: '8.875', sublet: '0.000' },
      shop_supplies: { percent_of_labor: '5.000', cap: '35.00', taxable: true },
      declined_follow_up_days: 14,
      invoice_prefix: 'INV-',
    },
  });
export type ShopSettings = z.output<typeof ShopSettings>;

export const ShopSettingsEdit = z
  .strictObject({
    shop_name: DatabaseText(1, 100).optional(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'Expected an ISO 4217 code, such as USD')
      .optional(),
    labor_rate: MoneyInput.optional(),
    tax_rates: z
      .strictObject({
        labor: PercentInput.optional(),
        parts: PercentInput.optional(),
        fees: PercentInput.optional(),
        sublet: PercentInput.optional(),
      })
      .optional(),
    shop_supplies: z
      .strictObject({ percent_of_labor: PercentInput.optional(), cap: MoneyInput.optional(), taxable: z.boolean().optional() })
      .optional(),
    declined_follow_up_days: z.int().min(0).max(MAX_FOLLOW_UP_DAYS).optional(),
    invoice_prefix: z
      .string()
      .min(1)
      .max(MAX_LENGTH.invoicePrefix)
      .regex(/^[A-Za-z0-9/-]+$/, 'Expected letters, digits, - and /')
      .optional()
      .meta({ description: 'For invoices issued from now on; issued ones keep their numbers.', example: 'INV-' }),
  })
  .meta({ examples: [{ labor_rate: '135.00', tax_rates: { parts: '8.875' } }] });
export type ShopSettingsEdit = z.output<typeof ShopSettingsEdit>;
