import { seedDemoShop } from '@mechanic-shop/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, startTestServer, type TestServer } from './server-harness.ts';

/** The login examples /docs sends with "Test Request" are the demo shop's accounts: they log in once `db:seed` ran. */
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
  await seedDemoShop(server.app.services);
});
afterAll(() => server.close());

describe('the login examples of /openapi.json (and so of /docs)', () => {
  it.each(['/customers/login', '/mechanics/login'])('%s: its example logs in on the demo shop', async (path) => {
    const document = (await request(server, 'GET', '/openapi.json')).body;
    const body = document.paths[path].post.requestBody.content['application/json'];
    const schema = body.schema.$ref ? document.components.schemas[body.schema.$ref.split('/').pop()] : body.schema;
    const [example] = schema.examples as Array<{ email: string; password: string }>;
    expect(schema.description).toContain('db:seed');
    const login = await request(server, 'POST', path, { json: example });
    expect(login.status).toBe(200);
    expect(login.body.token).toMatch(/^ey/);
  });
});
