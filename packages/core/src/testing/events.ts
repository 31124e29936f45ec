import { eventSchemaOf } from '../events/event-catalogue.ts';
import { toEventView } from '../events/event.service.ts';
import type { EventSubject } from '../events/outbox.ts';
import type { Event } from '../events/event.schemas.ts';
import type { TestApp } from './index.ts';

/**
 * The events written about a subject, oldest first, published or not, each
 * checked against its type's schema in the catalogue (what the OpenAPI
 * document promises a consumer).
 */
export async function eventsAbout(app: TestApp, subject: EventSubject): Promise<Event[]> {
  const rows = await app.services.db.event.findMany({
    where: { subjectType: subject.type, subjectId: String(subject.id) },
    orderBy: { id: 'asc' },
  });
  return rows.map((row) => {
    const event = toEventView(row);
    eventSchemaOf(event.type).parse(event);
    return event;
  });
}
