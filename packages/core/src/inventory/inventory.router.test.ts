import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newInventoryItem, newTicket, signUpCustomer, signUpMechanic } from '../testing/fixtures.ts';
import { eventsAbout } from '../testing/events.ts';
import { createTestApp, reasonOf, type TestApp } from '../testing/index.ts';

let app: TestApp;
let mechanicToken: string;
beforeAll(async () => {
  app = await createTestApp();
  ({ token: mechanicToken } = await signUpMechanic(app));
});
afterAll(() => app.close());

describe('inventory', () => {
  it('creates, reads, changes any subset of fields and deletes items', async () => {
    const item = await app.as(mechanicToken).inventory.create({ part_name: 'Spark plug', price: 7.5 });
    expect(item).toEqual({
      id: expect.any(Number),
      part_name: 'Spark plug',
      description: '',
      price: '7.50',
      quantity: 0,
      reorder_point: 0,
    });
    expect(await app.as(mechanicToken).inventory.byId({ id: item.id })).toEqual(item);
    const changed = await app.as(mechanicToken).inventory.update({ id: item.id, quantity: 40, description: 'Iridium' });
    expect(changed).toEqual({ ...item, quantity: 40, description: 'Iridium' });
    await app.as(mechanicToken).inventory.delete({ id: item.id });
    expect(await reasonOf(app.as(mechanicToken).inventory.byId({ id: item.id }))).toBe('not_found');
    expect(await reasonOf(app.as(mechanicToken).inventory.update({ id: item.id, quantity: 1 }))).toBe('not_found');
    expect(await reasonOf(app.as(mechanicToken).inventory.delete({ id: item.id }))).toBe('not_found');
  });

  it('refuses negative prices and stock, fractions of cents and fractional quantities', async () => {
    for (const bad of [{ price: -1 }, { price: '1.999' }, { quantity: -1 }, { quantity: 1.5 }]) {
      expect(await reasonOf(app.as(mechanicToken).inventory.create(newInventoryItem(bad as object)))).toBe('validation_failed');
    }
  });

  it('lists page by page and finds parts by name in any case', async () => {
    await app.as(mechanicToken).inventory.create(newInventoryItem({ part_name: 'Timing BELT kit' }));
    const found = await app.as(mechanicToken).inventory.list({ q: 'belt' });
    expect(found.items.map((item) => item.part_name)).toEqual(['Timing BELT kit']);
    const page = await app.as(mechanicToken).inventory.list({ page: 1, per_page: 1 });
    expect(page.items).toHaveLength(1);
    expect(page.pages).toBe(page.total);
  });
});

describe('searching inventory by name', () => {
  // `q=%` and `q=_` matched every part, `q=P%d` matched "Pad", and a backslash matched nothing.
  it('matches the text literally on every database: LIKE wildcards, escapes and `!` match only themselves', async () => {
    const names = ['Zq pad', 'Zq p%d 100%', 'Zq under_score', 'Zq back\\slash', 'Zq bang!', 'Zq plain'];
    for (const part_name of names) await app.as(mechanicToken).inventory.create(newInventoryItem({ part_name }));
    const found = async (q: string) => {
      const page = await app.as(mechanicToken).inventory.list({ q, per_page: 100 });
      expect(page.total, q).toBe(page.items.length);
      return page.items.map((item) => item.part_name);
    };
    expect(await found('%')).toEqual(['Zq p%d 100%']);
    expect(await found('_')).toEqual(['Zq under_score']);
    expect(await found('P%D')).toEqual(['Zq p%d 100%']);
    expect(await found('\\')).toEqual(['Zq back\\slash']);
    expect(await found('!')).toEqual(['Zq bang!']);
    expect(await found('!%')).toEqual([]);
    expect(await found('ZQ PAD')).toEqual(['Zq pad']);
    expect(await found('zq ')).toEqual(names);
  });

  it('pages the matches', async () => {
    for (const suffix of ['a', 'b', 'c'])
      await app.as(mechanicToken).inventory.create(newInventoryItem({ part_name: `Xw paged ${suffix}` }));
    const second = await app.as(mechanicToken).inventory.list({ q: 'xw paged', page: 2, per_page: 2 });
    expect(second).toMatchObject({
      total: 3,
      pages: 2,
      page: 2,
      per_page: 2,
      items: [{ part_name: 'Xw paged c', price: '49.90', quantity: 10 }],
    });
  });
});

