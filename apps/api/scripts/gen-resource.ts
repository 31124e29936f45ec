/**
 * `pnpm gen resource <name>`: the files and wiring of a new resource, named in
 * the plural and in kebab case (`vehicles`, `labor-lines`). It writes, in
 * packages/core/src/<name>/, the schemas, the domain functions (each failing
 * until written), the router with its meta and the caller test; wires the
 * router into packages/core/src/router.ts and its cache resource into
 * packages/core/src/cache/response-cache.ts; and adds stubs that fail until
 * filled in: the authorization matrix's rows and a Postman folder. What is
 * left is printed (CONTRIBUTING.md, "Adding a resource").
 *
 * `--root <dir>` works on another copy of the repository (the generator's test).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  matrixRequests,
  matrixRows,
  postmanFolder,
  resourceNames,
  routerFile,
  routerTestFile,
  schemasFile,
  serviceFile,
  type ResourceNames,
} from './resource-templates.ts';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { root: { type: 'string', default: fileURLToPath(new URL('../../..', import.meta.url)) } },
});
const [kind, name] = positionals;
if (kind !== 'resource' || !name) {
  console.error('usage: pnpm gen resource <name in the plural, kebab case: vehicles, labor-lines>');
  process.exit(2);
}
const root = path.resolve(values.root);
const names = resourceNames(name);
const written: string[] = [];

function write(file: string, text: string): void {
  const target = path.join(root, file);
  if (existsSync(target)) throw new Error(`${file} exists already`);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, text);
  written.push(file);
}

/** Changes a file with `edit`, which must change it: an anchor that moved is an error, not a silent no-op. */
function change(file: string, edit: (text: string) => string): void {
  const target = path.join(root, file);
  const before = readFileSync(target, 'utf8');
  const after = edit(before);
  if (after === before) throw new Error(`${file}: found no place for ${names.kebab}; has its layout changed?`);
  writeFileSync(target, after);
  written.push(file);
}

/** `text` with `insertion` put before the first `anchor` after `from`; unchanged when there is none. */
function insertBefore(text: string, anchor: string, insertion: string, from = 0): string {
  const at = from < 0 ? -1 : text.indexOf(anchor, from);
  return at < 0 ? text : text.slice(0, at) + insertion + text.slice(at);
}

function wireRouter(text: string, n: ResourceNames): string {
  if (new RegExp(`^\\s+${n.camel}:`, 'm').test(text)) throw new Error(`the app router has ${n.camel} already`);
  const withEntry = insertBefore(text, '\n});', `\n  ${n.camel}: ${n.camelOne}Router,`, text.indexOf('export const appRouter = router({'));
  const imports = [...text.matchAll(/^import \{ \w+Router \} from '\.\/.+';\n/gm)].at(-1);
  if (!imports || withEntry === text) return text;
  // The entry comes after the imports, so their offsets in `text` hold in `withEntry`.
  const at = imports.index + imports[0].length;
  return `${withEntry.slice(0, at)}import { ${n.camelOne}Router } from './${n.kebab}/${n.kebabOne}.router.ts';\n${withEntry.slice(at)}`;
}

const core = 'packages/core/src';
write(`${core}/${names.kebab}/${names.kebabOne}.schemas.ts`, schemasFile(names));
write(`${core}/${names.kebab}/${names.kebabOne}.service.ts`, serviceFile(names));
write(`${core}/${names.kebab}/${names.kebabOne}.router.ts`, routerFile(names));
write(`${core}/${names.kebab}/${names.kebabOne}.router.test.ts`, routerTestFile(names));
change(`${core}/router.ts`, (text) => wireRouter(text, names));
change(`${core}/cache/response-cache.ts`, (text) =>
  text.replace(/(export const RESOURCES = \[[^\]]*?),?\s*(\] as const;)/, `$1, '${names.camel}'$2`),
);
change('apps/api/test/authorization-matrix.http.test.ts', (text) => {
  const firstRow = /^ {2}'[A-Z]+ \/[^']*': +\[/m.exec(text);
  const keyWidth = firstRow ? firstRow[0].length - 3 : 0;
  const withRows = insertBefore(text, '} satisfies Record<string, Statuses>;', matrixRows(names, keyWidth));
  return insertBefore(withRows, '\n};\n', `\n${matrixRequests(names).replace(/\n$/, '')}`, withRows.indexOf('const REQUESTS'));
});
change('apps/api/scripts/postman-collection.ts', (text) => insertBefore(text, "  {\n    name: 'Clean up',", postmanFolder(names)));

const prettier = path.join(root, 'node_modules/.bin/prettier');
if (existsSync(prettier)) execFileSync(prettier, ['--write', '--log-level=warn', ...written], { cwd: root, stdio: 'inherit' });

console.log(`${names.kebab}: wrote and changed\n${written.map((file) => `  ${file}`).join('\n')}

Left to you (CONTRIBUTING.md, "Adding a resource"); the tests named fail until each is done:
  1. the data model in packages/core/prisma/models.prisma, then \`pnpm --filter @mechanic-shop/core generate\`
     and the migrations (drift tests);
  2. the real fields in ${core}/${names.kebab}/${names.kebabOne}.schemas.ts and the domain functions in
     ${names.kebabOne}.service.ts (${names.kebabOne}.router.test.ts);
  3. the tag's description in TAG_DESCRIPTIONS, apps/api/src/rest/openapi.ts (openapi.test.ts);
  4. the requests of the authorization matrix's rows (authorization-matrix.http.test.ts);
  5. the Postman steps, then \`pnpm postman\` (postman.newman.test.ts);
  6. a fuzz fixture in apps/api/test/fuzz/fixtures.ts (fuzz.http.test.ts);
  7. \`pnpm docs:routes\` for the README's route table (readme-routes.test.ts).`);
