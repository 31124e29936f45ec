import { z } from 'zod';
import { Money, MoneyInput } from '../shared/money.ts';
import { accountChanges, accountProfile, Count, Id, paginated, Password } from '../shared/schemas.ts';

export const Mechanic = z
  .object({
    id: Id,
    name: z.string(),
    email: z.string().optional(),
    phone: z.string().optional(),
    address: z.string().optional(),
    salary: Money.optional(),
  })
  .meta({
    id: 'Mechanic',
    description:
      "Contact details are shown to mechanics only, the salary to the mechanic's own account only; everyone else sees id and name.",
    example: { id: 1, name: 'Grace Hopper', email: 'grace@shop.example', phone: '+1 555 0100', address: '1 Cobol Way', salary: '58000.00' },
  });

export type Mechanic = z.output<typeof Mechanic>;

export const MechanicPage = paginated(Mechanic, 'MechanicPage');

export const TopMechanicsQuery = z.strictObject({
  limit: z.coerce.number<number>().int().min(1).max(100).default(10).meta({ description: 'How many mechanics, at most 100.', example: 10 }),
});

export const TopMechanics = z
  .object({
    items: z.array(
      z.object({
        id: Id,
        name: z.string(),
        ticket_count: Count.meta({ description: 'Service tickets the mechanic is assigned to.' }),
      }),
    ),
  })
  .meta({ id: 'TopMechanics', example: { items: [{ id: 1, name: 'Grace Hopper', ticket_count: 42 }] } });
export type TopMechanics = z.output<typeof TopMechanics>;

export const NewMechanic = z.strictObject({ ...accountProfile, salary: MoneyInput, password: Password }).meta({
  id: 'NewMechanic',
  examples: [
    {
      name: 'Grace Hopper',
      email: 'grace@shop.example',
      phone: '+1 555 0100',
      address: '1 Cobol Way',
      salary: '58000.00',
      password: 'a long secret phrase',
    },
  ],
});
export type NewMechanic = z.output<typeof NewMechanic>;

export const MechanicChanges = accountChanges({ salary: MoneyInput }).meta({ examples: [{ phone: '+1 555 0101' }] });
export type MechanicChanges = z.output<typeof MechanicChanges>;