describe('inventory by staff role', () => {
  it('owners and service writers change the inventory; technicians only read it', async () => {
    const writer = await signUpMechanic(app, { role: 'service_writer' });
    const technician = await signUpMechanic(app, { role: 'technician' });
    const item = await app.as(writer.token).inventory.create(newInventoryItem());
    expect(await app.as(writer.token).inventory.update({ id: item.id, quantity: 7 })).toMatchObject({ quantity: 7 });
    expect(await app.as(technician.token).inventory.byId({ id: item.id })).toMatchObject({ id: item.id, quantity: 7 });
    expect((await app.as(technician.token).inventory.list({ per_page: 100 })).items.map(({ id }) => id)).toContain(item.id);
    expect(await reasonOf(app.as(technician.token).inventory.create(newInventoryItem()))).toBe('forbidden');
    expect(await reasonOf(app.as(technician.token).inventory.update({ id: item.id, quantity: 1 }))).toBe('forbidden');
    expect(await reasonOf(app.as(technician.token).inventory.delete({ id: item.id }))).toBe('forbidden');
    await app.as(writer.token).inventory.delete({ id: item.id });
  });
});

describe('reorder_point and inventory.low_stock', () => {
  const lowStock = async (id: number) =>
    (await eventsAbout(app, { type: 'inventory_item', id })).filter((event) => event.type === 'inventory.low_stock');

  it('is set on create and edit, shown, and refused when negative or fractional', async () => {
    const item = await app.as(mechanicToken).inventory.create(newInventoryItem({ reorder_point: 3 }));
    expect(item.reorder_point).toBe(3);
    expect(await app.as(mechanicToken).inventory.update({ id: item.id, reorder_point: 5 })).toMatchObject({ reorder_point: 5 });
    expect((await app.as(mechanicToken).inventory.list({ q: item.part_name })).items[0]).toMatchObject({ reorder_point: 5 });
    for (const reorder_point of [-1, 1.5]) {
      expect(await reasonOf(app.as(mechanicToken).inventory.update({ id: item.id, reorder_point }))).toBe('validation_failed');
    }
  });

  it('fires when parts on a ticket take the stock to the reorder point, once per crossing', async () => {
    const item = await app.as(mechanicToken).inventory.create(newInventoryItem({ quantity: 10, reorder_point: 4 }));
    const { token } = await signUpCustomer(app);
    const ticket = await app.as(token).serviceTickets.open(newTicket());
    await app.as(mechanicToken).serviceTickets.addPart({ id: ticket.id, inventory_id: item.id, quantity: 5 });
    expect(await lowStock(item.id)).toEqual([]);
    await app.as(mechanicToken).serviceTickets.addPart({ id: ticket.id, inventory_id: item.id, quantity: 1 });
    const [event, ...more] = await lowStock(item.id);
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      actor: null,
      subject: { type: 'inventory_item', id: String(item.id) },
      data: { ...item, quantity: 4 },
    });
    // Still low: no second alert on the way down.
    await app.as(mechanicToken).serviceTickets.addPart({ id: ticket.id, inventory_id: item.id, quantity: 2 });
    expect(await lowStock(item.id)).toHaveLength(1);
    // Restocked above the point, then taken down again: a second crossing.
    await app.as(mechanicToken).inventory.update({ id: item.id, quantity: 10 });
    await app.as(mechanicToken).serviceTickets.addPart({ id: ticket.id, inventory_id: item.id, quantity: 6 });
    expect((await lowStock(item.id)).map((alert) => alert.data.quantity)).toEqual([4, 4]);
  });

  it('fires on an edit that takes the stock to the point, with the editor as the actor, and never with the point at 0', async () => {
    const item = await app.as(mechanicToken).inventory.create(newInventoryItem({ quantity: 10, reorder_point: 2 }));
    await app.as(mechanicToken).inventory.update({ id: item.id, quantity: 2 });
    expect(await lowStock(item.id)).toEqual([expect.objectContaining({ actor: { kind: 'staff', id: expect.any(Number) } })]);
    const unwatched = await app.as(mechanicToken).inventory.create(newInventoryItem({ quantity: 10 }));
    await app.as(mechanicToken).inventory.update({ id: unwatched.id, quantity: 0 });
    expect(await lowStock(unwatched.id)).toEqual([]);
  });

  it('audits edits with the fields before and after', async () => {
    const item = await app.as(mechanicToken).inventory.create(newInventoryItem({ price: '10.00' }));
    await app.as(mechanicToken).inventory.update({ id: item.id, price: '12.50', reorder_point: 1 });
    const trail = await app.as(mechanicToken).audit.list({ subject_type: 'inventory_item', subject_id: String(item.id) });
    expect(trail.items.map((entry) => entry.action)).toEqual(['inventory.updated', 'inventory.created']);
    expect(trail.items[0]!.changes).toEqual({ price: { before: '10.00', after: '12.50' }, reorder_point: { before: 0, after: 1 } });
  });
});
