import { route } from '../trpc/meta.ts';
import { router, staffProcedure } from '../trpc/procedures.ts';
import { NewPayment, NewRefund, Payment, Refund } from './payment.schemas.ts';
import * as payments from './payment.service.ts';

const tags: ['payments'] = ['payments'];

export const paymentRouter = router({
  create: staffProcedure('owner', 'service_writer')
    .meta(
      route({
        method: 'POST',
        path: '/invoices/{number}/payments',
        rateLimit: 'write',
        invalidates: ['payments'],
        idempotency: 'required',
        tags,
        summary: 'Record a payment against an invoice',
        description:
          'More than 0 and at most the balance (409 overpayment); a void invoice takes none. reference is the payment ' +
          "processor's id: a card number is refused, and none is ever stored. The answer shows the invoice's new paid, " +
          'balance and status.',
        successStatus: 201,
        errors: ['overpayment', 'invoice_void', 'transaction_conflict'],
      }),
    )
    .input(NewPayment)
    .output(Payment)
    .mutation(({ ctx, input }) => payments.recordPayment(ctx.services, ctx.caller, input)),

  refund: staffProcedure('owner')
    .meta(
      route({
        method: 'POST',
        path: '/payments/{id}/refunds',
        rateLimit: 'write',
        invalidates: ['payments'],
        idempotency: 'required',
        tags,
        summary: 'Refund money from a payment',
        description:
          "At most what is left of the payment after its earlier refunds (409 refund_too_large). The answer shows the payment's " +
          "refunded and left, and the invoice's new paid, balance and status.",
        successStatus: 201,
        errors: ['refund_too_large', 'transaction_conflict'],
      }),
    )
    .input(NewRefund)
    .output(Refund)
    .mutation(({ ctx, input }) => payments.refundPayment(ctx.services, ctx.caller, input)),
});
