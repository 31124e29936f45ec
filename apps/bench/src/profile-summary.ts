import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';

/**
 * Summarizes a V8 CPU profile (`node --cpu-prof`, or `pnpm bench --cpu-prof`):
 * where the time goes by package, the functions with the most self time, and
 * the total (inclusive) time of functions matching `--focus`. Inclusive times
 * stop at `await`: V8 records the synchronous stack only.
 *
 *   pnpm --filter @mechanic-shop/bench profile:summary <file.cpuprofile> [--top=25] [--focus=regex]
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const { values: options, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '25' }, focus: { type: 'string' } },
});
const file = positionals[0];
if (!file) {
  console.error('usage: profile:summary <file.cpuprofile> [--top=25] [--focus=regex]');
  process.exit(2);
}

const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parentOf = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);

/** Where a function comes from: an npm package, our own code, Node itself, or V8's pseudo-frames. */
function originOf({ url, functionName }: ProfileNode['callFrame']): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const packages = [...url.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)/g)];
  const last = packages.at(-1)?.[1];
  if (last) return last;
  if (url.startsWith('node:')) return 'node internals';
  const workspace = /(apps|packages)\/([^/]+)\//.exec(url);
  return workspace ? `${workspace[1]}/${workspace[2]}` : url;
}

const label = ({ functionName, url, lineNumber }: ProfileNode['callFrame']) =>
  `${functionName || '(anonymous)'} ${url ? `${path.basename(url)}:${lineNumber + 1}` : ''}`.trim();

const selfByFunction = new Map<string, { ms: number; origin: string }>();
const selfByOrigin = new Map<string, number>();
const totalByFunction = new Map<string, number>();
const focus = options.focus ? new RegExp(options.focus) : null;
let totalMs = 0;

profile.samples.forEach((nodeId, index) => {
  const ms = (profile.timeDeltas[index] ?? 0) / 1000;
  const node = byId.get(nodeId);
  if (!node) return;
  totalMs += ms;
  const name = label(node.callFrame);
  const origin = originOf(node.callFrame);
  const entry = selfByFunction.get(name) ?? { ms: 0, origin };
  entry.ms += ms;
  selfByFunction.set(name, entry);
  selfByOrigin.set(origin, (selfByOrigin.get(origin) ?? 0) + ms);
  if (!focus) return;
  // Each function counts once per sample, however deep its recursion.
  const onStack = new Set<string>();
  for (let id: number | undefined = nodeId; id !== undefined; id = parentOf.get(id)) {
    const frame = byId.get(id)?.callFrame;
    if (frame && focus.test(label(frame))) onStack.add(label(frame));
  }
  for (const name of onStack) totalByFunction.set(name, (totalByFunction.get(name) ?? 0) + ms);
});

// Percentages are of the time the process was not idle: it idles while the bench loads the bare server.
const IDLE = '(idle)';
const top = Number(options.top);
const busyMs = totalMs - (selfByOrigin.get(IDLE) ?? 0);
const percent = (ms: number) => `${((ms / busyMs) * 100).toFixed(1).padStart(5)}%`;
const busiest = <T>(entries: Map<string, T>, msOf: (value: T) => number) =>
  [...entries]
    .filter(([name]) => name !== IDLE)
    .sort((a, b) => msOf(b[1]) - msOf(a[1]))
    .slice(0, top);

console.log(`${file}: ${(totalMs / 1000).toFixed(1)} s sampled, ${(busyMs / 1000).toFixed(1)} s not idle (100% below)\n`);
console.log('self time by origin');
for (const [origin, ms] of busiest(selfByOrigin, (ms) => ms)) {
  console.log(`  ${percent(ms)}  ${ms.toFixed(0).padStart(7)} ms  ${origin}`);
}
console.log('\nfunctions by self time');
for (const [name, { ms, origin }] of busiest(selfByFunction, (entry) => entry.ms)) {
  console.log(`  ${percent(ms)}  ${ms.toFixed(0).padStart(7)} ms  ${name}  [${origin}]`);
}
if (focus) {
  console.log(`\ntotal (inclusive) time of functions matching ${focus}`);
  for (const [name, ms] of busiest(totalByFunction, (ms) => ms)) {
    console.log(`  ${percent(ms)}  ${ms.toFixed(0).padStart(7)} ms  ${name}`);
  }
}
