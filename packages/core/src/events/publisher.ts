import type { AppServices } from '../app-services.ts';
import { lockEventPublisher } from '../db/dialect.ts';
import { inTransaction } from '../db/transactions.ts';
import { fanOutDeliveries, type PublishedEvent } from '../webhooks/webhook.delivery.ts';
import { runInBackground, type BackgroundRunner } from './background-runner.ts';

/** Events numbered per transaction: bounds the publisher's lock time when a backlog builds up. */
const PUBLISH_BATCH = 200;

/**
 * Gives the committed, unpublished events their positions, in id order, after
 * the last position given, and queues their webhook deliveries, all in one
 * transaction under the publisher's row lock. Positions are therefore handed
 * out in commit order of the publishing transactions: a feed reader who has
 * seen position n never later finds a new event below n (an event's id, taken
 * at insert, does not have that property when transactions commit out of
 * order). Resolves to how many events it published.
 */
export function publishEvents({ db, provider }: Pick<AppServices, 'db' | 'provider'>): Promise<number> {
  return inTransaction(db, async (tx) => {
    const lastPosition = await lockEventPublisher(tx, provider);
    const pending = await tx.event.findMany({
      where: { position: null },
      orderBy: { id: 'asc' },
      take: PUBLISH_BATCH,
      select: { id: true, type: true, subjectType: true, subjectId: true },
    });
    if (pending.length === 0) return 0;
    const published: PublishedEvent[] = pending.map((event, index) => ({ ...event, position: lastPosition + index + 1 }));
    // updateMany: the rows are there (read under the lock), and nothing is read back (an update would answer with the row).
    for (const event of published) await tx.event.updateMany({ where: { id: event.id }, data: { position: event.position } });
    await tx.eventPublisher.updateMany({ where: { id: 1 }, data: { lastPosition: lastPosition + published.length } });
    await fanOutDeliveries(tx, published);
    return published.length;
  });
}

/** Publishes until nothing is left (a backlog takes several batches). */
export async function publishAllEvents(services: Pick<AppServices, 'db' | 'provider'>): Promise<void> {
  while ((await publishEvents(services)) === PUBLISH_BATCH);
}

export interface EventPublisherOptions {
  /** How often to look for unpublished events (EVENT_PUBLISH_INTERVAL_MS): the bound on a feed's delay. */
  intervalMs: number;
}

/** The wait between an `emitEvent` and the run it triggers (see runInBackground). */
const AFTER_EMIT_DELAY_MS = 20;

/**
 * Runs the publisher in this process: on an interval, and shortly after this
 * process emitted an event. Runs in other instances wait on the publisher's
 * row lock.
 */
export function startEventPublisher(
  services: Pick<AppServices, 'db' | 'provider' | 'log'>,
  options: EventPublisherOptions,
): BackgroundRunner {
  return runInBackground({
    intervalMs: options.intervalMs,
    afterEmitMs: AFTER_EMIT_DELAY_MS,
    work: () => publishAllEvents(services),
    onError: (error) => services.log.error({ err: error }, 'publishing events failed; retrying on the next run'),
  });
}
