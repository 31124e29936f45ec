import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatTable, formatTargets, timestampOf, writeResults, type ScenarioReport } from './report.ts';
import { MB } from './targets.ts';

function report(overrides: Partial<ScenarioReport>): ScenarioReport {
  return {
    name: 'rest.ticket-by-id',
    call: 'GET /service_tickets/{id}',
    callsPerRequest: 1,
    requests: 20_000,
    durationSeconds: 10,
    requestsPerSecond: 2_000.4,
    callsPerSecond: 2_000.4,
    latencyMs: { mean: 4, p50: 3.456, p90: 6, p99: 12.5, max: 30 },
    errors: 0,
    non2xx: 2,
    statusCodes: { '200': 19_998, '503': 2 },
    ratioToBare: 0.25,
    api: { cpuCores: 0.875, maxRssBytes: 123.4 * MB },
    apiCpuMsPerRequest: 0.4375,
    ...overrides,
  };
}

describe('formatTable', () => {
  it('prints one aligned row per scenario, numbers rounded, API columns empty for the bare server', () => {
    const table = formatTable([report({}), report({ name: 'bare', call: 'GET /', api: null, apiCpuMsPerRequest: null })]).split('\n');
    expect(table).toHaveLength(4);
    expect(table[0]).toMatch(
      /^scenario\s+call\s+req\/s\s+calls\/s\s+p50 ms\s+p99 ms\s+err\/non-2xx\s+× bare\s+API CPU\s+CPU ms\/req\s+API RSS$/,
    );
    expect(table[1]).toMatch(/^-+( {2}-+)+$/);
    expect(table[2]!.split(/\s{2,}/)).toEqual([
      'rest.ticket-by-id',
      'GET /service_tickets/{id}',
      '2000',
      '2000',
      '3.46',
      '12.50',
      '0/2',
      '0.250',
      '88%',
      '0.44',
      '123 MB',
    ]);
    expect(table[3]!.trimEnd().split(/\s{2,}/)).toEqual(['bare', 'GET /', '2000', '2000', '3.46', '12.50', '0/2', '0.250']);
    // Every line is as wide as the header: the columns line up.
    expect(new Set(table.slice(0, 3).map((line) => line.length)).size).toBe(1);
  });
});

describe('formatTargets', () => {
  it('prints PASS or MISS, the targets padded to one width, then what was measured', () => {
    const text = formatTargets([
      { target: 'short', measured: '1 ms', pass: true },
      { target: 'a longer target', measured: '2 ms', pass: false },
    ]);
    expect(text.split('\n')).toEqual(['PASS  short            1 ms', 'MISS  a longer target  2 ms']);
  });
});

describe('writeResults', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes the results under the run time, and as latest.json only when asked', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'bench-report-'));
    const startedAt = new Date('2026-01-02T03:04:05.678Z');
    expect(timestampOf(startedAt)).toBe('2026-01-02T03-04-05-678Z');
    const file = await writeResults(dir, startedAt, { ok: 1 }, false);
    expect(file).toBe(path.join(dir, '2026-01-02T03-04-05-678Z.json'));
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ ok: 1 });
    expect(await readdir(dir)).toEqual(['2026-01-02T03-04-05-678Z.json']);

    await writeResults(dir, new Date('2026-01-03T00:00:00.000Z'), { ok: 2 }, true);
    expect(JSON.parse(await readFile(path.join(dir, 'latest.json'), 'utf8'))).toEqual({ ok: 2 });
  });
});
