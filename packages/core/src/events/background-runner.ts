import { onEventEmitted } from './outbox.ts';

export interface BackgroundRunner {
  /** Runs now (after a run in progress) and waits for it: for tests, rather than the timer. */
  runNow(): Promise<void>;
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
}

/**
 * Runs `work` in this process on an interval, and `afterEmitMs` after this
 * process emitted an event (inside the writer's transaction, which usually
 * commits within a few milliseconds; a slower commit waits for the interval).
 * One run at a time: a call during a run makes it go round once more. A failed
 * run is reported to `onError` and retried on the next one. The event
 * publisher and the webhook delivery worker run this way.
 */
export function runInBackground(options: {
  intervalMs: number;
  afterEmitMs: number;
  work: () => Promise<void>;
  onError: (error: unknown) => void;
}): BackgroundRunner {
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  let nudge: NodeJS.Timeout | null = null;

  const run = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        if (stopped) return;
        try {
          await options.work();
        } catch (error) {
          options.onError(error);
          return;
        }
      } while (again);
    })().finally(() => {
      running = null;
    });
    return running;
  };

  const timer = setInterval(() => void run(), options.intervalMs);
  timer.unref();
  const unsubscribe = onEventEmitted(() => {
    if (nudge || stopped) return;
    nudge = setTimeout(() => {
      nudge = null;
      void run();
    }, options.afterEmitMs);
    nudge.unref();
  });

  return {
    async runNow() {
      await running;
      await run();
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      if (nudge) clearTimeout(nudge);
      unsubscribe();
      await running;
    },
  };
}
