import { z } from 'zod';
import { logIn } from '../auth/accounts.ts';
import { INVOICE_VIEW_SOURCES, InvoicePage } from '../invoices/invoice.schemas.ts';
import { listCustomerInvoices } from '../invoices/invoice.service.ts';
import { ById, CustomerCredentials, PaginationInput, Token } from '../shared/schemas.ts';
import { ServiceTicketPage, SERVICE_TICKET_VIEW_SOURCES } from '../service-tickets/service-ticket.schemas.ts';
import { listCustomerTickets } from '../service-tickets/service-ticket.service.ts';
import { route } from '../trpc/meta.ts';
import { VehiclePage } from '../vehicles/vehicle.schemas.ts';
import { listCustomerVehicles } from '../vehicles/vehicle.service.ts';
import { authenticatedProcedure, customerProcedure, mechanicProcedure, publicProcedure, router } from '../trpc/procedures.ts';
import { Customer, CustomerChanges, CustomerPage, NewCustomer } from './customer.schemas.ts';
import * as customers from './customer.service.ts';

const tags: ['customers'] = ['customers'];

export const customerRouter = router({
  register: publicProcedure
    .meta(
      route({
        method: 'POST',
        path: '/customers',
        rateLimit: 'register',
        invalidates: ['customers'],
        tags,
        summary: 'Register a customer',
        successStatus: 201,
        errors: ['email_taken'],
      }),
    )
    .input(NewCustomer)
    .output(Customer)
    .mutation(({ ctx, input }) => customers.registerCustomer(ctx.services, input)),

  logIn: publicProcedure
    .meta(
      route({
        method: 'POST',
        path: '/customers/login',
        rateLimit: 'login',
        invalidates: [],
        tags,
        summary: 'Log in as a customer',
        errors: ['invalid_credentials'],
      }),
    )
    .input(CustomerCredentials)
    .output(Token)
    .mutation(({ ctx, input }) => logIn(ctx.services, 'customer', input)),

  list: mechanicProcedure
    .meta(
      route({
        method: 'GET',
        path: '/customers',
        rateLimit: 'read',
        cache: { scope: 'role', dependsOn: ['customers'] },
        tags,
        summary: "List customers (their contact details are for the shop's mechanics)",
      }),
    )
    .input(PaginationInput)
    .output(CustomerPage)
    .query(({ ctx, input }) => customers.listCustomers(ctx.services, input)),

  // Before `byId`: REST paths match in order, and `{id}` would take "my-tickets", "my-vehicles" and "my-invoices".
  myTickets: customerProcedure
    .meta(
      route({
        method: 'GET',
        path: '/customers/my-tickets',
        rateLimit: 'read',
        cache: { scope: 'caller', dependsOn: SERVICE_TICKET_VIEW_SOURCES },
        tags,
        summary: 'Your service tickets, with their mechanics and parts',
      }),
    )
    .input(PaginationInput)
    .output(ServiceTicketPage)
    .query(({ ctx, input }) => listCustomerTickets(ctx.services, ctx.caller.id, input)),

  myVehicles: customerProcedure
    .meta(
      route({
        method: 'GET',
        path: '/customers/my-vehicles',
        rateLimit: 'read',
        cache: { scope: 'caller', dependsOn: ['vehicles'] },
        tags,
        summary: 'Your vehicles',
      }),
    )
    .input(PaginationInput)
    .output(VehiclePage)
    .query(({ ctx, input }) => listCustomerVehicles(ctx.services, ctx.caller.id, input)),

  myInvoices: customerProcedure
    .meta(
      route({
        method: 'GET',
        path: '/customers/my-invoices',
        rateLimit: 'read',
        cache: { scope: 'caller', dependsOn: INVOICE_VIEW_SOURCES },
        tags: ['invoices'],
        summary: 'Your invoices, newest first, with their payments and refunds',
      }),
    )
    .input(PaginationInput)
    .output(InvoicePage)
    .query(({ ctx, input }) => listCustomerInvoices(ctx.services, ctx.caller.id, input)),

  byId: authenticatedProcedure
    .meta(
      route({
        method: 'GET',
        path: '/customers/{id}',
        rateLimit: 'read',
        cache: 'no-store',
        tags,
        summary: 'Get a customer',
        ownership: 'a customer may only read their own account',
      }),
    )
    .input(ById)
    .output(Customer)
    .query(({ ctx, input }) => {
      customers.assertMayReadCustomer(ctx.caller, input.id);
      return customers.getCustomer(ctx.services, input.id);
    }),

  update: customerProcedure
    .meta(
      route({
        method: 'PUT',
        path: '/customers/{id}',
        rateLimit: 'write',
        invalidates: ['customers'],
        tags,
        summary: 'Change your account (any subset of fields)',
        description: 'A new password or email revokes every token issued before it: log in again.',
        ownership: 'own account only',
        errors: ['email_taken'],
      }),
    )
    .input(CustomerChanges)
    .output(Customer)
    .mutation(({ ctx, input }) => customers.updateCustomer(ctx.services, ctx.caller, input)),

  delete: customerProcedure
    .meta(
      route({
        method: 'DELETE',
        path: '/customers/{id}',
        rateLimit: 'write',
        invalidates: ['customers', 'serviceTickets', 'assignments', 'mechanics', 'inventory', 'vehicles', 'approvals'],
        tags,
        summary: 'Delete your account',
        description:
          'Erases your personal data. Tickets with no work done (PENDING, CANCELLED) are deleted and their parts go back to stock; ' +
          "tickets worked on (IN_PROGRESS, COMPLETED) stay as the shop's records, under an anonymous customer, with the vehicles they are on; " +
          'your other vehicles are deleted.',
        ownership: 'own account only',
        successStatus: 204,
      }),
    )
    .input(ById)
    .output(z.void())
    .mutation(({ ctx, input }) => customers.deleteCustomer(ctx.services, ctx.caller, input.id)),
});
