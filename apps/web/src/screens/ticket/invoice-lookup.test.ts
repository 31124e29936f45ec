import { describe, expect, it } from 'vitest';
import { findTicketInvoiceNumber } from './invoice-lookup.ts';

/** Pages of a customer's invoices, newest first, as the API lists them: [service_ticket_id, number] each. */
function lister(pages: Array<Array<[number, string]>>) {
  const asked: number[] = [];
  const listPage = async (page: number) => {
    asked.push(page);
    const items = (pages[page - 1] ?? []).map(([service_ticket_id, number]) => ({ service_ticket_id, number }));
    return { items, page, per_page: 2, total: pages.flat().length, pages: pages.length } as never;
  };
  return { listPage, asked };
}

describe('findTicketInvoiceNumber', () => {
  it("finds the ticket's newest invoice, reading no page past it", async () => {
    const { listPage, asked } = lister([
      [
        [9, 'INV-000009'],
        [8, 'INV-000008'],
      ],
      [
        [7, 'INV-000007'],
        [7, 'INV-000003'],
      ],
      [[1, 'INV-000001']],
    ]);
    expect(await findTicketInvoiceNumber(listPage, 7)).toBe('INV-000007');
    expect(asked).toEqual([1, 2]);
  });

  it('is null once every page is read without it, or when the customer has none', async () => {
    const some = lister([[[9, 'INV-000009']], [[8, 'INV-000008']]]);
    expect(await findTicketInvoiceNumber(some.listPage, 7)).toBeNull();
    expect(some.asked).toEqual([1, 2]);
    expect(await findTicketInvoiceNumber(lister([]).listPage, 7)).toBeNull();
  });
});
