import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { freePort, startChildServer, startScriptNodeFlags, type ChildServer } from './child-server.ts';
import { runLoad, warmUp, type LoadResult, type LoadSettings } from './load.ts';
import { API_MAIN, ARTIFACTS_DIR, REPO_ROOT } from './paths.ts';
import { ProcessSampler, type ResourceWindow } from './process-sampler.ts';
import { formatTable, formatTargets, gitInfo, loadAverage, machineInfo, timestampOf, writeResults, type ScenarioReport } from './report.ts';
import { apiScenarios, BARE_SCENARIO, SCENARIO_NAMES, type HttpRequest, type Scenario, type ScenarioName } from './scenarios.ts';
import { copyForRun, mechanicEmail, removeRunCopy, SEED_BCRYPT_COST, SEED_PASSWORD, seededDatabase, SHOP } from './seed.ts';
import { checkTargets, MB, median } from './targets.ts';

const USAGE = `usage: pnpm bench [--duration=10] [--warmup=2] [--connections=10] [--only=name,name] [--cpu-prof] [--api=main.js]
  --only       run only these API scenarios (the bare server always runs: it is the reference)
               ${SCENARIO_NAMES.join(', ')}
  --cpu-prof   write a V8 CPU profile of the API to artifacts/bench/profiles/ (numbers are then not comparable)
  --api        the API build to run (default apps/api/dist/main.js): a copy of an earlier build, inside
               apps/api so that it finds its packages (e.g. apps/api/before/dist/main.js), measures "before"
               side by side with "after" in a second bench started at the same time. The build bundles core,
               so a copy keeps the core it was built with: mkdir -p apps/api/before && cp -r apps/api/dist
               apps/api/package.json apps/api/before/ (core's migrations are read from packages/core)`;

/** API starts timed for the startup target; the last one serves the load. */
const STARTUP_SAMPLES = 3;
/** Time allowed besides the scenarios, for seeding and starting the servers. */
const SEED_AND_START_SECONDS = 120;

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '10' },
    only: { type: 'string' },
    'cpu-prof': { type: 'boolean', default: false },
    api: { type: 'string', default: API_MAIN },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
const settings: LoadSettings = {
  durationSeconds: positive('duration'),
  warmupSeconds: Number(args.warmup),
  connections: positive('connections'),
};

// Relative to where `pnpm bench` was typed (pnpm runs the script in apps/bench).
const apiMain = path.resolve(process.env.INIT_CWD ?? process.cwd(), args.api);
const startedAt = new Date();
const loadAverageAtStart = loadAverage();
const profileDir = path.join(ARTIFACTS_DIR, 'profiles', timestampOf(startedAt));
const children: ChildServer[] = [];

