import { Redis } from 'ioredis';

/**
 * The Redis the suites that need one use: TEST_REDIS_URL, or the local server.
 * Where none answers, those suites are skipped with the reason printed, except
 * in CI, where .ci/run starts Redis and a missing one is a failure.
 */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export async function redisAvailable(): Promise<boolean> {
  const client = new Redis(TEST_REDIS_URL, {
    lazyConnect: true,
    connectTimeout: 1_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch (error) {
    const reason = `Redis at ${TEST_REDIS_URL} is not reachable (${(error as Error).message})`;
    if (process.env.CI) throw new Error(`${reason}: CI must run the Redis suites`, { cause: error });
    console.warn(`SKIPPED Redis suites: ${reason}. Start Redis or set TEST_REDIS_URL to run them.`);
    return false;
  } finally {
    client.disconnect();
  }
}
