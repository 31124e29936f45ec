import { problemError, type MechanicShopClientOptions, type ProblemDetails } from './client.ts';

/** The printable documents, which the API serves as PDF over REST (tRPC carries JSON only). */
export interface DocumentDownloads {
  /** An invoice as a PDF (`GET /invoices/{number}/pdf`): staff, or the invoice's customer. */
  invoicePdf(number: string): Promise<Uint8Array>;
  /** A ticket's estimate as a PDF, with the customer's decision on each job (`GET /service_tickets/{id}/estimate/pdf`). */
  estimatePdf(ticketId: number): Promise<Uint8Array>;
}

/**
 * Downloads of the printable documents with the client's options (its URL,
 * token or `getToken`, headers and fetch). A refusal is the same typed error as
 * any call's, with the problem code in `data.reason`.
 *
 * ```ts
 * const documents = createDocumentDownloads({ url: 'http://localhost:3000', token });
 * await writeFile('INV-000042.pdf', await documents.invoicePdf('INV-000042'));
 * ```
 */
export function createDocumentDownloads(options: MechanicShopClientOptions): DocumentDownloads {
  const base = options.url.replace(/\/+$/, '');
  const download = async (path: string): Promise<Uint8Array> => {
    const token = options.getToken ? await options.getToken() : options.token;
    const response = await (options.fetch ?? globalThis.fetch)(`${base}${path}`, {
      headers: { ...options.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    });
    if (!response.ok) throw problemError(response.status, (await response.json().catch(() => ({}))) as ProblemDetails);
    return new Uint8Array(await response.arrayBuffer());
  };
  return {
    invoicePdf: (number) => download(`/invoices/${encodeURIComponent(number)}/pdf`),
    estimatePdf: (ticketId) => download(`/service_tickets/${ticketId}/estimate/pdf`),
  };
}