async function main(): Promise<void> {
  // A directory per run: benches started at the same time never share a database (their CPU figures still suffer).
  const runDir = path.join(ARTIFACTS_DIR, 'run', timestampOf(startedAt));
  await mkdir(runDir, { recursive: true });
  const databaseFile = path.join(runDir, 'shop.db');

  const seed = await seededDatabase();
  console.log(
    seed.seedSeconds === null
      ? `seed: cached ${path.relative(REPO_ROOT, seed.file)}`
      : `seed: built ${SHOP.customers} customers, ${SHOP.mechanics} mechanics, ${SHOP.parts} parts, ${SHOP.tickets} tickets in ${seed.seedSeconds.toFixed(1)} s`,
  );
  await copyForRun(seed.file, databaseFile);

  const selected = selectedScenarios();
  const runs = selected.length + 2;
  const budgetSeconds = SEED_AND_START_SECONDS + runs * (settings.warmupSeconds + settings.durationSeconds + 5);
  // The servers stop themselves after the budget too (see child-server.ts).
  setTimeout(() => fail(new Error(`the bench ran over its ${budgetSeconds} s budget`)), budgetSeconds * 1000).unref();

  const bareArgs = [...process.execArgv, fileURLToPath(new URL('bare-server.ts', import.meta.url))];
  const bare = await startServer('bare', bareArgs, {}, runDir, budgetSeconds);
  const { api, startupMs } = await startApi(databaseFile, runDir, budgetSeconds);
  console.log(`api: ready ${startupMs.map((ms) => `${ms.toFixed(0)} ms`).join(', ')} after spawn (pid ${api.pid})`);

  const sampler = new ProcessSampler(api.pid);
  // Scenarios about the database's work run on a second API with the response cache off.
  const needsUncached = apiScenarios('').some((scenario) => scenario.cache === 'off' && selected.includes(scenario.name as ScenarioName));
  const uncached = needsUncached
    ? await startServer(
        'api-cache-off',
        [...PRODUCTION_NODE_FLAGS, apiMain],
        { ...apiEnv(databaseFile), CACHE: 'off' },
        runDir,
        budgetSeconds,
      )
    : null;
  const uncachedSampler = uncached ? new ProcessSampler(uncached.pid) : null;
  const measured: Array<{ scenario: Scenario; result: LoadResult; api: ResourceWindow | null }> = [];
  const measure = async (scenario: Scenario, server: ChildServer, sampled: boolean) => {
    await scenario.prepare?.(server.url);
    await probe(server.url, scenario);
    await warmUp(server.url, scenario, settings);
    const endWindow = sampled ? (server === uncached ? uncachedSampler! : sampler).window() : null;
    const result = await runLoad(server.url, scenario, settings);
    measured.push({ scenario, result, api: endWindow?.() ?? null });
    console.log(
      `[${measured.length}/${runs}] ${scenario.name}: ${result.requestsPerSecond.toFixed(0)} req/s, ` +
        `p99 ${result.latencyMs.p99.toFixed(2)} ms, ${result.errors + result.non2xx} errors/non-2xx`,
    );
  };
  await measure(BARE_SCENARIO, bare, false);
  const token = await mechanicToken(api.url);
  for (const scenario of apiScenarios(token).filter((candidate) => selected.includes(candidate.name as ScenarioName))) {
    await measure(scenario, scenario.cache === 'off' ? uncached! : api, true);
  }
  await measure({ ...BARE_SCENARIO, call: `${BARE_SCENARIO.call}, again` }, bare, false);
  sampler.stop();
  uncachedSampler?.stop();
  await stopChildren();
  // The servers' logs stay; the database copy is the seed's size.
  await removeRunCopy(databaseFile);

  const bareRuns = measured.filter(({ scenario }) => scenario.name === 'bare').map(({ result }) => result.requestsPerSecond);
  const bareRps = bareRuns.reduce((sum, rps) => sum + rps, 0) / bareRuns.length;
  const reports: ScenarioReport[] = measured.map(({ scenario, result, api: window }) => ({
    name: scenario.name,
    call: scenario.call,
    callsPerRequest: scenario.callsPerRequest,
    ...result,
    ratioToBare: result.requestsPerSecond / bareRps,
    api: window,
    apiCpuMsPerRequest: window ? (window.cpuCores * 1000) / result.requestsPerSecond : null,
  }));
  const results = new Map<ScenarioName, ScenarioReport>();
  for (const report of reports) if (report.name !== 'bare') results.set(report.name, report);
  const targets = checkTargets({ results, bareRps, apiMaxRssBytes: sampler.maxRssBytes, apiStartupMs: startupMs });
  const machine = machineInfo();
  const table = formatTable(reports);
  console.log(
    `\n${settings.connections} connections, ${settings.durationSeconds} s per scenario after ${settings.warmupSeconds} s warm-up; ` +
      `bcrypt cost ${SEED_BCRYPT_COST}; ${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}; ` +
      `load average ${loadAverageAtStart[0]} at start\n`,
  );
  console.log(table);
  console.log(`\n× bare: over the mean of the two bare runs (${bareRps.toFixed(0)} req/s)`);
  console.log('API CPU: cores the API used (all threads); CPU ms/req: its CPU time per request, steadier than req/s on a busy machine');
  console.log(`api: max RSS ${(sampler.maxRssBytes / MB).toFixed(1)} MB, started in ${median(startupMs).toFixed(0)} ms (median)\n`);
  console.log(formatTargets(targets));

  const complete = !args.only && !args['cpu-prof'] && apiMain === API_MAIN;
  const file = await writeResults(
    ARTIFACTS_DIR,
    startedAt,
    {
      startedAt: startedAt.toISOString(),
      totalSeconds: (Date.now() - startedAt.getTime()) / 1000,
      machine,
      loadAverage: { start: loadAverageAtStart, end: loadAverage() },
      git: gitInfo(REPO_ROOT),
      settings: {
        ...settings,
        only: args.only ?? null,
        cpuProfile: args['cpu-prof'],
        api: path.relative(REPO_ROOT, apiMain),
        bcryptCost: SEED_BCRYPT_COST,
      },
      seed: { key: seed.key, cached: seed.seedSeconds === null, seconds: seed.seedSeconds, shop: SHOP },
      api: { startupMs, startupMedianMs: median(startupMs), maxRssBytes: sampler.maxRssBytes },
      bareRequestsPerSecond: bareRps,
      scenarios: reports,
      targets,
      table,
    },
    complete,
  );
  console.log(`\nresults: ${path.relative(REPO_ROOT, file)}${complete ? ' (and latest.json)' : ''}`);
  if (args['cpu-prof']) {
    console.log(`API CPU profile: ${path.relative(REPO_ROOT, profileDir)}/ (pnpm --filter @mechanic-shop/bench profile:summary <file>)`);
  }
}

