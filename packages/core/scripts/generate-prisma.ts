/**
 * Builds one Prisma schema per database provider from prisma/models.prisma and
 * generates a Prisma client for each (src/db/generated/<provider>).
 *
 * A Prisma schema has exactly one provider and a generated client only accepts a
 * driver adapter of that provider, so the three clients come from one model file.
 *
 * The SQLite schema also generates the Kysely table types (prisma-kysely,
 * src/db/generated/kysely) that the one-statement reads are typed with: they
 * are written against SQLite, as the domain code is, and a column's name and
 * nullability are the same on every provider (see src/db/kysely.ts).
 *
 * Prisma's CLI insists on a native schema-engine binary that it downloads from
 * outside the npm registry; `generate` never runs it, so any executable path
 * satisfies the check (PRISMA_SCHEMA_ENGINE_BINARY).
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PROVIDERS, type Provider } from '../src/db/provider.ts';

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const prismaCli = createRequire(import.meta.url).resolve('prisma/build/index.js');

export function providerSchemaPath(provider: Provider): string {
  return path.join(packageRoot, 'prisma', 'generated', provider, 'schema.prisma');
}

export async function renderProviderSchema(provider: Provider): Promise<string> {
  const models = await readFile(path.join(packageRoot, 'prisma', 'models.prisma'), 'utf8');
  // SQLite has no native column types; its columns take the plain Prisma types.
  const body = provider === 'sqlite' ? models.replace(/[ \t]*@db\.\w+(\([^)]*\))?/g, '') : models;
  const generatedDir = (name: string) =>
    path
      .relative(path.dirname(providerSchemaPath(provider)), path.join(packageRoot, 'src', 'db', 'generated', name))
      .split(path.sep)
      .join('/');
  // Found on the PATH that `generate` gives Prisma's CLI (the package's node_modules/.bin).
  const kysely = `
generator kysely {
  provider = "prisma-kysely"
  output   = "${generatedDir('kysely')}"
  fileName = "database.ts"
}
`;
  return `// Generated from prisma/models.prisma by scripts/generate-prisma.ts. Do not edit.
${provider === 'sqlite' ? kysely : ''}
generator client {
  provider     = "prisma-client"
  output       = "${generatedDir(provider)}"
  moduleFormat = "esm"
  runtime      = "nodejs"
  compilerBuild = "small"
}

datasource db {
  provider = "${provider}"
}

${body}`;
}

async function generate(provider: Provider): Promise<void> {
  const schemaPath = providerSchemaPath(provider);
  await mkdir(path.dirname(schemaPath), { recursive: true });
  await writeFile(schemaPath, await renderProviderSchema(provider));
  await promisify(execFile)(process.execPath, [prismaCli, 'generate', '--schema', schemaPath], {
    cwd: packageRoot,
    env: {
      ...process.env,
      PATH: [path.join(packageRoot, 'node_modules', '.bin'), process.env.PATH].join(path.delimiter),
      PRISMA_SCHEMA_ENGINE_BINARY: process.execPath,
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
      CHECKPOINT_DISABLE: '1',
    },
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await Promise.all(PROVIDERS.map(generate));
  console.log(`Prisma clients generated for ${PROVIDERS.join(', ')}.`);
}
