import { route } from '../trpc/meta.ts';
import { router, staffProcedure } from '../trpc/procedures.ts';
import { EventFeed, EventFeedQuery } from './event.schemas.ts';
import * as events from './event.service.ts';

export const eventRouter = router({
  feed: staffProcedure('owner')
    .meta(
      route({
        method: 'GET',
        path: '/events',
        rateLimit: 'read',
        // Published in the background, by no route: an answer could never be invalidated.
        cache: 'no-store',
        tags: ['events'],
        summary: 'The event feed: every change in commit order, after a cursor',
        description:
          'For integrations that cannot receive webhooks. Events appear once published (within a second of their commit), ' +
          'by position; pass next_cursor as after to read on, and keep polling with it. types filters by event type ' +
          '(comma-separated). Each type and its data schema is listed under the document’s webhooks.',
      }),
    )
    .input(EventFeedQuery)
    .output(EventFeed)
    .query(({ ctx, input }) => events.readEventFeed(ctx.services, input)),
});
