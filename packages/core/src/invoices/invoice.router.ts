import { route } from '../trpc/meta.ts';
import { authenticatedProcedure, mechanicProcedure, router, staffProcedure } from '../trpc/procedures.ts';
import { Invoice, INVOICE_VIEW_SOURCES, InvoiceKey, InvoicePage, InvoiceQuery, NewInvoice, VoidInvoice } from './invoice.schemas.ts';
import * as invoices from './invoice.service.ts';

const tags: ['invoices'] = ['invoices'];

export const invoiceRouter = router({
  create: staffProcedure('owner', 'service_writer')
    .meta(
      route({
        method: 'POST',
        path: '/service_tickets/{id}/invoice',
        rateLimit: 'write',
        invalidates: ['invoices'],
        tags,
        summary: 'Invoice a completed ticket: a numbered, frozen record of its approved work',
        description:
          "The ticket must be COMPLETED with no job awaiting the customer's decision; declined jobs are left out. One live " +
          "invoice per ticket. Numbers are the shop's invoice_prefix and six digits, without gaps or duplicates. The customer, " +
          "vehicle, jobs, lines, prices, tax and totals are copied: later changes never alter the invoice, and the ticket's jobs " +
          'and lines are frozen (409 ticket_invoiced) until it is voided.',
        successStatus: 201,
        errors: ['ticket_not_completed', 'pending_work', 'already_invoiced', 'amount_too_large', 'transaction_conflict'],
      }),
    )
    .input(NewInvoice)
    .output(Invoice)
    .mutation(({ ctx, input }) => invoices.issueInvoice(ctx.services, ctx.caller, input.id)),

  list: mechanicProcedure
    .meta(
      route({
        method: 'GET',
        path: '/invoices',
        rateLimit: 'read',
        cache: { scope: 'role', dependsOn: INVOICE_VIEW_SOURCES },
        tags,
        summary: 'List invoices, newest first, by status, customer or day issued',
        description: 'status is derived from the payments and refunds; from and to are days (UTC), both included.',
      }),
    )
    .input(InvoiceQuery)
    .output(InvoicePage)
    .query(({ ctx, input }) => invoices.listInvoices(ctx.services, input)),

  byNumber: authenticatedProcedure
    .meta(
      route({
        method: 'GET',
        path: '/invoices/{number}',
        rateLimit: 'read',
        cache: { scope: 'caller', dependsOn: INVOICE_VIEW_SOURCES },
        tags,
        summary: 'Get an invoice with its payments and refunds',
        ownership: "a customer sees their own invoices only (another customer's is a 404)",
      }),
    )
    .input(InvoiceKey)
    .output(Invoice)
    .query(({ ctx, input }) => invoices.getInvoice(ctx.services, ctx.caller, input.number)),

  void: staffProcedure('owner')
    .meta(
      route({
        method: 'POST',
        path: '/invoices/{number}/void',
        rateLimit: 'write',
        invalidates: ['invoices'],
        tags,
        summary: 'Void an invoice that holds no money',
        description:
          'Only while nothing is paid net (refund its payments first). It keeps its number; its ticket can be changed and ' +
          'invoiced again, under a new number.',
        errors: ['invoice_void', 'invoice_has_payments', 'transaction_conflict'],
      }),
    )
    .input(VoidInvoice)
    .output(Invoice)
    .mutation(({ ctx, input }) => invoices.voidInvoice(ctx.services, ctx.caller, input)),
});
