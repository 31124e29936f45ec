import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { seedDemoShop } from '@mechanic-shop/core';
import { startTestServer, type TestServer } from '@mechanic-shop/api/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The TypeScript examples of the READMEs, run as written against the demo shop
 * (`db:seed`): each README's blocks in order, as one module, with the server's
 * URL for `http://localhost:3000`. A line `console.log(value); // <JSON>` is an
 * assertion: the value must be that JSON, and the line must run.
 */
const sdkDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Every TypeScript block of the SDK's README; in the repository's README, the blocks that use the SDK. */
const READMES = {
  'the SDK README': { file: path.join(sdkDir, 'README.md'), everyBlock: true },
  'the repository README': { file: path.join(sdkDir, '..', '..', 'README.md'), everyBlock: false },
};
const LOCAL_URL = "'http://localhost:3000'";
const SHOWN = /^(\s*)console\.log\((.+)\);\s*\/\/\s*(".*?"|\[.*?\]|-?\d+(?:\.\d+)?|true|false|null)(?:[:;].*)?$/;

let server: TestServer;
let scratch: string;

beforeAll(async () => {
  server = await startTestServer();
  await seedDemoShop(server.app.services);
  scratch = await mkdtemp(path.join(sdkDir, 'test', '.readme-'));
});
afterAll(async () => {
  await server?.close();
  await rm(scratch, { recursive: true, force: true });
});

/** The README's TypeScript blocks that use the SDK, as one module exporting `run(url, shown)`. */
function moduleOf(markdown: string, everyBlock: boolean): { source: string; assertions: number } {
  const blocks = [...markdown.matchAll(/```ts\n([\s\S]*?)```/g)]
    .map((match) => match[1]!)
    .filter((block) => everyBlock || block.includes('@mechanic-shop/sdk'));
  const imports = new Map<string, Set<string>>();
  const body: string[] = [];
  let assertions = 0;
  for (const line of blocks.join('\n').split('\n')) {
    const imported = /^import (type )?\{([^}]*)\} from '([^']+)';$/.exec(line);
    if (imported) {
      const names = imports.get(imported[3]!) ?? new Set();
      for (const name of imported[2]!.split(','))
        if (name.trim()) names.add(`${imported[1] ? 'type ' : ''}${name.trim().replace(/^type /, 'type ')}`);
      imports.set(imported[3]!, names);
      continue;
    }
    const shown = SHOWN.exec(line);
    body.push(shown ? `${shown[1]}shown(${assertions++}, ${shown[2]}, ${shown[3]});` : line.replaceAll(LOCAL_URL, 'url'));
  }
  const sdk = pathToFileURL(path.join(sdkDir, 'src', 'index.ts')).href;
  const header = [...imports].map(
    ([from, names]) => `import { ${[...names].join(', ')} } from '${from === '@mechanic-shop/sdk' ? sdk : from}';`,
  );
  const source = `${header.join('\n')}\nexport async function run(url: string, shown: (index: number, value: unknown, expected: unknown) => void) {\n${body.join('\n')}\n}\n`;
  return { source, assertions };
}

describe.each(Object.entries(READMES))('the TypeScript examples of %s', (_name, { file, everyBlock }) => {
  it('run against the demo shop and show what their comments say', async () => {
    const { source, assertions } = moduleOf(await readFile(file, 'utf8'), everyBlock);
    expect(assertions).toBeGreaterThan(0);
    const modulePath = path.join(scratch, `${path.basename(path.dirname(file))}.ts`);
    await writeFile(modulePath, source);
    const { run } = (await import(pathToFileURL(modulePath).href)) as {
      run: (url: string, shown: (index: number, value: unknown, expected: unknown) => void) => Promise<void>;
    };
    const seen: number[] = [];
    await run(server.url, (index, value, expected) => {
      expect(JSON.parse(JSON.stringify(value)), `example value #${index + 1}`).toEqual(expected);
      seen.push(index);
    });
    expect(seen).toEqual(Array.from({ length: assertions }, (_, index) => index));
  });
});
