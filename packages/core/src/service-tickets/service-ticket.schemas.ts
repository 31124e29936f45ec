import { z } from 'zod';
import type { Resource } from '../cache/response-cache.ts';
import { DATE_RANGE, MAX_LENGTH } from '../shared/limits.ts';
import { Money, MoneyInput } from '../shared/money.ts';
import { EstimateTotals, Job } from './estimate.schemas.ts';
import { OdometerReading, OdometerReadingValue, Vehicle, VinText } from '../vehicles/vehicle.schemas.ts';
import { CalendarDate, Count, DatabaseText, Id, IdField, IdParam, paginated, PaginationInput, QuantityField } from '../shared/schemas.ts';

/** What a ticket's read model shows: a write to any of these makes cached tickets stale. */
export const SERVICE_TICKET_VIEW_SOURCES: Resource[] = ['serviceTickets', 'assignments', 'mechanics', 'inventory', 'vehicles', 'shop'];

export const TICKET_STATUSES = ['PENDING', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export const TicketStatus = z.enum(TICKET_STATUSES).meta({ id: 'TicketStatus', example: 'IN_PROGRESS' });

/**
 * A VIN that opens a ticket: 17 letters and digits, never I, O or Q (ISO 3779),
 * sent in any case. A new vehicle's check digit is checked then (`checkVin`); a
 * shorter, pre-1981 VIN is added as a vehicle first (`POST /vehicles` with its year).
 */
export const TicketVin = VinText.regex(/^[A-HJ-NPR-Z0-9]{17}$/, 'Expected 17 letters and digits, without I, O or Q');

/** What a ticket shows of its vehicle. */
export const TicketVehicle = Vehicle.pick({ id: true, vin: true, plate: true, year: true, make: true, model: true }).meta({
  id: 'TicketVehicle',
});

export const ServiceTicket = z
  .object({
    id: Id,
    customer_id: Id,
    title: z.string(),
    description: z.string(),
    vin: z.string().nullable().meta({ description: "The vehicle's VIN (null for a vehicle known by its plate only)." }),
    vehicle: TicketVehicle,
    service_date: z.iso.date(),
    status: TicketStatus,
    cost: Money.meta({ description: 'A flat charge set with /edit, untaxed, counted in the totals.' }),
    mechanics: z.array(z.object({ id: Id, name: z.string(), assigned_at: z.iso.datetime() })),
    jobs: z.array(Job),
    totals: EstimateTotals,
    estimate_version: Count.meta({
      description: "Grows with every change to the ticket's jobs, lines or cost, and to the shop's tax rates or shop supplies.",
    }),
    parts: z
      .array(
        z.object({
          inventory_id: Id,
          part_name: z.string(),
          quantity: Count,
          unit_price: Money.meta({ description: 'The price when the part line was added.' }),
          line_total: Money.meta({ description: 'quantity × unit_price, before any discount.' }),
        }),
      )
      .meta({ description: "Every part line of the ticket's jobs but the declined ones (which hold no stock)." }),
    parts_total: Money.meta({ description: 'totals.parts: the part lines after discounts.' }),
    total: Money.meta({ description: 'totals.total' }),
    odometer_in: z.int().nullable(),
    odometer_out: z.int().nullable(),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .meta({
    id: 'ServiceTicket',
    example: {
      id: 7,
      customer_id: 3,
      title: 'Brakes squeal',
      description: 'Front brakes squeal when stopping',
      vin: '1HGCM82633A004352',
      vehicle: { id: 4, vin: '1HGCM82633A004352', plate: 'ACC 1', year: 2003, make: 'Honda', model: 'Accord' },
      service_date: '2026-12-01',
      status: 'IN_PROGRESS',
      cost: '120.00',
      mechanics: [{ id: 1, name: 'Grace Hopper', assigned_at: '2026-11-30T09:12:00.000Z' }],
      jobs: [],
      totals: {
        labor: '0.00',
        parts: '99.80',
        fees: '0.00',
        sublet: '0.00',
        discounts: '0.00',
        shop_supplies: '0.00',
        tax: { labor: '0.00', parts: '0.00', fees: '0.00', sublet: '0.00', total: '0.00' },
        subtotal: '219.80',
        total: '219.80',
      },
      estimate_version: 1,
      parts: [{ inventory_id: 4, part_name: 'Brake pad set', quantity: 2, unit_price: '49.90', line_total: '99.80' }],
      parts_total: '99.80',
      total: '219.80',
      odometer_in: 182_340,
      odometer_out: null,
      created_at: '2026-11-29T17:03:11.000Z',
      updated_at: '2026-11-30T09:12:00.000Z',
    },
  });

export type ServiceTicket = z.output<typeof ServiceTicket>;

export const ServiceTicketPage = paginated(ServiceTicket, 'ServiceTicketPage');

export const NewServiceTicket = z
  .strictObject({
    title: DatabaseText(1, MAX_LENGTH.ticketTitle),
    description: DatabaseText(0, MAX_LENGTH.description).default(''),
    vehicle_id: IdField.optional().meta({ description: 'One of your vehicles (staff: one of the customer’s).' }),
    vin: TicketVin.optional().meta({ description: 'Instead of vehicle_id: your vehicle with this VIN, added if you have none.' }),
    customer_id: IdField.optional().meta({ description: 'Staff only: the customer the ticket is for (with vehicle_id or vin).' }),
    service_date: CalendarDate.meta({
      description: `The day the vehicle is booked in (YYYY-MM-DD, ${DATE_RANGE.min} to ${DATE_RANGE.max}).`,
    }),
    odometer_in: OdometerReadingValue.optional().meta({ description: "The odometer when the vehicle comes in, in the vehicle's unit." }),
  })
  .refine((ticket) => (ticket.vin === undefined) !== (ticket.vehicle_id === undefined), {
    message: 'Send vehicle_id or vin (one of them)',
    path: ['vehicle_id'],
  })
  .meta({
    id: 'NewServiceTicket',
    examples: [
      {
        title: 'Brakes squeal',
        description: 'Front brakes squeal when stopping',
        vin: '1HGCM82633A004352',
        service_date: '2026-12-01',
      },
    ],
  });
export type NewServiceTicket = z.output<typeof NewServiceTicket>;

export const ServiceTicketQuery = PaginationInput.extend({
  status: TicketStatus.optional(),
  customer_id: IdParam.optional(),
});
export type ServiceTicketQuery = z.output<typeof ServiceTicketQuery>;

const MechanicIds = z.array(IdField).max(100);

export const ServiceTicketEdit = z
  .strictObject({
    id: IdParam,
    add_ids: MechanicIds.optional().meta({ description: 'Mechanics to assign (already assigned ones are kept).' }),
    remove_ids: MechanicIds.optional().meta({ description: 'Mechanics to unassign (ones not assigned are ignored).' }),
    status: TicketStatus.optional(),
    cost: MoneyInput.optional(),
    odometer_in: OdometerReadingValue.optional(),
    odometer_out: OdometerReadingValue.optional().meta({ description: 'When the ticket is (or becomes) COMPLETED.' }),
  })
  .meta({ examples: [{ add_ids: [1, 2], remove_ids: [5], status: 'IN_PROGRESS', cost: '120.00' }] });
export type ServiceTicketEdit = z.output<typeof ServiceTicketEdit>;

export const NewPartLine = z
  .strictObject({ id: IdParam, inventory_id: IdField, quantity: QuantityField(1) })
  .meta({ examples: [{ inventory_id: 4, quantity: 2 }] });
export type NewPartLine = z.output<typeof NewPartLine>;

export const PartLineKey = z.strictObject({ id: IdParam, inventory_id: IdParam });

/** A vehicle with its tickets, declined work and odometer readings (`GET /vehicles/{id}/history`). */
export const VehicleHistory = z
  .object({
    vehicle: Vehicle,
    tickets: z.array(z.object({ id: Id, status: TicketStatus, service_date: z.iso.date(), title: z.string(), total: Money })),
    declined_work: z
      .array(
        z.object({
          job_id: Id,
          service_ticket_id: Id,
          title: z.string(),
          amount: Money.meta({ description: "The job's own total, priced on its own with its tax." }),
          reason: z.string().nullable(),
          declined_at: z.iso.datetime(),
          follow_up_on: z.iso.date(),
          revived_at: z.iso
            .datetime()
            .nullable()
            .meta({ description: 'When the shop brought it back as new work (then off the follow-up list).' }),
        }),
      )
      .meta({ description: 'Jobs the customer declined on its tickets, the latest decision first; those brought back too.' }),
    odometer: z.array(OdometerReading),
  })
  .meta({
    id: 'VehicleHistory',
    description: 'Its tickets, the work declined on them and its odometer readings, newest first.',
    example: {
      vehicle: (Vehicle.meta() as { example: Vehicle }).example,
      tickets: [{ id: 7, status: 'IN_PROGRESS', service_date: '2026-12-01', title: 'Brakes squeal', total: '219.80' }],
      declined_work: [
        {
          job_id: 12,
          service_ticket_id: 7,
          title: 'Timing belt',
          amount: '642.80',
          reason: 'Next month',
          declined_at: '2026-12-01T10:15:00.000Z',
          follow_up_on: '2026-12-15',
          revived_at: null,
        },
      ],
      odometer: [(OdometerReading.meta() as { example: OdometerReading }).example],
    },
  });
export type VehicleHistory = z.output<typeof VehicleHistory>;
