/**
 * The files `pnpm gen resource <name>` writes for a new resource, modelled on
 * packages/core/src/inventory/. `name` is placeholder data: the author replaces
 * it with the resource's real fields, and each domain function fails until it
 * is written. scripts/gen-resource.test.ts type-checks what these produce.
 */

/** The spellings of one resource's name (README, "Names"). */
export interface ResourceNames {
  /** The folder and the OpenAPI tag: `labor-lines`. */
  kebab: string;
  /** File names: `labor-line` (`labor-line.router.ts`). */
  kebabOne: string;
  /** The router's key and the cache resource: `laborLines`. */
  camel: string;
  /** The router's variable: `laborLineRouter`. */
  camelOne: string;
  /** The REST collection: `labor_lines` (`/labor_lines/{id}`). */
  snake: string;
  /** Schemas, types and the Prisma model: `LaborLine`. */
  pascalOne: string;
  pascal: string;
  /** In sentences: `labor line`. */
  words: string;
  wordsOne: string;
}

const NAME = /^[a-z][a-z0-9]*(?:-[a-z][a-z0-9]*)*$/;

/** The spellings of a resource named in the plural and in kebab case (`vehicles`, `labor-lines`). */
export function resourceNames(name: string): ResourceNames {
  if (!NAME.test(name))
    throw new Error(`"${name}": name the resource in the plural, in lower case, words joined by "-" (vehicles, labor-lines)`);
  const words = name.split('-');
  const one = [...words.slice(0, -1), singular(words.at(-1)!)];
  const capital = (word: string) => word[0]!.toUpperCase() + word.slice(1);
  const camel = (parts: string[]) => parts[0]! + parts.slice(1).map(capital).join('');
  return {
    kebab: name,
    kebabOne: one.join('-'),
    camel: camel(words),
    camelOne: camel(one),
    snake: words.join('_'),
    pascalOne: one.map(capital).join(''),
    pascal: words.map(capital).join(''),
    words: words.join(' '),
    wordsOne: one.join(' '),
  };
}

