import { z } from 'zod';
import { ById } from '../shared/schemas.ts';
import { VehicleHistory } from '../service-tickets/service-ticket.schemas.ts';
import { vehicleHistory } from '../service-tickets/service-ticket.service.ts';
import { route } from '../trpc/meta.ts';
import { authenticatedProcedure, mechanicProcedure, router } from '../trpc/procedures.ts';
import {
  NewOdometerReading,
  NewVehicle,
  OdometerQuery,
  OdometerReading,
  OdometerReadingPage,
  Vehicle,
  VehicleChanges,
  VehiclePage,
  VehicleQuery,
  VinLookup,
  VinReport,
} from './vehicle.schemas.ts';
import * as vehicles from './vehicle.service.ts';

const tags: ['vehicles'] = ['vehicles'];

const OWN_VEHICLES_ONLY = "a customer, their own vehicles only (another customer's is a 404)";
const DESK_OR_OWNER = `technicians: 403; ${OWN_VEHICLES_ONLY}`;

export const vehicleRouter = router({
  create: authenticatedProcedure
    .meta(
      route({
        method: 'POST',
        path: '/vehicles',
        rateLimit: 'write',
        invalidates: ['vehicles'],
        summary: 'Add a vehicle: a customer their own, owners and service writers one for a customer (customer_id)',
        description:
          'A VIN or a plate is required. VINs are checked (ISO 3779, 49 CFR 565): 17 characters without I, O or Q; a North ' +
          'American check digit must be right; 6 to 16 characters only for years before 1981. Decoded year and make fill what was left empty.',
        ownership: 'technicians: 403; customers: their own (no customer_id); staff name the customer',
        successStatus: 201,
        errors: ['invalid_vin', 'vin_taken'],
        tags,
      }),
    )
    .input(NewVehicle)
    .output(Vehicle)
    .mutation(({ ctx, input }) => vehicles.addVehicle(ctx.services, ctx.caller, input)),

  list: mechanicProcedure
    .meta(
      route({
        method: 'GET',
        path: '/vehicles',
        rateLimit: 'read',
        cache: { scope: 'role', dependsOn: ['vehicles'] },
        summary: 'List vehicles, by customer, VIN, plate or text',
        tags,
      }),
    )
    .input(VehicleQuery)
    .output(VehiclePage)
    .query(({ ctx, input }) => vehicles.listVehicles(ctx.services, input)),

  // Before `byId`: REST paths match in order, and `{id}` would take "decode".
  decode: authenticatedProcedure
    .meta(
      route({
        method: 'GET',
        path: '/vehicles/decode/{vin}',
        rateLimit: 'read',
        cache: { scope: 'public', dependsOn: [] },
        summary: 'Check and decode a VIN, offline, without saving anything',
        errors: ['invalid_vin'],
        tags,
      }),
    )
    .input(VinLookup)
    .output(VinReport)
    .query(({ input }) => vehicles.checkVinReport(input)),

  byId: authenticatedProcedure
    .meta(
      route({
        method: 'GET',
        path: '/vehicles/{id}',
        rateLimit: 'read',
        cache: { scope: 'caller', dependsOn: ['vehicles'] },
        summary: 'Get a vehicle',
        ownership: OWN_VEHICLES_ONLY,
        tags,
      }),
    )
    .input(ById)
    .output(Vehicle)
    .query(({ ctx, input }) => vehicles.getVehicle(ctx.services, ctx.caller, input.id)),

  update: authenticatedProcedure
    .meta(
      route({
        method: 'PUT',
        path: '/vehicles/{id}',
        rateLimit: 'write',
        invalidates: ['vehicles'],
        summary: 'Change a vehicle (any subset of fields); staff may move it to another customer (customer_id)',
        ownership: `${DESK_OR_OWNER}, and not customer_id`,
        errors: ['invalid_vin', 'vin_taken'],
        tags,
      }),
    )
    .input(VehicleChanges)
    .output(Vehicle)
    .mutation(({ ctx, input }) => vehicles.updateVehicle(ctx.services, ctx.caller, input)),

  delete: authenticatedProcedure
    .meta(
      route({
        method: 'DELETE',
        path: '/vehicles/{id}',
        rateLimit: 'write',
        invalidates: ['vehicles'],
        summary: 'Delete a vehicle with its odometer readings',
        description: 'A vehicle with service tickets stays as their record (409).',
        ownership: DESK_OR_OWNER,
        successStatus: 204,
        errors: ['vehicle_has_tickets'],
        tags,
      }),
    )
    .input(ById)
    .output(z.void())
    .mutation(({ ctx, input }) => vehicles.deleteVehicle(ctx.services, ctx.caller, input.id)),

  // Any staff: the technician in the bay reads the odometer (the "staff").
  addReading: mechanicProcedure
    .meta(
      route({
        method: 'POST',
        path: '/vehicles/{id}/odometer',
        rateLimit: 'write',
        invalidates: ['vehicles'],
        summary: 'Record an odometer reading',
        description: 'Readings never go down: one below the latest is a 409 unless correction_reason says why (kept with it).',
        successStatus: 201,
        errors: ['odometer_rollback'],
        tags,
      }),
    )
    .input(NewOdometerReading)
    .output(OdometerReading)
    .mutation(({ ctx, input }) => vehicles.addReading(ctx.services, ctx.caller, input)),

  readings: authenticatedProcedure
    .meta(
      route({
        method: 'GET',
        path: '/vehicles/{id}/odometer',
        rateLimit: 'read',
        // Deleting a ticket clears the service_ticket_id of its readings.
        cache: { scope: 'caller', dependsOn: ['vehicles', 'serviceTickets'] },
        summary: "A vehicle's odometer readings, newest first, with who recorded them and why",
        ownership: OWN_VEHICLES_ONLY,
        tags,
      }),
    )
    .input(OdometerQuery)
    .output(OdometerReadingPage)
    .query(({ ctx, input }) => vehicles.listReadings(ctx.services, ctx.caller, input)),

  history: authenticatedProcedure
    .meta(
      route({
        method: 'GET',
        path: '/vehicles/{id}/history',
        rateLimit: 'read',
        cache: { scope: 'caller', dependsOn: ['vehicles', 'serviceTickets', 'inventory', 'shop'] },
        summary: "A vehicle's tickets and odometer readings, newest first",
        ownership: OWN_VEHICLES_ONLY,
        tags,
      }),
    )
    .input(ById)
    .output(VehicleHistory)
    .query(({ ctx, input }) => vehicleHistory(ctx.services, ctx.caller, input.id)),
});
