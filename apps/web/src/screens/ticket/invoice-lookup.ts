import type { RouterOutputs } from '@mechanic-shop/sdk';

export type Invoice = RouterOutputs['invoices']['byNumber'];
type InvoicePage = RouterOutputs['invoices']['list'];

/**
 * The number of a ticket's invoice: its live one, else its last voided one, else null. The API lists invoices by
 * customer, newest first, and a ticket is invoiced again only after its invoice is voided, so the first of the
 * customer's invoices that is the ticket's is the one: pages are read until it turns up or they run out.
 */
export async function findTicketInvoiceNumber(listPage: (page: number) => Promise<InvoicePage>, ticketId: number): Promise<string | null> {
  for (let page = 1; ; page++) {
    const { items, pages } = await listPage(page);
    const invoice = items.find((item) => item.service_ticket_id === ticketId);
    if (invoice) return invoice.number;
    if (page >= pages) return null;
  }
}
