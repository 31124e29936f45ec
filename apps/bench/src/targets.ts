import type { LoadResult } from './load.ts';
import type { ScenarioName } from './scenarios.ts';

export interface TargetCheck {
  target: string;
  measured: string;
  pass: boolean;
}

/** A scenario's load, with the API's CPU time per request (null where the API was not sampled). */
export type MeasuredScenario = LoadResult & { apiCpuMsPerRequest: number | null };

export interface TargetInputs {
  results: ReadonlyMap<ScenarioName, MeasuredScenario>;
  /** The reference throughput, measured in the same run. */
  bareRps: number;
  apiMaxRssBytes: number;
  /** Spawn to first successful request, per start; the median is checked. */
  apiStartupMs: number[];
}

/** Decimal megabytes: the strict reading of "200 MB". */
export const MB = 1_000_000;

/** Throughput targets of issue 20: a scenario's req/s over the bare server's in the same run. */
const SHARES_OF_BARE: Array<{ name: ScenarioName; what: string; atLeast: number }> = [
  { name: 'rest.top-mechanics', what: 'cached REST GET (top mechanics)', atLeast: 0.3 },
  { name: 'rest.ticket-by-id', what: 'uncached REST read by id', atLeast: 0.05 },
  { name: 'rest.top-mechanics.cache-off', what: 'top mechanics, cache off', atLeast: 0.02 },
  { name: 'rest.tickets.first-page', what: 'first page of tickets, cache off', atLeast: 0.02 },
  { name: 'rest.add-part', what: 'adding a part (a write)', atLeast: 0.01 },
];

/** CPU time of the API per invoice PDF. */
const PDF_CPU_MS = 50;

/** Issues 7 and 20's targets. A target whose scenarios were not run (`--only`) is left out. */
export function checkTargets({ results, bareRps: bare, apiMaxRssBytes, apiStartupMs }: TargetInputs): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const rps = (name: ScenarioName) => results.get(name)?.requestsPerSecond;
  const ratio = (value: number) => `${value.toFixed(3)}×`;

  for (const { name, what, atLeast } of SHARES_OF_BARE) {
    const measured = rps(name);
    if (measured === undefined) continue;
    checks.push({
      target: `${what} ≥ ${atLeast.toFixed(2)} × bare req/s`,
      measured: ratio(measured / bare),
      pass: measured / bare >= atLeast,
    });
  }
  const rest = rps('rest.ticket-by-id');
  const trpc = rps('trpc.ticket-by-id');
  if (trpc !== undefined && rest !== undefined) {
    checks.push({
      target: 'tRPC read by id ≥ the same REST read (req/s)',
      measured: `${trpc.toFixed(0)} vs ${rest.toFixed(0)} (${ratio(trpc / rest)})`,
      pass: trpc >= rest,
    });
  }
  const firstPage = rps('rest.tickets.first-page');
  const lastPage = rps('rest.tickets.last-page');
  if (firstPage !== undefined && lastPage !== undefined) {
    const slowdown = firstPage / lastPage;
    checks.push({ target: 'last page ≤ 2× slower than page 1', measured: `${slowdown.toFixed(2)}× slower`, pass: slowdown <= 2 });
  }
  const pdfCpuMs = results.get('rest.invoice-pdf')?.apiCpuMsPerRequest;
  if (pdfCpuMs !== undefined && pdfCpuMs !== null) {
    checks.push({
      target: `invoice PDF < ${PDF_CPU_MS} ms of API CPU each`,
      measured: `${pdfCpuMs.toFixed(1)} ms`,
      pass: pdfCpuMs < PDF_CPU_MS,
    });
  }
  checks.push({
    target: 'API max RSS under load < 200 MB',
    measured: `${(apiMaxRssBytes / MB).toFixed(1)} MB`,
    pass: apiMaxRssBytes < 200 * MB,
  });
  const startup = median(apiStartupMs);
  checks.push({
    target: 'spawn → first successful request < 1.5 s (median)',
    measured: `${startup.toFixed(0)} ms (${apiStartupMs.map((ms) => ms.toFixed(0)).join(', ')})`,
    pass: startup < 1500,
  });
  const failing = [...results].filter(([, result]) => result.errors + result.non2xx > 0).map(([name]) => name);
  checks.push({
    target: 'every response 2xx, no connection errors',
    measured: failing.length === 0 ? 'yes' : `not in ${failing.join(', ')}`,
    pass: failing.length === 0,
  });
  return checks;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
