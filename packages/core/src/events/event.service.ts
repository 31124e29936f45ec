import type { AppServices } from '../app-services.ts';
import type { Prisma } from '../db/client.ts';
import type { Event, EventFeed, EventFeedQuery } from './event.schemas.ts';
import { actorView, eventIdOf, type EventType } from './outbox.ts';

const eventFields = {
  id: true,
  position: true,
  type: true,
  occurredAt: true,
  actorKind: true,
  actorId: true,
  subjectType: true,
  subjectId: true,
  data: true,
} satisfies Prisma.EventSelect;
export type EventRow = Prisma.EventGetPayload<{ select: typeof eventFields }>;

/** An event as the feed and webhook bodies show it. */
export function toEventView(row: Omit<EventRow, 'position'>): Event {
  return {
    id: eventIdOf(row.id),
    type: row.type as EventType,
    occurred_at: row.occurredAt.toISOString(),
    actor: actorView(row.actorKind, row.actorId),
    subject: { type: row.subjectType, id: row.subjectId },
    data: JSON.parse(row.data) as Record<string, unknown>,
  };
}

/**
 * The published events after the cursor, by position: the commit order the
 * publisher gave them (publisher.ts). Unpublished events are left out, so a
 * page never shows a position that an earlier commit could still precede.
 */
export async function readEventFeed({ db }: Pick<AppServices, 'db'>, query: EventFeedQuery): Promise<EventFeed> {
  const after = Number(query.after ?? '0');
  const rows = await db.event.findMany({
    where: { position: { gt: after }, ...(query.types ? { type: { in: query.types } } : {}) },
    orderBy: { position: 'asc' },
    take: query.limit,
    select: eventFields,
  });
  const last = rows.at(-1)?.position;
  return { items: rows.map(toEventView), next_cursor: String(last ?? after) };
}