function singular(word: string): string {
  if (word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (/(?:ss|sh|ch|x)es$/.test(word)) return word.slice(0, -2);
  return word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word;
}

export function schemasFile(n: ResourceNames): string {
  return `import { z } from 'zod';
import { DatabaseText, Id, IdParam, paginated, PaginationInput } from '../shared/schemas.ts';

// TODO(${n.kebab}): the fields clients see and send. \`name\` is a placeholder: replace it with the real
// fields, with limits from shared/limits.ts equal to their column sizes in prisma/models.prisma.
const Name = DatabaseText(1, 100);

export const ${n.pascalOne} = z
  .object({ id: Id, name: z.string() })
  .meta({ id: '${n.pascalOne}', example: { id: 1, name: 'Example ${n.wordsOne}' } });
export type ${n.pascalOne} = z.output<typeof ${n.pascalOne}>;

export const ${n.pascalOne}Page = paginated(${n.pascalOne}, '${n.pascalOne}Page');

export const New${n.pascalOne} = z.strictObject({ name: Name }).meta({ id: 'New${n.pascalOne}', examples: [{ name: 'Example ${n.wordsOne}' }] });
export type New${n.pascalOne} = z.output<typeof New${n.pascalOne}>;

export const ${n.pascalOne}Changes = z
  .strictObject({ name: Name })
  .partial()
  .extend({ id: IdParam })
  .meta({ examples: [{ name: 'Renamed ${n.wordsOne}' }] });
export type ${n.pascalOne}Changes = z.output<typeof ${n.pascalOne}Changes>;

export const ${n.pascalOne}Query = PaginationInput;
export type ${n.pascalOne}Query = z.output<typeof ${n.pascalOne}Query>;
`;
}

export function serviceFile(n: ResourceNames): string {
  return `import type { AppServices } from '../app-services.ts';
import type { Page } from '../shared/schemas.ts';
import type { New${n.pascalOne}, ${n.pascalOne}, ${n.pascalOne}Changes, ${n.pascalOne}Query } from './${n.kebabOne}.schemas.ts';

type Deps = Pick<AppServices, 'db' | 'provider'>;

/*
 * TODO(${n.kebab}): the domain functions, once the data model exists (CONTRIBUTING.md, "Adding a
 * resource"). Each selects only the columns its output shows (\`satisfies Prisma.${n.pascalOne}Select\`) and
 * throws AppError with a problem code; packages/core/src/inventory/inventory.service.ts is an example.
 */
function unwritten(name: string): never {
  throw new Error(\`\${name} in packages/core/src/${n.kebab}/${n.kebabOne}.service.ts is not written yet\`);
}

export async function add${n.pascalOne}(_services: Deps, _input: New${n.pascalOne}): Promise<${n.pascalOne}> {
  return unwritten('add${n.pascalOne}');
}

export async function list${n.pascal}(_services: Deps, _query: ${n.pascalOne}Query): Promise<Page<${n.pascalOne}>> {
  return unwritten('list${n.pascal}');
}

export async function get${n.pascalOne}(_services: Deps, _id: number): Promise<${n.pascalOne}> {
  return unwritten('get${n.pascalOne}');
}

export async function update${n.pascalOne}(_services: Deps, _changes: ${n.pascalOne}Changes): Promise<${n.pascalOne}> {
  return unwritten('update${n.pascalOne}');
}

export async function delete${n.pascalOne}(_services: Deps, _id: number): Promise<void> {
  return unwritten('delete${n.pascalOne}');
}
`;
}

export function routerFile(n: ResourceNames): string {
  const route = (fields: string) => `route({ ${fields}, tags })`;
  return `import { z } from 'zod';
import { ById } from '../shared/schemas.ts';
import { route } from '../trpc/meta.ts';
import { mechanicProcedure, router } from '../trpc/procedures.ts';
import { New${n.pascalOne}, ${n.pascalOne}, ${n.pascalOne}Changes, ${n.pascalOne}Page, ${n.pascalOne}Query } from './${n.kebabOne}.schemas.ts';
import * as ${n.camel} from './${n.kebabOne}.service.ts';

const tags: ['${n.kebab}'] = ['${n.kebab}'];

// TODO(${n.kebab}): who may call each route (the procedure builder), its summary, and what else its
// answers show (\`dependsOn\`) or its writes change (\`invalidates\`).
export const ${n.camelOne}Router = router({
  create: mechanicProcedure
    .meta(${route(`method: 'POST', path: '/${n.snake}', rateLimit: 'write', invalidates: ['${n.camel}'], summary: 'Add a ${n.wordsOne}', successStatus: 201`)})
    .input(New${n.pascalOne})
    .output(${n.pascalOne})
    .mutation(({ ctx, input }) => ${n.camel}.add${n.pascalOne}(ctx.services, input)),

  list: mechanicProcedure
    .meta(${route(`method: 'GET', path: '/${n.snake}', rateLimit: 'read', cache: { scope: 'role', dependsOn: ['${n.camel}'] }, summary: 'List ${n.words}'`)})
    .input(${n.pascalOne}Query)
    .output(${n.pascalOne}Page)
    .query(({ ctx, input }) => ${n.camel}.list${n.pascal}(ctx.services, input)),

  byId: mechanicProcedure
    .meta(${route(`method: 'GET', path: '/${n.snake}/{id}', rateLimit: 'read', cache: { scope: 'role', dependsOn: ['${n.camel}'] }, summary: 'Get a ${n.wordsOne}'`)})
    .input(ById)
    .output(${n.pascalOne})
    .query(({ ctx, input }) => ${n.camel}.get${n.pascalOne}(ctx.services, input.id)),

  update: mechanicProcedure
    .meta(${route(`method: 'PUT', path: '/${n.snake}/{id}', rateLimit: 'write', invalidates: ['${n.camel}'], summary: 'Change a ${n.wordsOne} (any subset of fields)'`)})
    .input(${n.pascalOne}Changes)
    .output(${n.pascalOne})
    .mutation(({ ctx, input }) => ${n.camel}.update${n.pascalOne}(ctx.services, input)),

  delete: mechanicProcedure
    .meta(${route(`method: 'DELETE', path: '/${n.snake}/{id}', rateLimit: 'write', invalidates: ['${n.camel}'], summary: 'Delete a ${n.wordsOne}', successStatus: 204`)})
    .input(ById)
    .output(z.void())
    .mutation(({ ctx, input }) => ${n.camel}.delete${n.pascalOne}(ctx.services, input.id)),
});
`;
}

export function routerTestFile(n: ResourceNames): string {
  return `import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpMechanic } from '../testing/fixtures.ts';
import { createTestApp, reasonOf, type TestApp } from '../testing/index.ts';

// Who may call each route is the authorization matrix's (apps/api/test/authorization-matrix.http.test.ts);
// these tests hold the domain rules. TODO(${n.kebab}): one test per rule and per error.

let app: TestApp;
let mechanicToken: string;
beforeAll(async () => {
  app = await createTestApp();
  ({ token: mechanicToken } = await signUpMechanic(app));
});
afterAll(() => app.close());

describe('${n.words}', () => {
  it('creates, reads, lists, changes and deletes ${n.words}', async () => {
    const shop = app.as(mechanicToken).${n.camel};
    const created = await shop.create({ name: 'Example ${n.wordsOne}' });
    expect(created).toEqual({ id: expect.any(Number), name: 'Example ${n.wordsOne}' });
    expect(await shop.byId({ id: created.id })).toEqual(created);
    expect((await shop.list({ page: 1, per_page: 100 })).items).toContainEqual(created);
    expect(await shop.update({ id: created.id, name: 'Renamed ${n.wordsOne}' })).toEqual({ ...created, name: 'Renamed ${n.wordsOne}' });
    await shop.delete({ id: created.id });
    expect(await reasonOf(shop.byId({ id: created.id }))).toBe('not_found');
  });
});
`;
}

/** The authorization matrix's rows for routes open to every staff role (`mechanicProcedure`), aligned under its header. */
export function matrixRows(n: ResourceNames, keyWidth: number): string {
  const routes: Array<[string, number]> = [
    [`POST /${n.snake}`, 201],
    [`GET /${n.snake}`, 200],
    [`GET /${n.snake}/{id}`, 200],
    [`PUT /${n.snake}/{id}`, 200],
    [`DELETE /${n.snake}/{id}`, 204],
  ];
  const row = ([route, status]: [string, number]) =>
    `  ${`'${route}':`.padEnd(keyWidth)}[401,     401,     401,     401,       403,      403,            ${status},   ${status},            ${status},        ${status}],`;
  return (
    `  // TODO(${n.kebab}): generated for routes open to every staff role; check each status (a route for some roles only\n` +
    `  // is a \`staffProcedure(...)\`), and write the requests below.\n${routes.map(row).join('\n')}\n`
  );
}

export function matrixRequests(n: ResourceNames): string {
  return ['POST', 'GET', 'GET {id}', 'PUT {id}', 'DELETE {id}']
    .map((operation) => {
      const [method, id] = operation.split(' ');
      const route = `${method} /${n.snake}${id ? `/${id}` : ''}`;
      return `  '${route}': () => {\n    throw new Error('TODO(${n.kebab}): a request of ${route} that succeeds for the authorized callers');\n  },\n`;
    })
    .join('');
}

export function postmanFolder(n: ResourceNames): string {
  return `  {
    name: '${n.pascal}',
    description: 'TODO(${n.kebab}): what this part of the flow does.',
    // TODO(${n.kebab}): a step for POST, GET, GET {id} and PUT {id} /${n.snake}, keeping the id as \`${n.kebabOne.replace(/-/g, '_')}_id\`;
    // the DELETE goes in "Clean up". Until then \`pnpm postman\` names each operation without a step.
    steps: [],
  },
`;
}
