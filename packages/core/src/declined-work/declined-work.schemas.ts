import { z } from 'zod';
import { Money } from '../shared/money.ts';
import { CalendarDate, Id, IdField, IdParam, paginated, PaginationInput } from '../shared/schemas.ts';
import { TicketVehicle } from '../service-tickets/service-ticket.schemas.ts';

/** A job the customer declined and the shop has not brought back yet: one entry of the follow-up list. */
export const DeclinedJob = z
  .object({
    job_id: Id,
    title: z.string(),
    service_ticket_id: Id.meta({ description: 'The ticket the job was declined on.' }),
    vehicle: TicketVehicle,
    customer: z.object({ id: Id, name: z.string() }).meta({ description: "The ticket's customer." }),
    amount: Money.meta({ description: "The job's own total, priced on its own with its tax, at the prices on its lines." }),
    reason: z.string().nullable().meta({ description: 'Why the customer declined it, as they said it.' }),
    declined_at: z.iso.datetime(),
    follow_up_on: z.iso.date().meta({ description: "The day to call: the day it was declined + the shop's declined_follow_up_days." }),
  })
  .meta({
    id: 'DeclinedJob',
    example: {
      job_id: 12,
      title: 'Timing belt',
      service_ticket_id: 7,
      vehicle: { id: 4, vin: '1HGCM82633A004352', plate: 'ACC 1', year: 2003, make: 'Honda', model: 'Accord' },
      customer: { id: 3, name: 'Ada Lovelace' },
      amount: '642.80',
      reason: 'Next month',
      declined_at: '2026-12-01T10:15:00.000Z',
      follow_up_on: '2026-12-15',
    },
  });
export type DeclinedJob = z.output<typeof DeclinedJob>;

export const DeclinedJobPage = paginated(DeclinedJob, 'DeclinedJobPage');

export const DeclinedWorkQuery = PaginationInput.extend({
  due_before: CalendarDate.meta({
    description: 'Only the follow-ups due on or before this day (YYYY-MM-DD).',
    example: '2026-12-15',
  }).optional(),
  customer_id: IdParam.optional(),
  vehicle_id: IdParam.optional(),
});
export type DeclinedWorkQuery = z.output<typeof DeclinedWorkQuery>;

export const ReviveDeclinedJob = z
  .strictObject({
    job_id: IdParam,
    service_ticket_id: IdField.optional().meta({
      description: 'An open ticket (PENDING or IN_PROGRESS) of the same vehicle to add the job to; left out, a new PENDING ticket.',
    }),
  })
  .meta({ examples: [{}, { service_ticket_id: 9 }] });
export type ReviveDeclinedJob = z.output<typeof ReviveDeclinedJob>;
