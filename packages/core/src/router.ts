import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { assignmentRouter } from './assignments/assignment.router.ts';
import { customerRouter } from './customers/customer.router.ts';
import { inventoryRouter } from './inventory/inventory.router.ts';
import { mechanicRouter } from './mechanics/mechanic.router.ts';
import { serviceTicketRouter } from './service-tickets/ticket.router.ts';
import { router } from './trpc/procedures.ts';

/** The whole API. Each resource is one router; REST paths live in each procedure's meta. */
export const appRouter = router({
  customers: customerRouter,
  mechanics: mechanicRouter,
  serviceTickets: serviceTicketRouter,
  inventory: inventoryRouter,
  assignments: assignmentRouter,
});

export type AppRouter = typeof appRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