/** Starts the API in production mode several times, timing each start; keeps the last one running. */
/** The production configuration of the API under test; one secret for every process of a run. */
function apiEnv(databaseFile: string): Record<string, string> {
  return {
    NODE_ENV: 'production',
    JWT_SECRET: RUN_SECRET,
    DATABASE_URL: `file:${databaseFile}`,
    HOST: '127.0.0.1',
    BCRYPT_COST: String(SEED_BCRYPT_COST),
    RATE_LIMIT: 'off',
    LOG_LEVEL: 'info',
  };
}

const RUN_SECRET = randomBytes(48).toString('base64url');

async function startApi(databaseFile: string, runDir: string, budgetSeconds: number) {
  const env = apiEnv(databaseFile);
  const startupMs: number[] = [];
  for (let sample = 1; sample < STARTUP_SAMPLES; sample++) {
    const api = await startServer('api', [...PRODUCTION_NODE_FLAGS, apiMain], env, runDir, budgetSeconds);
    startupMs.push(api.startupMs);
    await api.stop();
    children.splice(children.indexOf(api), 1);
  }
  const profileFlags = args['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const api = await startServer('api', [...profileFlags, ...PRODUCTION_NODE_FLAGS, apiMain], env, runDir, budgetSeconds);
  startupMs.push(api.startupMs);
  return { api, startupMs };
}

/** The Node flags of `pnpm start` (root package.json), so that the bench measures what production runs. */
const PRODUCTION_NODE_FLAGS = startScriptNodeFlags(
  (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start,
);

async function startServer(
  name: string,
  nodeArgs: string[],
  env: Record<string, string>,
  runDir: string,
  budgetSeconds: number,
): Promise<ChildServer> {
  const port = await freePort();
  const server = await startChildServer({
    args: nodeArgs,
    env: { ...process.env, ...env, PORT: String(port) },
    port,
    logFile: path.join(runDir, `${name}.log`),
    maxSeconds: budgetSeconds,
  });
  children.push(server);
  return server;
}

async function mechanicToken(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/mechanics/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: mechanicEmail(1), password: SEED_PASSWORD }),
  });
  if (!response.ok) throw new Error(`logging in as the seeded mechanic failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}

/** One request before the load, so a broken scenario says why instead of filling the table with errors. */
async function probe(baseUrl: string, scenario: Scenario): Promise<void> {
  const request: HttpRequest = typeof scenario.request === 'function' ? scenario.request() : scenario.request;
  const response = await fetch(`${baseUrl}${request.path}`, { method: request.method, headers: request.headers, body: request.body });
  const body = await response.text();
  if (!response.ok) console.warn(`warning: ${scenario.name} answered ${response.status}: ${body.slice(0, 300)}`);
}

/** The API scenarios to run: all, or those named by `--only`. */
function selectedScenarios(): ScenarioName[] {
  if (!args.only) return [...SCENARIO_NAMES];
  const wanted = args.only.split(',');
  const unknown = wanted.filter((name) => !(SCENARIO_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`unknown scenario ${unknown.join(', ')}; known: ${SCENARIO_NAMES.join(', ')}`);
  return SCENARIO_NAMES.filter((name) => wanted.includes(name));
}

function positive(name: 'duration' | 'connections'): number {
  const value = Number(args[name]);
  if (!Number.isInteger(value) || value < 1) {
    console.error(`--${name} must be a positive integer\n${USAGE}`);
    process.exit(2);
  }
  return value;
}

async function stopChildren(): Promise<void> {
  await Promise.all(children.splice(0).map((child) => child.stop()));
}

function fail(error: unknown): void {
  console.error(error instanceof Error ? error.message : error);
  void stopChildren().finally(() => process.exit(1));
}

process.once('SIGINT', () => fail(new Error('interrupted')));
process.once('SIGTERM', () => fail(new Error('terminated')));
main().catch(fail);
