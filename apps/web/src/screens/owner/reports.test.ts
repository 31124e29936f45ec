import { describe, expect, it } from 'vitest';
import { subscribableEvents } from './event-catalogue.ts';
import { isLowStock, pageOf } from './low-stock.ts';
import { monthStart, revenueRows, utcToday, type SalesReport } from './sales.ts';

const byMethod = { cash: '0.00', card: '0.00', check: '0.00', other: '0.00', total: '0.00' };
const report: SalesReport = {
  from: '2026-12-01',
  to: '2026-12-31',
  currency: 'USD',
  invoice_count: 2,
  revenue: {
    labor: '342.00',
    parts: '99.80',
    fees: '5.00',
    sublet: '89.00',
    shop_supplies: '17.10',
    flat_charges: '0.00',
    total: '552.90',
  },
  discounts: '18.00',
  tax: { labor: '0.00', parts: '8.86', fees: '1.52', sublet: '0.00', total: '10.38' },
  invoiced: '563.28',
  average_invoice: '281.64',
  payments: byMethod,
  refunds: byMethod,
  net_payments: '0.00',
  outstanding_balance: '563.28',
};

describe('revenueRows', () => {
  it('gives every revenue category with its tax; shop supplies and flat charges say why they have none of their own', () => {
    expect(revenueRows(report)).toEqual([
      { label: 'Labor', revenue: '342.00', tax: { amount: '0.00' } },
      { label: 'Parts', revenue: '99.80', tax: { amount: '8.86' } },
      { label: 'Fees', revenue: '5.00', tax: { amount: '1.52' } },
      { label: 'Sublet work', revenue: '89.00', tax: { amount: '0.00' } },
      { label: 'Shop supplies', revenue: '17.10', tax: { note: 'counted with fees' } },
      { label: 'Flat charges', revenue: '0.00', tax: { note: 'never taxed' } },
    ]);
  });

  it('adds up to the report’s revenue total', () => {
    const cents = revenueRows(report).reduce((sum, row) => sum + Math.round(Number(row.revenue) * 100), 0);
    expect(cents).toBe(55_290);
  });
});

describe('monthStart', () => {
  it('is the first day of the month', () => {
    expect(monthStart('2026-11-30')).toBe('2026-11-01');
    expect(monthStart('2026-02-01')).toBe('2026-02-01');
  });
});

describe('utcToday', () => {
  it('is the UTC day, which the report counts in, not the local one', () => {
    expect(utcToday(new Date('2026-11-30T23:30:00-05:00'))).toBe('2026-12-01');
  });
});

describe('isLowStock', () => {
  it('is at or below a reorder point above 0', () => {
    expect(isLowStock({ quantity: 4, reorder_point: 4 })).toBe(true);
    expect(isLowStock({ quantity: 5, reorder_point: 4 })).toBe(false);
    expect(isLowStock({ quantity: 0, reorder_point: 0 })).toBe(false);
  });
});

describe('pageOf', () => {
  it('cuts a whole list into the API’s page shape', () => {
    const items = Array.from({ length: 23 }, (_, index) => index);
    expect(pageOf(items, 3, 10)).toEqual({ items: [20, 21, 22], page: 3, per_page: 10, total: 23 });
    expect(pageOf(items, 4, 10).items).toEqual([]);
  });
});

describe('subscribableEvents', () => {
  it("reads the types POST /webhooks takes, with each one's summary from the webhooks section", () => {
    const document = {
      paths: {
        '/webhooks': {
          post: {
            requestBody: {
              content: {
                'application/json': {
                  schema: { properties: { event_types: { items: { enum: ['ticket.created', 'job.declined'] } } } },
                },
              },
            },
          },
        },
      },
      webhooks: {
        'ticket.created': { post: { summary: 'A service ticket was opened.' } },
        'webhook.test': { post: { summary: 'Sent by POST /webhooks/{id}/test.' } },
      },
    };
    expect(subscribableEvents(document)).toEqual([
      { type: 'ticket.created', summary: 'A service ticket was opened.' },
      { type: 'job.declined', summary: '' },
    ]);
  });

  it('is empty for a document without the route', () => {
    expect(subscribableEvents({})).toEqual([]);
  });
});
