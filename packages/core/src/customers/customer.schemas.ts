import { z } from 'zod';
import { accountChanges, accountProfile, Id, paginated, Password } from '../shared/schemas.ts';

export const Customer = z
  .object({
    id: Id,
    name: z.string(),
    email: z.string(),
    phone: z.string(),
    address: z.string(),
  })
  .meta({
    id: 'Customer',
    example: { id: 1, name: 'Ada Lovelace', email: 'ada@example.com', phone: '+44 20 7946 0000', address: '12 Analytical Row, London' },
  });

export type Customer = z.output<typeof Customer>;

export const CustomerPage = paginated(Customer, 'CustomerPage');

export const NewCustomer = z.strictObject({ ...accountProfile, password: Password }).meta({
  id: 'NewCustomer',
  examples: [
    {
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      phone: '+44 20 7946 0000',
      address: '12 Analytical Row, London',
      password: 'correct horse battery',
    },
  ],
});
export type NewCustomer = z.output<typeof NewCustomer>;

/** Any subset of the fields; a new password is hashed again. */
export const CustomerChanges = accountChanges({}).meta({ examples: [{ phone: '+44 20 7946 0001' }] });
export type CustomerChanges = z.output<typeof CustomerChanges>;
