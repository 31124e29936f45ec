import { readFileSync } from 'node:fs';
import newman, { type NewmanRunSummary } from 'newman';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPostmanCollection, COLLECTION_FILE, serializeCollection, type PostmanCollection } from '../scripts/postman-collection.ts';
import { startTestServer, type TestServer } from './server-harness.ts';

let server: TestServer;
let collection: PostmanCollection;
beforeAll(async () => {
  server = await startTestServer();
  collection = await buildPostmanCollection();
});
afterAll(() => server.close());

describe('postman_collection.json', () => {
  it('is what `pnpm postman` generates from the current OpenAPI document', () => {
    expect(readFileSync(COLLECTION_FILE, 'utf8'), 'postman_collection.json is stale: run `pnpm postman`').toBe(
      serializeCollection(collection),
    );
  });

  it.each(['a new shop', 'the same server again (the founder exists; the rest is new)'])(
    'runs in newman against %s with every request answering its expected status',
    async () => {
      const summary = await runNewman(collection, server.url);
      const failures = summary.run.failures.map((failure) => `${failure.source?.name}: ${failure.error.message}`);
      expect(failures).toEqual([]);
      const requestCount = collection.item.reduce((count, folder) => count + folder.item.length, 0);
      expect(summary.run.stats.requests).toMatchObject({ total: requestCount, failed: 0 });
      expect(summary.run.stats.assertions.total).toBeGreaterThanOrEqual(requestCount);
    },
  );
});

function runNewman(collection: PostmanCollection, baseUrl: string): Promise<NewmanRunSummary> {
  return new Promise((resolve, reject) => {
    newman.run({ collection, envVar: [{ key: 'baseUrl', value: baseUrl }], reporters: [], timeoutRequest: 10_000 }, (error, summary) =>
      error ? reject(error) : resolve(summary),
    );
  });
}
