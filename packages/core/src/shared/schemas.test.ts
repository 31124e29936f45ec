import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newCustomer, newInventoryItem, newTicket, signUpCustomer, signUpMechanic } from '../testing/fixtures.ts';
import { createTestApp, rejectionOf, type TestApp } from '../testing/index.ts';

let app: TestApp;
let mechanicToken: string;
let customerToken: string;
beforeAll(async () => {
  app = await createTestApp();
  ({ token: mechanicToken } = await signUpMechanic(app));
  ({ token: customerToken } = await signUpCustomer(app));
});
afterAll(() => app.close());

describe('free text', () => {
  // PostgreSQL refused a NUL in text with a 500; the other databases kept it.
  it('with a NUL character or an unpaired surrogate is a validation error on every database, in writes and searches', async () => {
    for (const text of ['a\u0000b', '\u0000', 'a\ud800b', '\udfff']) {
      const calls = [
        () => app.as().customers.register(newCustomer({ name: text })),
        () => app.as(customerToken).serviceTickets.open(newTicket({ description: text })),
        () => app.as(mechanicToken).inventory.create(newInventoryItem({ part_name: text })),
        () => app.as(mechanicToken).inventory.list({ q: text }),
      ];
      for (const call of calls) expect((await rejectionOf(call())).reason).toBe('validation_failed');
    }
  });

  it('may hold any other Unicode: other control characters, emoji, right-to-left and combining marks', async () => {
    const text = 'tab\there \u202eright-to-left \u{1F697} e\u0301 \u0007';
    const customer = await app.as().customers.register(newCustomer({ address: text }));
    expect(customer.address).toBe(text);
    expect((await app.as(mechanicToken).inventory.list({ q: '\u{1F697}' })).items).toEqual([]);
  });
});
