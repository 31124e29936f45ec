import type { LoadResult } from './load.ts';
import type { ScenarioName } from './scenarios.ts';

export interface TargetCheck {
  target: string;
  measured: string;
  pass: boolean;
}

export interface TargetInputs {
  results: ReadonlyMap<ScenarioName, LoadResult>;
  /** The reference throughput, measured in the same run. */
  bareRps: number;
  apiMaxRssBytes: number;
  /** Spawn to first successful request, per start; the median is checked. */
  apiStartupMs: number[];
}

/** Decimal megabytes: the strict reading of "200 MB". */
export const MB = 1_000_000;

/** Issue 7's targets. A target whose scenarios were not run (`--only`) is left out. */
export function checkTargets({ results, bareRps: bare, apiMaxRssBytes, apiStartupMs }: TargetInputs): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const rps = (name: ScenarioName) => results.get(name)?.requestsPerSecond;
  const ratio = (value: number) => `${value.toFixed(3)}×`;

  const cached = rps('rest.top-mechanics');
  if (cached !== undefined) {
    checks.push({
      target: 'cached REST GET (top mechanics) ≥ 0.30 × bare req/s',
      measured: ratio(cached / bare),
      pass: cached / bare >= 0.3,
    });
  }
  const byId = results.get('rest.ticket-by-id');
  if (byId) {
    const share = byId.requestsPerSecond / bare;
    checks.push({
      target: 'uncached REST read by id ≥ 0.15 × bare req/s, p99 < 20 ms',
      measured: `${ratio(share)}, p99 ${byId.latencyMs.p99.toFixed(1)} ms`,
      pass: share >= 0.15 && byId.latencyMs.p99 < 20,
    });
  }
  const trpc = rps('trpc.ticket-by-id');
  if (trpc !== undefined && byId) {
    checks.push({
      target: 'tRPC read by id ≥ the same REST read (req/s)',
      measured: `${trpc.toFixed(0)} vs ${byId.requestsPerSecond.toFixed(0)} (${ratio(trpc / byId.requestsPerSecond)})`,
      pass: trpc >= byId.requestsPerSecond,
    });
  }
  const firstPage = rps('rest.tickets.first-page');
  const lastPage = rps('rest.tickets.last-page');
  if (firstPage !== undefined && lastPage !== undefined) {
    const slowdown = firstPage / lastPage;
    checks.push({ target: 'last page ≤ 2× slower than page 1', measured: `${slowdown.toFixed(2)}× slower`, pass: slowdown <= 2 });
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
