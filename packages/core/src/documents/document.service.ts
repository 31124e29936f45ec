import type { AppServices } from '../app-services.ts';
import type { Principal } from '../auth/tokens.ts';
import { getInvoice } from '../invoices/invoice.service.ts';
import { getTicket } from '../service-tickets/service-ticket.service.ts';
import { readSettings } from '../shop/shop.service.ts';
import { estimateDocument, invoiceDocument } from './document.view.ts';
import type { PdfFile } from './document.schemas.ts';
import type * as PdfRender from './pdf-render.ts';

type Deps = Pick<AppServices, 'db' | 'provider'>;

/** PDF rendering (pdfkit, fontkit and their data), loaded with the first document: loading it cost every start about 0.3 s. */
let renderer: Promise<typeof PdfRender> | undefined;
const renderPdf: typeof PdfRender.renderPdf = async (document) => (await (renderer ??= import('./pdf-render.ts'))).renderPdf(document);

/** A file name from a document's number: an invoice prefix may hold `/`, which no file name does. */
const fileName = (name: string) => `${name.replace(/[^\w.-]/g, '-')}.pdf`;

/**
 * An invoice as a PDF, for whoever may read the invoice (`getInvoice` applies
 * the rule): printed from the very view the JSON route answers.
 */
export async function invoicePdf(deps: Deps, caller: Principal, number: string): Promise<PdfFile> {
  const invoice = await getInvoice(deps, caller, number);
  return { filename: fileName(invoice.number), bytes: await renderPdf(invoiceDocument(invoice)) };
}

/**
 * A ticket's estimate as a PDF, for whoever may read the ticket (`getTicket`
 * applies the rule), with the customer's contact details and the shop's name.
 */
export async function estimatePdf(deps: Deps, caller: Principal, ticketId: number): Promise<PdfFile> {
  const ticket = await getTicket(deps, caller, ticketId);
  const [customer, vehicle, settings] = await Promise.all([
    deps.db.customer.findUniqueOrThrow({
      where: { id: ticket.customer_id },
      select: { name: true, email: true, phone: true, address: true },
    }),
    deps.db.vehicle.findUniqueOrThrow({ where: { id: ticket.vehicle.id }, select: { odometerUnit: true } }),
    readSettings(deps.db),
  ]);
  const parties = { customer, odometerUnit: vehicle.odometerUnit, shop: { name: settings.shopName, currency: settings.currency } };
  return { filename: fileName(`estimate-${ticket.id}`), bytes: await renderPdf(estimateDocument(ticket, parties)) };
}
