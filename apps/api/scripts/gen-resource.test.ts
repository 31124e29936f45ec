import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * `pnpm gen resource` on a copy of the work tree: what it writes type-checks
 * in both packages that it touches, and the new routes answer, so the
 * templates follow the code they are modelled on. Files only: once, not per
 * database.
 */
const run = promisify(execFile);
const repository = fileURLToPath(new URL('../../..', import.meta.url));
const PACKAGES = ['apps/api', 'apps/bench', 'packages/core', 'packages/sdk'];
/** What a copy of the work tree leaves out: dependencies are linked, and builds and run artifacts are not sources. */
const LEFT_OUT = new Set(['.git', 'node_modules', 'dist', '.turbo', 'data', 'artifacts', 'coverage']);

const tsx = () => path.join(repository, 'apps/api/node_modules/.bin/tsx');
describe.runIf(process.env.TEST_DATABASE === 'sqlite')('pnpm gen resource labor-lines', () => {
  let copy: string;
  let generated: { stdout: string };

  beforeAll(async () => {
    copy = mkdtempSync(path.join(tmpdir(), 'gen-resource-'));
    cpSync(repository, copy, { recursive: true, filter: (source) => !LEFT_OUT.has(path.basename(source)) });
    // pnpm's links are relative: a package's own node_modules, copied as links, point into the copy's packages.
    symlinkSync(path.join(repository, 'node_modules'), path.join(copy, 'node_modules'));
    for (const pkg of PACKAGES) {
      cpSync(path.join(repository, pkg, 'node_modules'), path.join(copy, pkg, 'node_modules'), { recursive: true, verbatimSymlinks: true });
    }
    generated = await run(tsx(), ['scripts/gen-resource.ts', 'resource', 'labor-lines', '--root', copy], {
      cwd: path.join(repository, 'apps/api'),
    });
  }, 120_000);
  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  const tsc = (pkg: string) =>
    run(path.join(copy, pkg, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json', '--noEmit'], { cwd: path.join(copy, pkg) });

  it('writes the resource and wires it in, under one spelling per use', () => {
    expect(generated.stdout).toContain('packages/core/src/labor-lines/labor-line.router.ts');
    const router = readFileSync(path.join(copy, 'packages/core/src/router.ts'), 'utf8');
    expect(router).toContain("import { laborLineRouter } from './labor-lines/labor-line.router.ts';");
    expect(router).toContain('laborLines: laborLineRouter,');
    const routes = readFileSync(path.join(copy, 'packages/core/src/labor-lines/labor-line.router.ts'), 'utf8');
    expect(routes).toContain("path: '/labor_lines/{id}'");
    expect(routes).toContain("invalidates: ['laborLines']");
    expect(readFileSync(path.join(copy, 'apps/api/test/authorization-matrix.http.test.ts'), 'utf8')).toContain(
      "'DELETE /labor_lines/{id}':",
    );
  });

  it('type-checks in packages/core and apps/api', async () => {
    await expect(tsc('packages/core')).resolves.toBeDefined();
    await expect(tsc('apps/api')).resolves.toBeDefined();
  }, 180_000);

  it('serves the new routes, whose caller test fails until the domain functions are written', async () => {
    const test = run(path.join(copy, 'packages/core/node_modules/.bin/vitest'), ['run', 'src/labor-lines', '--project', 'sqlite'], {
      cwd: path.join(copy, 'packages/core'),
    });
    const output = await test.then(
      () => 'passed',
      (error: { stdout: string; stderr: string }) => error.stdout + error.stderr,
    );
    expect(output).toContain('addLaborLine in packages/core/src/labor-lines/labor-line.service.ts is not written yet');
  }, 120_000);

  it('refuses a name that is not a plural in kebab case, or a resource that exists', async () => {
    const generate = (name: string) =>
      run(tsx(), ['scripts/gen-resource.ts', 'resource', name, '--root', copy], { cwd: path.join(repository, 'apps/api') });
    await expect(generate('LaborLines')).rejects.toThrow(/in lower case/);
    await expect(generate('labor-lines')).rejects.toThrow(/exists already/);
  });
});
