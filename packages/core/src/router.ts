import type { AnyProcedure, inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { assignmentRouter } from './assignments/assignment.router.ts';
import { customerRouter } from './customers/customer.router.ts';
import { inventoryRouter } from './inventory/inventory.router.ts';
import { mechanicRouter } from './mechanics/mechanic.router.ts';
import { meRouter } from './me/me.router.ts';
import { shopRouter } from './shop/shop.router.ts';
import { serviceTicketRouter } from './service-tickets/service-ticket.router.ts';
import { vehicleRouter } from './vehicles/vehicle.router.ts';
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

/** Every procedure of the API, for the checks and generators that must cover them all rather than a hand-kept list. */
export function listProcedures(): ProcedureEntry[] {
  return Object.entries(appRouter._def.procedures as unknown as Record<string, AnyProcedure>).map(([path, procedure]) => ({
    path,
    type: procedure._def.type,
    meta: procedure._def.meta as ProcedureMeta,
    procedure,
  }));
}
