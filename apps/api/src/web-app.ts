import { stat } from 'node:fs/promises';
import path from 'node:path';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DEFAULT_WEB_APP_DIR } from './config.ts';
import { problem, sendProblem } from './http/problem.ts';

/** Where the front desk app lives (its router's basename, Vite's `base`). */
export const WEB_APP_PATH = '/app';

/**
 * The app's own code only: no inline script, no other origin, no framing (a
 * signed-in page in someone else's frame is clickjacking). Vite's build has
 * no inline script or style; styles React and chart.js set from code
 * (element.style) are not inline styles for CSP. The QR code of an approval
 * link is a data: image.
 */
export const WEB_APP_CONTENT_SECURITY_POLICY = {
  useDefaults: false,
  directives: {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'style-src': ["'self'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'"],
    'connect-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
  },
};

export interface WebAppOptions {
  /** The build output of apps/web (`vite build`); WEB_APP_DIR, apps/web/dist by default. */
  dir?: string;
}

/** Vite names these files by their content: a changed file is a new name, so each can be kept for good. */
const HASHED_ASSETS = 'assets/';

/**
 * The front desk app at /app, from its build: hashed assets cached for a year,
 * index.html revalidated on every load (it names the current assets), and any
 * other path under /app answered with index.html, where the app's router
 * takes over (/app/tickets/7 after a reload). Pages get helmet's headers and a
 * strict Content-Security-Policy. The build is looked for on each request,
 * so that `pnpm build` while the server runs is enough; without it, /app is a
 * 404 saying how to build it.
 */
export async function webApp(app: FastifyInstance, { dir = DEFAULT_WEB_APP_DIR }: WebAppOptions): Promise<void> {
  await app.register(helmet, { contentSecurityPolicy: WEB_APP_CONTENT_SECURITY_POLICY });
  // Only `reply.sendFile` (which confines paths to `root`): the routes below decide what is served how.
  await app.register(fastifyStatic, { root: dir, serve: false });

  const sendIndex = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!(await isFile(path.join(dir, 'index.html')))) {
      const detail = `The web app is not built (no ${path.join(dir, 'index.html')}): run \`npx -y pnpm@10 build\`, or start with \`npx -y pnpm@10 start\`, which builds it`;
      return sendProblem(reply, problem('route_not_found', detail, { request_id: request.id }));
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false });
  };

  app.get(WEB_APP_PATH, sendIndex);
  app.get(`${WEB_APP_PATH}/*`, async (request, reply) => {
    const file = (request.params as { '*': string })['*'];
    if (file.startsWith(HASHED_ASSETS)) return reply.sendFile(file, { immutable: true, maxAge: '365d' });
    // Files of the build's root (Vite's public/) as they are; every other path is a screen of the app.
    const inside = path.resolve(dir, file);
    if (file !== 'index.html' && inside.startsWith(`${path.resolve(dir)}${path.sep}`) && (await isFile(inside))) {
      return reply.header('cache-control', 'no-cache').sendFile(file, { cacheControl: false });
    }
    return sendIndex(request, reply);
  });
}

async function isFile(file: string): Promise<boolean> {
  return (await stat(file).catch(() => undefined))?.isFile() ?? false;
}
