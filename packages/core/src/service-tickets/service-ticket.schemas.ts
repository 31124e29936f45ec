import { z } from 'zod';
import type { Resource } from '../cache/response-cache.ts';
import { DATE_RANGE, MAX_LENGTH } from '../shared/limits.ts';
import { Money, MoneyInput } from '../shared/money.ts';
import { CalendarDate, Count, DatabaseText, Id, IdField, IdParam, paginated, PaginationInput, QuantityField } from '../shared/schemas.ts';

/** What a ticket's read model shows: a write to any of these makes cached tickets stale. */
export const SERVICE_TICKET_VIEW_SOURCES: Resource[] = ['serviceTickets', 'assignments', 'mechanics', 'inventory'];

export const TICKET_STATUSES = ['PENDING', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export const TicketStatus = z.enum(TICKET_STATUSES).meta({ id: 'TicketStatus', example: 'IN_PROGRESS' });

/** A vehicle identification number: 17 letters and digits, never I, O or Q (ISO 3779). Sent in any case, kept upper-case. */
export const Vin = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-HJ-NPR-Z0-9]{17}$/, 'Expected 17 letters and digits, without I, O or Q')
  .meta({ example: '1HGCM82633A004352' });

export const ServiceTicket = z
  .object({
    id: Id,
    customer_id: Id,
    title: z.string(),
    description: z.string(),
    vin: z.string(),
    service_date: z.iso.date(),
    status: TicketStatus,
    cost: Money.meta({ description: 'Labour, set by the mechanics.' }),
    mechanics: z.array(z.object({ id: Id, name: z.string(), assigned_at: z.iso.datetime() })),
    parts: z.array(
      z.object({
        inventory_id: Id,
        part_name: z.string(),
        quantity: Count,
        unit_price: Money.meta({ description: 'The price when the part was first added to this ticket.' }),
        line_total: Money,
      }),
    ),
    parts_total: Money,
    total: Money.meta({ description: 'cost + parts_total' }),
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
      service_date: '2026-12-01',
      status: 'IN_PROGRESS',
      cost: '120.00',
      mechanics: [{ id: 1, name: 'Grace Hopper', assigned_at: '2026-11-30T09:12:00.000Z' }],
      parts: [{ inventory_id: 4, part_name: 'Brake pad set', quantity: 2, unit_price: '49.90', line_total: '99.80' }],
      parts_total: '99.80',
      total: '219.80',
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
    vin: Vin,
    service_date: CalendarDate.meta({
      description: `The day the vehicle is booked in (YYYY-MM-DD, ${DATE_RANGE.min} to ${DATE_RANGE.max}).`,
    }),
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
  })
  .meta({ examples: [{ add_ids: [1, 2], remove_ids: [5], status: 'IN_PROGRESS', cost: '120.00' }] });
export type ServiceTicketEdit = z.output<typeof ServiceTicketEdit>;

export const NewPartLine = z
  .strictObject({ id: IdParam, inventory_id: IdField, quantity: QuantityField(1) })
  .meta({ examples: [{ inventory_id: 4, quantity: 2 }] });
export type NewPartLine = z.output<typeof NewPartLine>;

export const PartLineKey = z.strictObject({ id: IdParam, inventory_id: IdParam });
