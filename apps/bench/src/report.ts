import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { LoadResult } from './load.ts';
import type { ResourceWindow } from './process-sampler.ts';
import type { Scenario } from './scenarios.ts';
import { MB, type TargetCheck } from './targets.ts';

export interface ScenarioReport extends LoadResult {
  name: Scenario['name'];
  call: string;
  callsPerRequest: number;
  /** This scenario's req/s over the bare server's (the mean of its two runs). */
  ratioToBare: number;
  /** The API process during this scenario (null for the bare server). */
  api: ResourceWindow | null;
  /**
   * API CPU time (all threads) per request: steadier than req/s on a shared
   * machine, where the API may not get a whole core.
   */
  apiCpuMsPerRequest: number | null;
}

export function machineInfo() {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    totalMemoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
  };
}

/** 1, 5 and 15 minute load averages: a busy shared machine shows here. */
export function loadAverage(): number[] {
  return os.loadavg().map((load) => Math.round(load * 100) / 100);
}

export function gitInfo(cwd: string) {
  const git = (...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    return {
      commit: git('rev-parse', 'HEAD'),
      branch: git('rev-parse', '--abbrev-ref', 'HEAD'),
      dirty: git('status', '--porcelain') !== '',
    };
  } catch {
    return null;
  }
}

const fixed = (value: number, digits: number) => value.toFixed(digits);

export function formatTable(reports: ScenarioReport[]): string {
  const header = ['scenario', 'call', 'req/s', 'calls/s', 'p50 ms', 'p99 ms', 'err/non-2xx', '× bare', 'API CPU', 'CPU ms/req', 'API RSS'];
  const rows = reports.map((report) => [
    report.name,
    report.call,
    fixed(report.requestsPerSecond, 0),
    fixed(report.callsPerSecond, 0),
    fixed(report.latencyMs.p50, 2),
    fixed(report.latencyMs.p99, 2),
    `${report.errors}/${report.non2xx}`,
    fixed(report.ratioToBare, 3),
    report.api ? `${fixed(report.api.cpuCores * 100, 0)}%` : '',
    report.apiCpuMsPerRequest === null ? '' : fixed(report.apiCpuMsPerRequest, 2),
    report.api ? `${fixed(report.api.maxRssBytes / MB, 0)} MB` : '',
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] as string).length)));
  // Text columns left-aligned, numbers right-aligned.
  const line = (cells: string[]) =>
    cells.map((cell, column) => (column < 2 ? cell.padEnd(widths[column] as number) : cell.padStart(widths[column] as number))).join('  ');
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

export function formatTargets(checks: TargetCheck[]): string {
  const width = Math.max(...checks.map((check) => check.target.length));
  return checks.map((check) => `${check.pass ? 'PASS' : 'MISS'}  ${check.target.padEnd(width)}  ${check.measured}`).join('\n');
}

/** A run's time as a file name. */
export function timestampOf(date: Date): string {
  return date.toISOString().replace(/[:.]/g, '-');
}

/** Writes `<timestamp>.json`, and `latest.json` when asked. Returns the timestamped file's path. */
export async function writeResults(dir: string, startedAt: Date, results: object, asLatest: boolean): Promise<string> {
  await mkdir(dir, { recursive: true });
  const json = `${JSON.stringify(results, null, 2)}\n`;
  const file = path.join(dir, `${timestampOf(startedAt)}.json`);
  await writeFile(file, json);
  if (asLatest) await writeFile(path.join(dir, 'latest.json'), json);
  return file;
}
