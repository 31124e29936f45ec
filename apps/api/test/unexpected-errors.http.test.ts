import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newCustomer } from './accounts.ts';
import { request, startTestServer, type TestServer } from './server-harness.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  // A fault deep inside the server, with details that must never reach a client.
  server.app.services.passwords = {
    ...server.app.services.passwords,
    hash: async () => {
      throw new Error('disk full at /var/lib/secret/bcrypt.c:42 (connection string postgresql://admin:hunter2@db)');
    },
  };
});
afterAll(() => server.close());

describe('an unexpected error', () => {
  it('is a 500 problem with a correlation id and nothing internal, on REST', async () => {
    const response = await request(server, 'POST', '/customers', { json: newCustomer() });
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.body).toEqual({
      type: '/problems/internal_error',
      title: 'Internal server error',
      status: 500,
      detail: 'Internal server error',
      code: 'internal_error',
      request_id: response.headers.get('x-request-id'),
    });
    // The operator finds the cause in the log, under the same id.
    const logged = server.logs.find((line) => line.request_id === response.body.request_id && line.level === 50);
    expect(JSON.stringify(logged)).toContain('disk full');
  });

  it('is a 500 with the same code and nothing internal, on tRPC', async () => {
    const response = await request(server, 'POST', '/trpc/customers.register', { json: newCustomer() });
    expect(response.status).toBe(500);
    expect(response.body.error).toMatchObject({ message: 'Internal server error', data: { reason: 'internal_error', httpStatus: 500 } });
    expect(JSON.stringify(response.body)).not.toMatch(/disk full|hunter2|stack|\/var\/lib/);
  });
});
