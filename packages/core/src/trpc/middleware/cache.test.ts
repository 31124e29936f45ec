import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newInventoryItem, newTicket, signUpCustomer, signUpMechanic } from '../../testing/fixtures.ts';
import { createTestApp, rejectionOf, statementLog, type TestApp } from '../../testing/index.ts';
import type { CachePolicy } from '../meta.ts';
import { answerKey } from './cache.ts';

const { onStatement, statementsOf } = statementLog();
let app: TestApp;
let mechanic: Awaited<ReturnType<typeof signUpMechanic>>;
let ada: Awaited<ReturnType<typeof signUpCustomer>>;
let bob: Awaited<ReturnType<typeof signUpCustomer>>;

beforeAll(async () => {
  app = await createTestApp({ database: { onStatement } });
  mechanic = await signUpMechanic(app);
  ada = await signUpCustomer(app);
  bob = await signUpCustomer(app);
});
afterAll(() => app.close());

describe('the response cache', () => {
  it('serves a repeated read without touching the database (beyond checking the token)', async () => {
    const first = (await statementsOf(() => app.as().mechanics.top({}))).length;
    expect(first).toBeGreaterThan(0);
    expect((await statementsOf(() => app.as().mechanics.top({}))).length).toBe(0);
    const anonymous = (await statementsOf(() => app.as(mechanic.token).inventory.list({}))).length;
    expect((await statementsOf(() => app.as(mechanic.token).inventory.list({}))).length).toBeLessThan(anonymous);
  });

  it('a write makes the answers that show its resource stale at once', async () => {
    const item = await app.as(mechanic.token).inventory.create(newInventoryItem({ quantity: 5 }));
    expect((await app.as(mechanic.token).inventory.byId({ id: item.id })).quantity).toBe(5);
    await app.as(mechanic.token).inventory.update({ id: item.id, quantity: 7 });
    expect((await app.as(mechanic.token).inventory.byId({ id: item.id })).quantity).toBe(7);

    const ticket = await app.as(ada.token).serviceTickets.open(newTicket());
    expect((await app.as(ada.token).serviceTickets.byId({ id: ticket.id })).parts).toEqual([]);
    await app.as(mechanic.token).serviceTickets.addPart({ id: ticket.id, inventory_id: item.id, quantity: 2 });
    expect((await app.as(ada.token).serviceTickets.byId({ id: ticket.id })).parts).toHaveLength(1);
    expect((await app.as(mechanic.token).inventory.byId({ id: item.id })).quantity).toBe(5);

    const before = (await app.as().mechanics.top({})).items.find((row) => row.id === mechanic.mechanic.id)!.ticket_count;
    await app.as(mechanic.token).assignments.create({ service_ticket_id: ticket.id, mechanic_id: mechanic.mechanic.id });
    expect((await app.as().mechanics.top({})).items.find((row) => row.id === mechanic.mechanic.id)!.ticket_count).toBe(before + 1);
  });

  it("never serves one caller's answer to a caller who may not see it", async () => {
    // The mechanic's view (contact details, salary) is cached first…
    const staffView = await app.as(mechanic.token).mechanics.byId({ id: mechanic.mechanic.id });
    expect(staffView.salary).toBeDefined();
    // …and customers and strangers still get id, name and role only.
    expect(await app.as(ada.token).mechanics.byId({ id: mechanic.mechanic.id })).toEqual({
      id: mechanic.mechanic.id,
      name: staffView.name,
      role: staffView.role,
    });
    expect((await app.as().mechanics.list({})).items.every((item) => item.salary === undefined)).toBe(true);

    // Ada's tickets, read by Ada and cached, never reach Bob.
    const adasTicket = await app.as(ada.token).serviceTickets.open(newTicket({ title: "Ada's car" }));
    expect((await app.as(ada.token).customers.myTickets({})).items.map((item) => item.id)).toContain(adasTicket.id);
    expect((await app.as(bob.token).customers.myTickets({})).items.map((item) => item.id)).not.toContain(adasTicket.id);
    expect(await app.as(ada.token).serviceTickets.byId({ id: adasTicket.id })).toMatchObject({ title: "Ada's car" });
    expect((await rejectionOf(app.as(bob.token).serviceTickets.byId({ id: adasTicket.id }))).reason).toBe('not_found');

    // A mechanic-only list, cached for a mechanic, is still refused to customers and strangers.
    await app.as(mechanic.token).customers.list({});
    expect((await rejectionOf(app.as(ada.token).customers.list({}))).reason).toBe('forbidden');
    expect((await rejectionOf(app.as().customers.list({}))).reason).toBe('unauthenticated');
  });
});

describe('answerKey', () => {
  it('refuses an input nested deeper than the doors allow with a validation error, not a stack overflow', () => {
    let deep: unknown = [];
    for (let level = 0; level < 4_000; level++) deep = [deep];
    const policy: CachePolicy = { scope: 'public', dependsOn: ['mechanics'] };
    expect(() => answerKey('mechanics.top', policy, null, deep)).toThrow(expect.objectContaining({ problem: 'validation_failed' }));
    expect(answerKey('mechanics.top', policy, null, { b: [1], a: { c: 2 } })).toBe('mechanics.top|*|{"a":{"c":2},"b":[1]}');
  });
});
