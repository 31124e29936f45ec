import helmet from '@fastify/helmet';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { appRouter, PROBLEMS, type AppServices, type ProblemCode } from '@mechanic-shop/core';
import { DOCS_CONTENT_SECURITY_POLICY, DOCS_SCRIPT_PATH, docsPageHtml, docsScript } from './docs/docs-page.ts';
import { problem, sendProblem } from './http/problem.ts';
import { buildOpenApiDocument } from './rest/openapi.ts';
import type { StartupGate } from './startup.ts';

export interface FixedRoutesOptions {
  services: AppServices;
  /** Resolves when the database answers; readiness depends on it. */
  ping(): Promise<void>;
  gate: StartupGate | undefined;
  version: string;
}

/**
 * The routes that are not API calls, served while the API is starting too:
 * health and readiness, the OpenAPI document, the docs page and its script,
 * the problem types, and the favicon browsers ask for.
 */
export async function fixedRoutes(app: FastifyInstance, options: FixedRoutesOptions): Promise<void> {
  // Generated on the first request, not at start-up, where it was a tenth of the CPU; most starts never serve it.
  let openApiJson: Buffer | undefined;
  const openApiJsonOnce = () =>
    (openApiJson ??= Buffer.from(JSON.stringify(buildOpenApiDocument(appRouter, { version: options.version }))));

  app.get('/healthz', (_request, reply) => sendJson(reply, 200, { status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const waitingFor = options.gate?.waitingFor;
    if (waitingFor)
      return sendProblem(reply, problem('service_unavailable', `Starting: waiting for ${waitingFor}`), { 'retry-after': '2' });
    try {
      await options.ping();
      return sendJson(reply, 200, { status: 'ready', database: options.services.provider });
    } catch {
      return sendProblem(reply, problem('service_unavailable', 'The database is not reachable'), { 'retry-after': '5' });
    }
  });
  // Browsers ask for it on every docs visit; no content beats a logged 404.
  app.get('/favicon.ico', (_request, reply) => reply.code(204).header('cache-control', 'public, max-age=86400').send());
  app.get('/openapi.json', (_request, reply) =>
    reply.headers({ 'content-type': 'application/json', 'cache-control': 'no-cache' }).send(openApiJsonOnce()),
  );
  await app.register(docsRoutes);
  app.get('/problems/:code', (request, reply) => {
    const { code } = request.params as { code: string };
    // Own keys only: `constructor` or `__proto__` are in every object, not problem codes.
    if (!/^[a-z_]+$/.test(code) || !Object.hasOwn(PROBLEMS, code)) return reply.callNotFound();
    const { status, title } = PROBLEMS[code as ProblemCode];
    return sendJson(reply, 200, { code, status, title });
  });
}

function sendJson(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply
    .code(status)
    .headers({ 'content-type': 'application/json', 'cache-control': 'no-store' })
    .send(Buffer.from(JSON.stringify(body)));
}

/**
 * The docs page and its script, the only HTML and code this server serves, with
 * @fastify/helmet's security headers for pages (framing refused, no referrer
 * leaks…) and the page's Content-Security-Policy. A plugin of their own: helmet
 * runs per request, a cost the API answers do not pay.
 */
async function docsRoutes(app: FastifyInstance): Promise<void> {
  await app.register(helmet, { contentSecurityPolicy: DOCS_CONTENT_SECURITY_POLICY });
  const docsHtml = docsPageHtml();
  app.get('/docs', (_request, reply) =>
    reply.headers({ 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' }).send(docsHtml),
  );
  app.get(DOCS_SCRIPT_PATH, async (request, reply) => {
    const { raw, gzip } = await docsScript();
    const gzipOk = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
    reply.headers({ 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=86400', vary: 'Accept-Encoding' });
    if (gzipOk) reply.header('content-encoding', 'gzip');
    return reply.send(gzipOk ? gzip : raw);
  });
}
