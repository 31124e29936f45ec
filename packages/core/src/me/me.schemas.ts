import { z } from 'zod';
import { StaffRole } from '../mechanics/mechanic.schemas.ts';
import { Id } from '../shared/schemas.ts';

export const Me = z
  .object({
    kind: z.enum(['customer', 'staff']).meta({ description: 'A customer account, or a staff account (a mechanic).' }),
    id: Id.meta({ description: 'The id of the account, among customers or mechanics as `kind` says.' }),
    name: z.string(),
    email: z.string(),
    role: StaffRole.optional().meta({ description: 'The staff role, for staff accounts only.' }),
  })
  .meta({
    id: 'Me',
    description: 'Who a bearer token logs in as.',
    example: { kind: 'staff', id: 1, name: 'Grace Hopper', email: 'grace@shop.example', role: 'owner' },
  });
export type Me = z.output<typeof Me>;
