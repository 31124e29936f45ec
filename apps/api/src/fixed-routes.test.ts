import Fastify from 'fastify';
import type { AppServices } from '@mechanic-shop/core';
import { describe, expect, it, vi } from 'vitest';
import { fixedRoutes } from './fixed-routes.ts';
import type * as OpenApi from './rest/openapi.ts';
import { buildOpenApiDocument } from './rest/openapi.ts';

vi.mock('./rest/openapi.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof OpenApi>();
  return { ...actual, buildOpenApiDocument: vi.fn(actual.buildOpenApiDocument) };
});

describe('GET /openapi.json', () => {
  it('is generated on its first request, once, rather than while the server starts', async () => {
    const app = Fastify();
    await app.register(fixedRoutes, {
      services: { provider: 'sqlite' } as AppServices,
      ping: async () => {},
      gate: undefined,
      version: '1.2.3',
    });
    await app.ready();
    expect(buildOpenApiDocument).not.toHaveBeenCalled();

    const first = await app.inject({ method: 'GET', url: '/openapi.json' });
    const second = await app.inject({ method: 'GET', url: '/openapi.json' });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ openapi: '3.1.0', info: { version: '1.2.3' } });
    expect(second.body).toBe(first.body);
    expect(buildOpenApiDocument).toHaveBeenCalledTimes(1);
    await app.close();
  });
});
