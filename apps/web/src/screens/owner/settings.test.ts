import { describe, expect, it } from 'vitest';
import { formOf, repricesEstimates, settingsChanges, type ShopSettings } from './settings.ts';

const settings: ShopSettings = {
  shop_name: 'Mechanic Shop',
  currency: 'USD',
  labor_rate: '120.00',
  tax_rates: { labor: '0.000', parts: '8.875', fees: '8.875', sublet: '0.000' },
  shop_supplies: { percent_of_labor: '5.000', cap: '35.00', taxable: true },
  declined_follow_up_days: 14,
  invoice_prefix: 'INV-',
};

describe('settingsChanges', () => {
  it('sends nothing for an untouched form', () => {
    expect(settingsChanges(settings, formOf(settings))).toEqual({});
  });

  it('sends only the fields that changed, trimmed, nested ones by their group', () => {
    const form = formOf(settings);
    form.labor_rate = ' 135.00 ';
    form.tax_rates = { ...form.tax_rates, parts: '9.000' };
    form.shop_supplies = { ...form.shop_supplies, taxable: false };
    form.declined_follow_up_days = '30';
    expect(settingsChanges(settings, form)).toEqual({
      labor_rate: '135.00',
      tax_rates: { parts: '9.000' },
      shop_supplies: { taxable: false },
      declined_follow_up_days: 30,
    });
  });

  it('does not count a rate typed again as it was: that would re-price every estimate', () => {
    const form = formOf(settings);
    form.tax_rates = { ...form.tax_rates, fees: ' 8.875' };
    expect(settingsChanges(settings, form)).toEqual({});
  });
});

describe('repricesEstimates', () => {
  it('is true of a change to the tax rates or the shop supplies, not of the labor rate', () => {
    expect(repricesEstimates({ labor_rate: '130.00' })).toBe(false);
    expect(repricesEstimates({ tax_rates: { parts: '9' } })).toBe(true);
    expect(repricesEstimates({ shop_supplies: { cap: '0' } })).toBe(true);
  });
});
