import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { everyRestRoute } from '../src/documents-routes.ts';
import { README_FILE, routeTableOf, withRouteTable } from '../scripts/readme-routes.ts';

// Files only: once, not per database.
describe.runIf(process.env.TEST_DATABASE === 'sqlite')("the README's route table", () => {
  it('is what `pnpm docs:routes` generates from the router', () => {
    const readme = readFileSync(README_FILE, 'utf8');
    expect(readme, 'the route table of README.md is stale: run `pnpm docs:routes`').toBe(
      withRouteTable(readme, routeTableOf(everyRestRoute())),
    );
  });

  it('has a row per REST route, saying who may call it', () => {
    const rows = routeTableOf(everyRestRoute()).split('\n').slice(2);
    expect(rows.map((row) => row.split('`')[1])).toEqual(everyRestRoute().map(({ method, path }) => `${method} ${path}`));
    expect(rows).toContainEqual(expect.stringMatching(/^\| `PUT \/mechanics\/\{id\}\/role` +\| Staff token: owner\. +\|$/));
  });
});
