import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../db/transactions.ts';
import { signUpMechanic } from '../testing/fixtures.ts';
import { createTestApp, testProvider, type TestApp } from '../testing/index.ts';
import { emitEvent } from './outbox.ts';
import { publishAllEvents, publishEvents, startEventPublisher } from './publisher.ts';

/*
 * Positions are given in publishing order under the publisher's row lock, so a
 * feed reader's cursor is stable: no event ever appears behind it, even when
 * writers commit out of id order and several instances publish at once. On
 * PostgreSQL and MariaDB the second instance is a second client with its own
 * connections; SQLite has one instance, which runs transactions one at a time.
 */

let app: TestApp;
let instances: TestApp[];
let ownerToken: string;

beforeAll(async () => {
  app = await createTestApp();
  instances = testProvider() === 'sqlite' ? [app] : [app, await createTestApp({ database: { url: app.databaseUrl } })];
  ownerToken = (await signUpMechanic(app)).token;
  await publishAllEvents(app.services);
});
afterAll(async () => {
  for (const instance of instances.slice(1)) await instance.close();
  await app.close();
});

/** A write that emits `count` events, holding its transaction open for `holdMs` between them. */
function write(label: string, count: number, holdMs: number): Promise<void> {
  return inTransaction(app.services.db, async (tx) => {
    for (let index = 0; index < count; index++) {
      await emitEvent(tx, {
        type: 'inventory.low_stock',
        actor: null,
        subject: { type: 'publisher_test', id: `${label}-${index}` },
        data: {},
      });
      await sleep(holdMs);
    }
  });
}

async function positionsById(): Promise<Map<number, number | null>> {
  const rows = await app.services.db.event.findMany({ select: { id: true, position: true } });
  return new Map(rows.map((row) => [row.id, row.position]));
}

describe('the publisher', () => {
  it('numbers committed events after the last position, in id order, and only once', async () => {
    const { lastPosition } = await app.services.db.eventPublisher.findUniqueOrThrow({ where: { id: 1 } });
    await write('sequential', 3, 0);
    expect(await publishEvents(app.services)).toBe(3);
    expect(await publishEvents(app.services)).toBe(0);
    const rows = await app.services.db.event.findMany({ where: { subjectType: 'publisher_test' }, orderBy: { id: 'asc' } });
    expect(rows.map((row) => row.position)).toEqual([lastPosition + 1, lastPosition + 2, lastPosition + 3]);
    expect((await app.services.db.eventPublisher.findUniqueOrThrow({ where: { id: 1 } })).lastPosition).toBe(lastPosition + 3);
  });

  it('keeps a feed cursor stable while writers commit out of order and instances publish at once', async () => {
    const owner = app.as(ownerToken);
    await publishAllEvents(app.services);
    const start = (await app.services.db.eventPublisher.findUniqueOrThrow({ where: { id: 1 } })).lastPosition;
    let cursor = String(start);
    const seen: string[] = [];
    let writing = true;
    const read = async () => {
      const page = await owner.events.feed({ after: cursor });
      seen.push(...page.items.map((event) => event.id));
      cursor = page.next_cursor;
    };
    const reader = (async () => {
      while (writing) await read();
    })();
    const publishers = instances.map(async (instance) => {
      while (writing) await publishEvents(instance.services);
    });
    // Slow writers take their ids first and commit last: their events are published after the quick ones'.
    await Promise.all(Array.from({ length: 24 }, (_, index) => write(`parallel-${index}`, 2, index % 3 === 0 ? 25 : 0)));
    writing = false;
    await Promise.all([reader, ...publishers]);
    await publishAllEvents(app.services);
    await read();

    const positions = await positionsById();
    const published = [...positions.values()].map(Number).sort((a, b) => a - b);
    expect(published).toEqual(published.map((_, index) => index + 1));
    // Every event published after the reader's first cursor, each once, in position order: none appeared behind the cursor.
    const expected = [...positions.entries()]
      .filter(([, position]) => position! > start)
      .sort(([, a], [, b]) => a! - b!)
      .map(([id]) => `evt_${id}`);
    expect(expected.length).toBeGreaterThanOrEqual(48);
    expect(seen).toEqual(expected);
  });

  it('runs in the background shortly after an event is emitted', async () => {
    const running = startEventPublisher(app.services, { intervalMs: 60_000 });
    try {
      await write('background', 1, 0);
      await expect
        .poll(() => app.services.db.event.count({ where: { subjectId: 'background-0', position: null } }), { timeout: 5_000 })
        .toBe(0);
    } finally {
      await running.stop();
    }
  });
});
