import { validate } from '@scalar/openapi-parser';
import { StaffRole } from '@mechanic-shop/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAFF_ROLE_NAMES, TAG_DESCRIPTIONS } from '../src/rest/openapi.ts';
import { everyRestRoute } from '../src/documents-routes.ts';
import { request, startTestServer, type TestServer } from './server-harness.ts';

let server: TestServer;
let document: any;
beforeAll(async () => {
  server = await startTestServer();
  document = (await request(server, 'GET', '/openapi.json')).body;
});
afterAll(() => server.close());

type Operation = {
  operationId?: string;
  summary?: string;
  tags?: string[];
  security?: Array<Record<string, string[]>>;
  responses: Record<string, any>;
};
const operations = (): Array<[string, string, Operation]> =>
  Object.entries(document.paths as Record<string, Record<string, Operation>>).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => [method.toUpperCase(), path, operation] as [string, string, Operation]),
  );

describe('GET /openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    expect(document.openapi).toBe('3.1.0');
    const { valid, errors } = await validate(document);
    expect(errors).toEqual([]);
    expect(valid).toBe(true);
  });

  it('lists every REST route of the router, each with its security requirement', () => {
    const routes = everyRestRoute();
    expect(
      operations()
        .map(([method, path]) => `${method} ${path}`)
        .sort(),
    ).toEqual(routes.map((route) => `${route.method} ${route.path}`).sort());
    for (const route of routes) {
      const operation = document.paths[route.path][route.method.toLowerCase()] as Operation;
      const schemes = (operation.security ?? []).map((requirement) => Object.keys(requirement).join());
      if (route.meta.access === 'public') {
        expect(schemes.filter(Boolean), `${route.method} ${route.path}`).toEqual(route.meta.tokenEffect ? ['bearerAuth'] : []);
      } else {
        expect(schemes, `${route.method} ${route.path}`).toEqual(['bearerAuth']);
      }
    }
    expect(Object.keys(document.components.securitySchemes)).toEqual(['bearerAuth']);
  });

  it('gives every operation an id, a summary, tags and problem+json error responses', () => {
    for (const [method, path, operation] of operations()) {
      const name = `${method} ${path}`;
      expect(operation.operationId, name).toBeTruthy();
      expect(operation.summary, name).toBeTruthy();
      expect(operation.tags?.length, name).toBeGreaterThan(0);
      for (const [status, response] of Object.entries(operation.responses)) {
        if (Number(status) >= 400) expect(Object.keys(response.content), `${name} ${status}`).toEqual(['application/problem+json']);
      }
    }
  });

  it('gives every request body, success response and parameter an example', () => {
    const schemas = document.components.schemas as Record<string, Record<string, unknown>>;
    const resolve = (schema: any): Record<string, unknown> =>
      schema?.$ref ? resolve(schemas[String(schema.$ref).split('/').pop()!]) : schema;
    const exemplified = (schema: unknown) => ['example', 'examples'].some((key) => key in resolve(schema));
    for (const [method, path, operation] of operations()) {
      const name = `${method} ${path}`;
      const body = (operation as any).requestBody?.content['application/json'].schema;
      if (body) expect(exemplified(body), `${name} body`).toBe(true);
      for (const [status, response] of Object.entries(operation.responses)) {
        // A PDF (the printable documents) has no example to give.
        if (status.startsWith('2') && response.content?.['application/json'])
          expect(exemplified(response.content['application/json'].schema), `${name} ${status}`).toBe(true);
      }
      for (const parameter of (operation as any).parameters ?? [])
        expect(exemplified(parameter.schema), `${name} ${parameter.name}`).toBe(true);
    }
  });

  it('documents the real success status of each route, and no other', () => {
    for (const route of everyRestRoute()) {
      const responses = document.paths[route.path][route.method.toLowerCase()].responses as Record<string, unknown>;
      const successes = Object.keys(responses).filter((status) => status.startsWith('2'));
      expect(successes, `${route.method} ${route.path}`).toEqual([String(route.meta.successStatus ?? 200)]);
    }
  });

  it('names, in the Access line of each staff operation, the roles that may call it and no other', () => {
    for (const route of everyRestRoute()) {
      const name = `${route.method} ${route.path}`;
      const description = String(document.paths[route.path][route.method.toLowerCase()].description);
      const staffSentence = /\*\*Access:\*\* Staff token: ([^.]*)\./.exec(description)?.[1];
      if (route.meta.access !== 'mechanic') {
        expect(staffSentence, name).toBeUndefined();
        continue;
      }
      const allowed = route.meta.staffRoles ?? StaffRole.options;
      const named = StaffRole.options.filter((role) => staffSentence?.split(/,? or |, /).includes(STAFF_ROLE_NAMES[role]));
      expect(named, name).toEqual(StaffRole.options.filter((role) => allowed.includes(role)));
    }
  });

  it('declares the Idempotency-Key header on every POST (required where the route requires it) and Idempotent-Replayed on its success', () => {
    const posts = everyRestRoute().filter((route) => route.method === 'POST');
    expect(posts.some((route) => route.meta.idempotency === 'required')).toBe(true);
    for (const route of posts) {
      const name = `${route.method} ${route.path}`;
      const operation = document.paths[route.path].post;
      const header = operation.parameters.find((parameter: { name: string }) => parameter.name === 'Idempotency-Key');
      expect(header, name).toMatchObject({ in: 'header', required: route.meta.idempotency === 'required', schema: { maxLength: 255 } });
      const success = operation.responses[String(route.meta.successStatus ?? 200)];
      const errors = Object.entries(operation.responses as Record<string, { description: string }>)
        .filter(([status]) => Number(status) >= 400)
        .map(([, response]) => response.description)
        .join(' ');
      if (route.meta.rateLimit === 'login') {
        expect(success.headers, name).not.toHaveProperty('Idempotent-Replayed');
        continue;
      }
      expect(success.headers['Idempotent-Replayed'], name).toEqual({ $ref: '#/components/headers/Idempotent-Replayed' });
      expect(operation.responses['422'].description, name).toContain('`idempotency_key_reused`');
      expect(operation.responses['409'].description, name).toContain('`idempotency_key_in_flight`');
      expect(errors.includes('`idempotency_key_required`'), name).toBe(route.meta.idempotency === 'required');
    }
    for (const [method, path, operation] of operations().filter(([method]) => method !== 'POST')) {
      const names = ((operation as any).parameters ?? []).map((parameter: { name: string }) => parameter.name);
      expect(names, `${method} ${path}`).not.toContain('Idempotency-Key');
    }
  });

  it("lists the routes' tags in the router's order, each with a description", () => {
    const used = [...new Set(everyRestRoute().flatMap((route) => route.meta.openapi?.tags ?? []))];
    expect(document.tags.map((tag: { name: string }) => tag.name)).toEqual(used);
    expect({
      'tags without a description in TAG_DESCRIPTIONS (apps/api/src/rest/openapi.ts)': used.filter((tag) => !TAG_DESCRIPTIONS[tag]),
      'descriptions of tags no route uses': Object.keys(TAG_DESCRIPTIONS).filter((tag) => !used.includes(tag)),
    }).toEqual({
      'tags without a description in TAG_DESCRIPTIONS (apps/api/src/rest/openapi.ts)': [],
      'descriptions of tags no route uses': [],
    });
  });
});
