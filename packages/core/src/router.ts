import type { AnyProcedure, inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { approvalRouter } from './approvals/approval.router.ts';
import { approvalLinkRouter } from './approval-links/approval-link.router.ts';
import { assignmentRouter } from './assignments/assignment.router.ts';
import { auditRouter } from './audit/audit.router.ts';
import { customerRouter } from './customers/customer.router.ts';
import { declinedWorkRouter } from './declined-work/declined-work.router.ts';
import { documentRouter } from './documents/document.router.ts';
import { eventRouter } from './events/event.router.ts';
import { inventoryRouter } from './inventory/inventory.router.ts';
import { invoiceRouter } from './invoices/invoice.router.ts';
import { mechanicRouter } from './mechanics/mechanic.router.ts';
import { meRouter } from './me/me.router.ts';
import { paymentRouter } from './payments/payment.router.ts';
import { reportRouter } from './reports/report.router.ts';
import { shopRouter } from './shop/shop.router.ts';
import { serviceTicketRouter } from './service-tickets/service-ticket.router.ts';
import { vehicleRouter } from './vehicles/vehicle.router.ts';
import { webhookRouter } from './webhooks/webhook.router.ts';
import type { ProcedureMeta } from './trpc/meta.ts';
import { router } from './trpc/procedures.ts';

/** The whole API. Each resource is one router, and `me` tells a token who it is; REST paths live in each procedure's meta. */
export const appRouter = router({
  customers: customerRouter,
  mechanics: mechanicRouter,
  serviceTickets: serviceTicketRouter,
  inventory: inventoryRouter,
  assignments: assignmentRouter,
  me: meRouter,
  vehicles: vehicleRouter,
  shop: shopRouter,
  approvals: approvalRouter,
  approvalLinks: approvalLinkRouter,
  declinedWork: declinedWorkRouter,
  invoices: invoiceRouter,
  payments: paymentRouter,
  reports: reportRouter,
  events: eventRouter,
  audit: auditRouter,
  webhooks: webhookRouter,
});

export type AppRouter = typeof appRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

/** One procedure of the API: its path (`customers.list`), its type and its meta. */
export interface ProcedureEntry {
  path: string;
  type: AnyProcedure['_def']['type'];
  meta: ProcedureMeta;
  procedure: AnyProcedure;
}

/**
 * Every procedure of the API, for the checks and generators that must cover them all rather than a hand-kept list:
 * the router's, then the printable documents' (`documents.*`, served as PDF outside the router, see documentRouter).
 */
export function listProcedures(): ProcedureEntry[] {
  return [appRouter, documentRouter].flatMap((each) =>
    Object.entries(each._def.procedures as unknown as Record<string, AnyProcedure>).map(([path, procedure]) => ({
      path,
      type: procedure._def.type,
      meta: procedure._def.meta as ProcedureMeta,
      procedure,
    })),
  );
}
