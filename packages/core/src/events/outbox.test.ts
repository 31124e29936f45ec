import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../db/transactions.ts';
import { createTestApp, type TestApp } from '../testing/index.ts';
import { diffFields, emitEvent, recordAudit } from './outbox.ts';

/*
 * The transactional outbox: an event and an audit entry are written by the
 * change's own transaction, so they exist exactly when the change does.
 */

let app: TestApp;

beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

const subject = (id: string) => ({ type: 'outbox_test', id });

async function changeThatFails(id: string): Promise<void> {
  await inTransaction(app.services.db, async (tx) => {
    await tx.shopSettings.findFirst();
    await emitEvent(tx, { type: 'inventory.low_stock', actor: null, subject: subject(id), data: { id } });
    await recordAudit(tx, { actor: null, subject: subject(id), action: 'outbox_test.changed', changes: {} });
    throw new Error('the change fails after its event was written');
  });
}

describe('the outbox', () => {
  it('leaves no event and no audit entry when the change rolls back', async () => {
    await expect(changeThatFails('rolled-back')).rejects.toThrow('the change fails');
    expect(await app.services.db.event.count({ where: { subjectId: 'rolled-back' } })).toBe(0);
    expect(await app.services.db.auditEntry.count({ where: { subjectId: 'rolled-back' } })).toBe(0);
  });

  it('writes the event, unpublished, and the audit entry with the change', async () => {
    const actor = { role: 'mechanic' as const, id: 4, staffRole: 'owner' as const };
    await inTransaction(app.services.db, async (tx) => {
      await emitEvent(tx, { type: 'staff.role_changed', actor, subject: subject('committed'), data: { id: 4, role: 'owner' } });
      await recordAudit(tx, {
        actor: { kind: 'customer', id: 9 },
        subject: subject('committed'),
        action: 'outbox_test.changed',
        changes: diffFields({ role: 'technician', name: 'Grace' }, { role: 'owner', name: 'Grace' }),
        serviceTicketId: 12,
        customerVisible: true,
      });
    });
    const event = await app.services.db.event.findFirstOrThrow({ where: { subjectId: 'committed' } });
    expect(event).toMatchObject({ position: null, type: 'staff.role_changed', actorKind: 'staff', actorId: 4, subjectType: 'outbox_test' });
    expect(JSON.parse(event.data)).toEqual({ id: 4, role: 'owner' });
    const entry = await app.services.db.auditEntry.findFirstOrThrow({ where: { subjectId: 'committed' } });
    expect(entry).toMatchObject({ actorKind: 'customer', actorId: 9, serviceTicketId: 12, customerVisible: true });
    expect(JSON.parse(entry.changes)).toEqual({ role: { before: 'technician', after: 'owner' } });
  });
});

describe('diffFields', () => {
  it('lists the fields that differ, comparing values as JSON', () => {
    const before = { a: 1, b: 'x', at: new Date('2026-01-01T00:00:00Z'), tags: ['p'] };
    const after = { a: 1, b: 'y', at: new Date('2026-01-01T00:00:00Z'), tags: ['p', 'q'] };
    expect(diffFields(before, after)).toEqual({ b: { before: 'x', after: 'y' }, tags: { before: ['p'], after: ['p', 'q'] } });
  });

  it('looks only at the fields named, and shows a missing side as null', () => {
    expect(diffFields({ a: 1, b: 2 }, { a: 3, b: 4 }, ['a'])).toEqual({ a: { before: 1, after: 3 } });
    expect(diffFields(null, { name: 'Ada' })).toEqual({ name: { before: null, after: 'Ada' } });
    expect(diffFields({ name: 'Ada' }, null)).toEqual({ name: { before: 'Ada', after: null } });
  });
});
