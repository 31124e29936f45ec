/**
 * Loads Prisma's schema engine compiled to WebAssembly (@prisma/schema-engine-wasm).
 *
 * Development tool only: the API never loads it. It authors migrations and checks
 * the migration files against the data model, without the native schema-engine
 * binary that Prisma's CLI would download from outside the npm registry. The Wasm
 * build has SQLite and PostgreSQL connectors only (no MySQL). It is internal to
 * Prisma: its version is pinned to the exact engine of our Prisma packages.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type * as WasmGlueModule from '@prisma/schema-engine-wasm/schema_engine_bg';

type WasmGlue = typeof WasmGlueModule;
export type SchemaEngine = Awaited<ReturnType<WasmGlue['SchemaEngine']['new']>>;

let gluePromise: Promise<WasmGlue> | undefined;

function loadGlue(): Promise<WasmGlue> {
  gluePromise ??= (async () => {
    const require = createRequire(import.meta.url);
    const packageDir = path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg'));
    const glue: WasmGlue = await import('@prisma/schema-engine-wasm/schema_engine_bg');
    const bytes = await readFile(path.join(packageDir, 'schema_engine_bg.wasm'));
    const { instance } = await WebAssembly.instantiate(bytes, {
      './schema_engine_bg.js': glue as unknown as WebAssembly.ModuleImports,
    });
    const exports = instance.exports as WebAssembly.Exports & { __wbindgen_start: () => void };
    glue.__wbg_set_wasm(exports);
    // Without a panic registry a panic inside the engine only reads "unreachable".
    (globalThis as Record<string, unknown>).PRISMA_WASM_PANIC_REGISTRY = {
      set_message(message: string) {
        throw new Error(`Prisma schema engine panicked: ${message}`);
      },
    };
    exports.__wbindgen_start();
    return glue;
  })();
  return gluePromise;
}

export interface SchemaFile {
  path: string;
  content: string;
}

export async function openSchemaEngine(schema: SchemaFile, adapterFactory: SqlMigrationAwareDriverAdapterFactory): Promise<SchemaEngine> {
  const glue = await loadGlue();
  return glue.SchemaEngine.new(
    { datamodels: [[schema.path, schema.content]] },
    () => {},
    bindMigrationAwareSqlAdapterFactory(adapterFactory),
  );
}
