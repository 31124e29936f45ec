import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The commands README.md and CONTRIBUTING.md give work as written after the
 * README's two set-up commands: each `pnpm` command names a script (or a
 * package and its script) that exists, a bare `pnpm` comes after the sentence
 * that says how to run it, the programs a command starts are ones the set-up
 * provides, and the repository paths they name exist. Files only: once, not per
 * database.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const DOCS = ['README.md', 'CONTRIBUTING.md'];
/** What a shell has after the two set-up commands on a machine with Node (and the tools the docs say to install). */
const PROGRAMS = new Set(['npx', 'npm', 'node', 'pnpm', 'curl', 'export', 'cd', 'openssl', 'apt-get', 'corepack']);
/** pnpm's own commands the docs use. */
const PNPM_COMMANDS = new Set(['install', 'exec']);
/** How the README says to get a pnpm command; a bare `pnpm` before it would not run. */
const HOW_TO_GET_PNPM = '`npx -y pnpm@10 …`';

interface Manifest {
  name: string;
  scripts?: Record<string, string>;
}
const manifest = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as Manifest;
const workspace = new Map(
  ['apps', 'packages']
    .flatMap((group) => readdirSync(path.join(root, group)).map((name) => path.join(root, group, name)))
    .filter((dir) => existsSync(path.join(dir, 'package.json')))
    .map((dir) => [manifest(dir).name, dir]),
);

/** Code as the docs show it: fenced shell blocks line by line, and inline code spans, with where each starts. */
function codeOf(markdown: string): Array<{ code: string; at: number; block: boolean }> {
  const blocks = [...markdown.matchAll(/```(?:sh|bash)\n([\s\S]*?)```/g)].flatMap((match) =>
    match[1]!
      .replace(/\\\n/g, ' ') // one command over several lines
      .split('\n')
      .map((line) => ({ code: line.replace(/\s+#.*$/, ''), at: match.index, block: true })),
  );
  const withoutBlocks = markdown.replace(/```[\s\S]*?```/g, (block) => ' '.repeat(block.length));
  const spans = [...withoutBlocks.matchAll(/`([^`\n]+)`/g)].map((match) => ({ code: match[1]!, at: match.index, block: false }));
  return [...blocks, ...spans];
}

/** Why a `pnpm` command (its words after `pnpm`) would fail, or nothing. */
function pnpmProblem(words: string[]): string | undefined {
  let dir = root;
  if (words[0] === '--filter') {
    const found = workspace.get(words[1]!);
    if (!found) return `no workspace package ${words[1]}`;
    dir = found;
    words = words.slice(2);
  }
  const [command, program] = words;
  if (!command || command === '…') return undefined;
  if (command === 'exec')
    return existsSync(path.join(dir, 'node_modules', '.bin', program!)) ? undefined : `no program ${program} in ${dir}`;
  if (PNPM_COMMANDS.has(command) || manifest(dir).scripts?.[command]) return undefined;
  return `no script ${command} in ${path.relative(root, dir) || 'the root package'}`;
}

describe.runIf(process.env.TEST_DATABASE === 'sqlite').each(DOCS)('%s', (doc) => {
  const markdown = readFileSync(path.join(root, doc), 'utf8');
  const code = codeOf(markdown);

  it('names only pnpm scripts, packages and programs that exist', () => {
    const problems = code.flatMap(({ code: text }) =>
      [...text.matchAll(/(?:npx -y pnpm@10|\bpnpm)((?:\s+[^\s&|;]+)*)/g)].flatMap((match) => {
        const problem = pnpmProblem(match[1]!.trim().split(/\s+/).filter(Boolean));
        return problem ? [`${match[0].trim()}: ${problem}`] : [];
      }),
    );
    expect(problems).toEqual([]);
  });

  it('says how to run a bare pnpm before its first one', () => {
    const bare = code.filter(({ code: text }) => text !== 'pnpm …' && /(?<![\w@/-])pnpm (?!@)/.test(text.replace(/npx -y pnpm@10/g, '')));
    expect(bare.length).toBeGreaterThan(0);
    const explained = markdown.indexOf(HOW_TO_GET_PNPM);
    expect(explained, `${doc} must say ${HOW_TO_GET_PNPM} before its first bare pnpm`).toBeGreaterThan(-1);
    expect(Math.min(...bare.map(({ at }) => at))).toBeGreaterThan(explained);
  });

  it('starts only programs the set-up provides', () => {
    const commands = code.filter(({ code: text, block }) => (block ? text.trim() : /^[a-z][\w-]* --?\w/.test(text)));
    const programs = commands.flatMap(({ code: text }) =>
      text
        .replace(/'[^']*'|"[^"]*"/g, 'quoted')
        .split(/&&|\|\||\||;|\$\(/)
        .map((part) =>
          part
            .trim()
            .split(/\s+/)
            .find((word) => !/^[A-Z_]+=/.test(word)),
        )
        .filter((word): word is string => Boolean(word) && /^[a-z]/.test(word!)),
    );
    expect(programs.filter((program) => !PROGRAMS.has(program))).toEqual([]);
  });

  it('names repository files that exist, by their path from the root', () => {
    const paths = code
      .map(({ code: text }) => text)
      .filter((text) => /^[\w.-]+(\/[\w.-]+)+\.(ts|js|json|md|prisma|sql|yaml)$/.test(text) && !text.startsWith('.'))
      .filter((file) => !file.includes('/vehicles/')); // CONTRIBUTING's worked example of a resource to add
    expect(paths.filter((file) => !existsSync(path.join(root, file)))).toEqual([]);
  });
});
