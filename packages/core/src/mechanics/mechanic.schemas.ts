import { STAFF_ROLES, type StaffRole as StaffRoleName } from '../auth/tokens.ts';
import { z } from 'zod';
import { Money, MoneyInput } from '../shared/money.ts';
import { accountChanges, accountProfile, Count, Id, IdParam, paginated, Password } from '../shared/schemas.ts';

/** What a staff account may do (README, "Staff roles"); a new account is a technician unless its owner says otherwise. */
export const StaffRole = z.enum(STAFF_ROLES).meta({
  id: 'StaffRole',
  description:
    'owner: runs the shop (staff, roles, salaries); service_writer: customers, inventory, tickets and assignments; ' +
    'technician: reads, and works on the tickets assigned to them.',
  example: 'technician',
});
export type StaffRole = StaffRoleName;

export const Mechanic = z
  .object({
    id: Id,
    name: z.string(),
    role: StaffRole,
    email: z.string().optional(),
    phone: z.string().optional(),
    address: z.string().optional(),
    salary: Money.optional(),
  })
  .meta({
    id: 'Mechanic',
    description:
      "Everyone sees id, name and role; staff see contact details too; the salary is shown to the account itself and to the shop's owners.",
    example: {
      id: 1,
      name: 'Grace Hopper',
      role: 'owner',
      email: 'grace@shop.example',
      phone: '+1 555 0100',
      address: '1 Cobol Way',
      salary: '58000.00',
    },
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

export const NewMechanic = z
  .strictObject({
    ...accountProfile,
    salary: MoneyInput,
    password: Password,
    role: StaffRole.default('technician').meta({ description: "The new account's role; the shop's first account is always its owner." }),
  })
  .meta({
    id: 'NewMechanic',
    examples: [
      {
        name: 'Grace Hopper',
        email: 'grace@shop.example',
        phone: '+1 555 0100',
        address: '1 Cobol Way',
        salary: '58000.00',
        password: 'a long secret phrase',
        role: 'service_writer',
      },
    ],
  });
export type NewMechanic = z.output<typeof NewMechanic>;

export const MechanicChanges = accountChanges({
  salary: MoneyInput,
  role: StaffRole.meta({ description: 'Owners only (others get 403); the same rule as `PUT /mechanics/{id}/role`.' }),
}).meta({ examples: [{ phone: '+1 555 0101' }] });
export type MechanicChanges = z.output<typeof MechanicChanges>;

export const RoleChange = z.strictObject({ id: IdParam, role: StaffRole }).meta({ examples: [{ role: 'service_writer' }] });
export type RoleChange = z.output<typeof RoleChange>;
