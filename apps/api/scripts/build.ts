import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decode, encode, type SourceMapSegment } from '@jridgewell/sourcemap-codec';
import { build, type Plugin } from 'esbuild';

/**
 * The production build (`pnpm --filter @mechanic-shop/api build`): src/main.ts
 * and src/cli.ts bundled, with @mechanic-shop/core from its source (the code
 * the tests run) and the npm packages they use, into a few files of dist/.
 * Node loading some 1,300 modules one by one (resolving, reading and compiling
 * each) was most of the API's start-up. Code only some runs need (the
 * PostgreSQL and MariaDB drivers, each database's Prisma client and query
 * compiler, the PDF renderer) is imported on first use, so it stays in chunks
 * of their own that a start does not load.
 *
 * The dev and test path (`--conditions=source`, tsx, vitest) does not use it.
 */
const apiDir = path.resolve(fileURLToPath(import.meta.url), '../..');
const coreDir = path.resolve(apiDir, '../../packages/core');
const outdir = path.join(apiDir, 'dist');

/**
 * Left to Node, from apps/api's own dependencies: native addons, found next to
 * their package's files (better-sqlite3, bcrypt); pdfkit, which reads its data
 * files next to its code; ioredis, which names its own folder (`__dirname`, not
 * defined in a bundle). pg-native is pg's optional native driver, not installed.
 */
const EXTERNAL = ['better-sqlite3', 'bcrypt', 'pdfkit', 'ioredis', 'pg-native'];

/**
 * Our code finds files next to its own with `import.meta.url` (core: the
 * migrations, the fonts' package through `createRequire`; the API: its
 * package.json, the web app's build), which in the bundle would be the
 * bundle's. Each use becomes the URL of the source file itself: for the API's
 * files, from dist/ (the bundle's folder); for core's, from the package that
 * @mechanic-shop/core resolves to at run time, so that a copy of the build
 * elsewhere in apps/api (an earlier build, for the bench) still finds them.
 */
const importMetaUrlOfSources: Plugin = {
  name: 'import-meta-url-of-sources',
  setup(builder) {
    builder.onLoad({ filter: /\.ts$/ }, async ({ path: file }) => {
      const source = await readFile(file, 'utf8');
      if (!source.includes('import.meta.url')) return undefined;
      const fileUrl = sourceFileUrl(file);
      return {
        contents:
          `import { createRequire as __createRequire } from 'node:module';\n` +
          `import { pathToFileURL as __pathToFileURL } from 'node:url';\n` +
          `const __sourceFileUrl = ${fileUrl};\n` +
          source.replaceAll('import.meta.url', '__sourceFileUrl'),
        loader: 'ts',
      };
    });
  },
};

/**
 * trpc-to-openapi's modules only define things; we use its helpers and its
 * document generator, and its adapters for other servers (Express, Next, Nuxt,
 * Fetch) pulled in their body parsers and iconv-lite's encoding tables: this
 * lets esbuild leave out the modules whose exports nothing uses.
 */
const SIDE_EFFECT_FREE_PACKAGES = ['trpc-to-openapi'];
const unusedModulesDropped: Plugin = {
  name: 'unused-modules-dropped',
  setup(builder) {
    builder.onResolve({ filter: /.*/ }, async ({ path: specifier, kind, importer, resolveDir, pluginData }) => {
      if ((pluginData as { resolving?: boolean } | undefined)?.resolving) return undefined;
      const resolved = await builder.resolve(specifier, { kind, importer, resolveDir, pluginData: { resolving: true } });
      const inPackage = SIDE_EFFECT_FREE_PACKAGES.some((name) =>
        resolved.path.includes(`${path.sep}node_modules${path.sep}${name}${path.sep}`),
      );
      return inPackage ? { ...resolved, sideEffects: false } : undefined;
    });
  },
};

/** An expression for a source file's URL in the bundle (see above). */
function sourceFileUrl(file: string): string {
  const inside = (dir: string) => path.relative(dir, file).split(path.sep).join('/');
  if (file.startsWith(`${apiDir}${path.sep}`)) return `new URL(${JSON.stringify(inside(outdir))}, import.meta.url).href`;
  if (file.startsWith(`${coreDir}${path.sep}`)) {
    // Core's `default` export is dist/index.js (built before this, turbo's `^build`): one folder down from the package.
    const coreUrl = `new URL('..', __pathToFileURL(__createRequire(import.meta.url).resolve('@mechanic-shop/core')))`;
    return `new URL(${JSON.stringify(inside(coreDir))}, ${coreUrl}).href`;
  }
  throw new Error(`${file} uses import.meta.url: the build does not know where it lives`);
}

await rm(outdir, { recursive: true, force: true });
await build({
  entryPoints: [path.join(apiDir, 'src/main.ts'), path.join(apiDir, 'src/cli.ts')],
  outdir,
  // Chunks beside the entry points: the API's files find theirs from dist/ (above).
  chunkNames: '[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  conditions: ['source', 'module'],
  external: EXTERNAL,
  // For the CommonJS packages in the bundle (Fastify, Prisma's runtime…), which `require` Node's modules.
  banner: { js: "import { createRequire as __bannerRequire } from 'node:module'; const require = __bannerRequire(import.meta.url);" },
  // Without comments: one character past Latin-1 in a comment (a dash, a quote) made Node hold a file's
  // whole source as two bytes a character, for as long as the process lives.
  minifyWhitespace: true,
  sourcemap: 'linked',
  sourcesContent: false,
  logLevel: 'warning',
  plugins: [importMetaUrlOfSources, unusedModulesDropped],
});
for (const file of await readdir(outdir)) if (file.endsWith('.map')) await mapOurCodeOnly(path.join(outdir, file));

/**
 * `pnpm start` runs with --enable-source-maps, so that stack traces name our
 * TypeScript files and lines. Node reads and parses every loaded file's map at
 * start-up, and the packages' mappings were five sixths of them: they go, and
 * frames in a package's code keep the bundle's position.
 */
async function mapOurCodeOnly(mapFile: string): Promise<void> {
  const map = JSON.parse(await readFile(mapFile, 'utf8')) as { sources: string[]; mappings: string };
  const ours = map.sources.map((source) => !source.includes('/node_modules/'));
  map.mappings = encode(
    decode(map.mappings).map((segments) => {
      const kept: SourceMapSegment[] = [];
      for (const segment of segments) {
        const [column, source] = segment;
        if (source !== undefined && ours[source]) kept.push(segment);
        // One unmapped segment where a package's code starts, so that its frames do not map to the code before it.
        else if (kept.at(-1)?.length !== 1) kept.push([column]);
      }
      return kept;
    }),
  );
  await writeFile(mapFile, JSON.stringify(map));
}
