import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { SECURITY_SCHEME } from '../rest/openapi.ts';

/**
 * The interactive API reference at /docs: Scalar's standalone bundle, from the
 * npm package and served by this server (many shops have no internet access, so
 * no CDN), rendering the live /openapi.json.
 */
export const DOCS_SCRIPT_PATH = '/docs/scalar.js';

/**
 * Tokens are pasted into this page: no other site may frame it (clickjacking),
 * and it may load code from and send requests to this server only. Scalar
 * styles its components with inline styles and runs a worker from a blob URL.
 * In @fastify/helmet's form: the docs route sets it as its `helmet` option.
 */
export const DOCS_CONTENT_SECURITY_POLICY = {
  useDefaults: false,
  directives: {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'"],
    'worker-src': ["'self'", 'blob:'],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'frame-ancestors': ["'none'"],
  },
};

export function docsPageHtml(): string {
  // The page talks to this server only. Scalar's defaults would reach its own
  // services: fonts from its CDN, telemetry, and, on a localhost address, an AI
  // agent, MCP generation and developer tools that upload the document. No
  // proxyUrl is set, so "Test Request" calls go straight from the browser here.
  const configuration = {
    withDefaultFonts: false,
    telemetry: false,
    agent: { disabled: true },
    mcp: { disabled: true },
    showDeveloperTools: 'never',
    hideClientButton: true,
    defaultOpenAllTags: true,
    authentication: { preferredSecurityScheme: SECURITY_SCHEME },
  };
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Mechanic Shop API reference</title>
  </head>
  <body>
    <script id="api-reference" data-url="/openapi.json" data-configuration='${JSON.stringify(configuration).replaceAll("'", '&#39;')}'></script>
    <script src="${DOCS_SCRIPT_PATH}"></script>
  </body>
</html>`;
}

let script: Promise<{ raw: Buffer; gzip: Buffer }> | undefined;

/** The Scalar bundle, read and compressed once. */
export function docsScript(): Promise<{ raw: Buffer; gzip: Buffer }> {
  script ??= (async () => {
    // The bundle is not among the package's exports: find it next to its entry point.
    const entry = createRequire(import.meta.url).resolve('@scalar/api-reference');
    const file = path.join(path.dirname(entry), 'browser', 'standalone.js');
    const raw = await readFile(file);
    return { raw, gzip: gzipSync(raw) };
  })();
  return script;
}
