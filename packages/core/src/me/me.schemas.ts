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
    // Customers may not read the shop's settings, yet every amount they see is in its currency.
    shop: z
      .object({ name: z.string(), currency: z.string().meta({ description: 'ISO 4217 code; every amount of the API is in it.' }) })
      .meta({ description: "The shop's name and currency, for any account." }),
  })
  .meta({
    id: 'Me',
    description: 'Who a bearer token logs in as.',
    example: {
      kind: 'staff',
      id: 1,
      name: 'Grace Hopper',
      email: 'grace@shop.example',
      role: 'owner',
      shop: { name: 'Mechanic Shop', currency: 'USD' },
    },
  });
export type Me = z.output<typeof Me>;
