import { describe, expect, it } from 'vitest';
import type { ScenarioName } from './scenarios.ts';
import { checkTargets, MB, median, type MeasuredScenario, type TargetInputs } from './targets.ts';

function load(requestsPerSecond: number, overrides: Partial<MeasuredScenario> = {}): MeasuredScenario {
  return {
    apiCpuMsPerRequest: 1,
    requests: requestsPerSecond * 10,
    durationSeconds: 10,
    requestsPerSecond,
    callsPerSecond: requestsPerSecond,
    latencyMs: { mean: 2, p50: 2, p90: 3, p99: 5, max: 9 },
    errors: 0,
    non2xx: 0,
    statusCodes: { '200': requestsPerSecond * 10 },
    ...overrides,
  };
}

/** A run that meets every target, with the bare server at 10 000 req/s. */
function passingRun(overrides: Partial<TargetInputs> = {}): TargetInputs {
  const results = new Map<ScenarioName, MeasuredScenario>([
    ['rest.top-mechanics', load(4_000)],
    ['rest.ticket-by-id', load(2_000)],
    ['trpc.ticket-by-id', load(2_100)],
    ['rest.top-mechanics.cache-off', load(300)],
    ['rest.tickets.first-page', load(300)],
    ['rest.tickets.last-page', load(200)],
    ['rest.add-part', load(150)],
    ['rest.invoice-pdf', load(40, { apiCpuMsPerRequest: 20 })],
  ]);
  return { results, bareRps: 10_000, apiMaxRssBytes: 150 * MB, apiStartupMs: [900, 1_000, 1_100], ...overrides };
}

const failing = (inputs: TargetInputs) =>
  checkTargets(inputs)
    .filter((check) => !check.pass)
    .map((check) => check.target);

describe('checkTargets', () => {
  it('passes every target of a run that meets them, and says what it measured', () => {
    const checks = checkTargets(passingRun());
    expect(checks.filter((check) => !check.pass)).toEqual([]);
    expect(checks).toHaveLength(11);
    expect(checks.find((check) => check.target.startsWith('cached REST GET'))?.measured).toBe('0.400×');
    expect(checks.find((check) => check.target.startsWith('invoice PDF'))?.measured).toBe('20.0 ms');
    expect(checks.find((check) => check.target.startsWith('spawn'))?.measured).toBe('1000 ms (900, 1000, 1100)');
  });

  it('misses each target on its own threshold', () => {
    const run = passingRun();
    const replacing = (name: ScenarioName, result: MeasuredScenario) =>
      new Map<ScenarioName, MeasuredScenario>([...run.results, [name, result]]);
    expect(failing({ ...run, results: replacing('rest.top-mechanics', load(2_999)) })).toEqual([
      'cached REST GET (top mechanics) ≥ 0.30 × bare req/s',
    ]);
    // The tRPC read is then faster than the REST one: only the share of bare misses.
    expect(failing({ ...run, results: replacing('rest.ticket-by-id', load(499)) })).toEqual([
      'uncached REST read by id ≥ 0.05 × bare req/s',
    ]);
    expect(failing({ ...run, results: replacing('trpc.ticket-by-id', load(1_999)) })).toEqual([
      'tRPC read by id ≥ the same REST read (req/s)',
    ]);
    expect(failing({ ...run, results: replacing('rest.top-mechanics.cache-off', load(199)) })).toEqual([
      'top mechanics, cache off ≥ 0.02 × bare req/s',
    ]);
    // Page 1 at 199 req/s is also less than 2× the last page's 200.
    expect(failing({ ...run, results: replacing('rest.tickets.first-page', load(199)) })).toEqual([
      'first page of tickets, cache off ≥ 0.02 × bare req/s',
    ]);
    expect(failing({ ...run, results: replacing('rest.tickets.last-page', load(149)) })).toEqual(['last page ≤ 2× slower than page 1']);
    expect(failing({ ...run, results: replacing('rest.add-part', load(99)) })).toEqual(['adding a part (a write) ≥ 0.01 × bare req/s']);
    expect(failing({ ...run, results: replacing('rest.invoice-pdf', load(40, { apiCpuMsPerRequest: 50 })) })).toEqual([
      'invoice PDF < 50 ms of API CPU each',
    ]);
    expect(failing({ ...run, apiMaxRssBytes: 200 * MB })).toEqual(['API max RSS under load < 200 MB']);
    expect(failing({ ...run, apiStartupMs: [400, 1_500, 1_600] })).toEqual(['spawn → first successful request < 1.5 s (median)']);
  });

  it('names the scenarios that answered anything but 2xx or lost connections', () => {
    const run = passingRun();
    const results = new Map<ScenarioName, MeasuredScenario>([
      ...run.results,
      ['rest.ticket-by-id', load(2_000, { non2xx: 3 })],
      ['trpc.ticket-by-id', load(2_100, { errors: 1 })],
    ]);
    const check = checkTargets({ ...run, results }).find((candidate) => candidate.target.startsWith('every response'));
    expect(check).toEqual({
      target: 'every response 2xx, no connection errors',
      measured: 'not in rest.ticket-by-id, trpc.ticket-by-id',
      pass: false,
    });
  });

  it('leaves out the targets whose scenarios were not run (--only)', () => {
    const targets = checkTargets(
      passingRun({ results: new Map<ScenarioName, MeasuredScenario>([['rest.top-mechanics', load(4_000)]]) }),
    ).map((check) => check.target);
    expect(targets).toEqual([
      'cached REST GET (top mechanics) ≥ 0.30 × bare req/s',
      'API max RSS under load < 200 MB',
      'spawn → first successful request < 1.5 s (median)',
      'every response 2xx, no connection errors',
    ]);
  });
});

describe('median', () => {
  it('is the middle value of an odd count and the mean of the two middle values of an even one, in any order', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });
});
