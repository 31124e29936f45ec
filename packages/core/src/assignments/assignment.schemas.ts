import { z } from 'zod';
import { Id, IdField, IdParam, paginated, PaginationInput } from '../shared/schemas.ts';

export const Assignment = z
  .object({ service_ticket_id: Id, mechanic_id: Id, assigned_at: z.iso.datetime() })
  .meta({ id: 'Assignment', example: { service_ticket_id: 7, mechanic_id: 1, assigned_at: '2026-11-30T09:12:00.000Z' } });

export type Assignment = z.output<typeof Assignment>;

export const AssignmentPage = paginated(Assignment, 'AssignmentPage');

export const NewAssignment = z
  .strictObject({ service_ticket_id: IdField, mechanic_id: IdField })
  .meta({ id: 'NewAssignment', examples: [{ service_ticket_id: 7, mechanic_id: 1 }] });
export type NewAssignment = z.output<typeof NewAssignment>;

export const AssignmentQuery = PaginationInput.extend({ service_ticket_id: IdParam.optional(), mechanic_id: IdParam.optional() });
export type AssignmentQuery = z.output<typeof AssignmentQuery>;

export const AssignmentKey = z.strictObject({ service_ticket_id: IdParam, mechanic_id: IdParam });
export type AssignmentKey = z.output<typeof AssignmentKey>;
