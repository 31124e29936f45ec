import { fileURLToPath } from 'node:url';
import { accessRule } from '../src/rest/openapi.ts';
import type { RestRoute } from '../src/rest/routes.ts';

/** The README at the repository root, whose route table `pnpm docs:routes` writes. */
export const README_FILE = fileURLToPath(new URL('../../../README.md', import.meta.url));

const START = '<!-- routes:start: written by `pnpm docs:routes` from the router; edit the routes, not this table -->';
const END = '<!-- routes:end -->';

/**
 * The README's route table: a row per REST route, in the order the server
 * matches them, with who may call it in the words of `/docs`. Cells are padded
 * the way Prettier aligns a Markdown table, so that `pnpm format` leaves the
 * generated README as it is.
 */
export function routeTableOf(routes: RestRoute[]): string {
  const rows = routes.map((route) => [`\`${route.method} ${route.path}\``, accessRule(route.meta)]);
  const header = ['Route', 'Who may call'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

/** `readme` with the table between its route markers replaced by `table`. */
export function withRouteTable(readme: string, table: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md has lost its route table markers: put back\n${START}\n${END}`);
  return `${readme.slice(0, start + START.length)}\n\n${table}\n\n${readme.slice(end)}`;
}
