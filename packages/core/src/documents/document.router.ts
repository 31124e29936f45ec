import { InvoiceKey } from '../invoices/invoice.schemas.ts';
import { ById } from '../shared/schemas.ts';
import type { RequestContext } from '../trpc/context.ts';
import { route } from '../trpc/meta.ts';
import { authenticatedProcedure, createCallerFactory, router } from '../trpc/procedures.ts';
import { PdfFile } from './document.schemas.ts';
import * as documents from './document.service.ts';

/**
 * The printable documents: REST routes that answer application/pdf, which
 * neither tRPC nor trpc-to-openapi can carry. They are procedures all the same,
 * built like every other (access, rate limit, input validation, errors), but in
 * a router of their own, outside `appRouter` (and so outside the tRPC door and
 * the SDK's types): apps/api serves them through `documentCaller`
 * (documents-routes.ts), and `listProcedures()` lists them with the others.
 */
export const documentRouter = router({
  documents: router({
    invoicePdf: authenticatedProcedure
      .meta(
        route({
          method: 'GET',
          path: '/invoices/{number}/pdf',
          rateLimit: 'read',
          // Rendered per request: a PDF is too large to keep in the response cache, and the JSON it prints is cheap to read.
          cache: 'no-store',
          tags: ['invoices'],
          summary: 'The invoice as a printable PDF',
          description:
            'Shop, number and dates, customer and vehicle, each job with its lines, discounts, shop supplies, the tax by category, ' +
            'totals, payments and balance: the figures of `GET /invoices/{number}`, digit for digit. A void invoice is stamped VOID.',
          ownership: "a customer gets their own invoices only (another customer's is a 404)",
        }),
      )
      .input(InvoiceKey)
      .output(PdfFile)
      .query(({ ctx, input }) => documents.invoicePdf(ctx.services, ctx.caller, input.number)),

    estimatePdf: authenticatedProcedure
      .meta(
        route({
          method: 'GET',
          path: '/service_tickets/{id}/estimate/pdf',
          rateLimit: 'read',
          cache: 'no-store',
          tags: ['estimates'],
          summary: "The ticket's estimate as a printable PDF, with the customer's decision on each job",
          description:
            'Every job with its lines and totals and its authorization (approved, declined or awaiting approval); declined jobs ' +
            'are shown but not counted, as in `GET /service_tickets/{id}`, whose figures it prints digit for digit.',
          ownership: "a customer gets their own tickets' estimates only (another customer's ticket is a 404)",
        }),
      )
      .input(ById)
      .output(PdfFile)
      .query(({ ctx, input }) => documents.estimatePdf(ctx.services, ctx.caller, input.id)),
  }),
});

const documentCallerFactory = createCallerFactory(documentRouter);

/** Calls the document procedures with a door's request context: the same middlewares as every other call. */
export const documentCaller = (context: RequestContext) => documentCallerFactory(context);
