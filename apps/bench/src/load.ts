import autocannon from 'autocannon';
import type { Scenario } from './scenarios.ts';

export interface LoadSettings {
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
}

export interface LoadResult {
  requests: number;
  durationSeconds: number;
  requestsPerSecond: number;
  /** Requests per second times the API calls in each request. */
  callsPerSecond: number;
  /** Over every response, whatever its status; to the microsecond. */
  latencyMs: { mean: number; p50: number; p90: number; p99: number; max: number };
  /** Connection errors (including timeouts). */
  errors: number;
  non2xx: number;
  statusCodes: Record<string, number>;
}

/** The same load as the measured run, for `warmupSeconds`: JIT, caches and connections settle first. */
export async function warmUp(baseUrl: string, scenario: Scenario, settings: LoadSettings): Promise<void> {
  if (settings.warmupSeconds > 0) await run(optionsFor(baseUrl, scenario, settings, settings.warmupSeconds));
}

/** Drives a server with one scenario for `durationSeconds`. */
export async function runLoad(baseUrl: string, scenario: Scenario, settings: LoadSettings): Promise<LoadResult> {
  const latencies: number[] = [];
  const result = await run(optionsFor(baseUrl, scenario, settings, settings.durationSeconds), (milliseconds) =>
    latencies.push(milliseconds),
  );
  const completed = result.requests.total;
  const requestsPerSecond = completed / result.duration;
  return {
    requests: completed,
    durationSeconds: result.duration,
    requestsPerSecond,
    callsPerSecond: requestsPerSecond * scenario.callsPerRequest,
    latencyMs: summarize(latencies),
    errors: result.errors,
    non2xx: result.non2xx,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, { count }]) => [code, count ?? 0])),
  };
}

function optionsFor(baseUrl: string, scenario: Scenario, settings: LoadSettings, duration: number): autocannon.Options {
  return { url: baseUrl, connections: settings.connections, pipelining: 1, duration, requests: [toAutocannonRequest(scenario.request)] };
}

function toAutocannonRequest(request: Scenario['request']): autocannon.Request {
  if (typeof request !== 'function') return request;
  // autocannon rebuilds the request before each send when it has a setupRequest.
  return { setupRequest: (defaults) => ({ ...defaults, ...request() }) };
}

function run(options: autocannon.Options, onLatency?: (milliseconds: number) => void): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(options, (error: Error | null, result) => (error ? reject(error) : resolve(result)));
    if (onLatency) instance.on('response', (_client, _status, _bytes, milliseconds) => onLatency(milliseconds));
  });
}

function summarize(latencies: number[]): LoadResult['latencyMs'] {
  if (latencies.length === 0) return { mean: 0, p50: 0, p90: 0, p99: 0, max: 0 };
  const sorted = Float64Array.from(latencies).sort();
  const at = (quantile: number) => sorted[Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1)] as number;
  const mean = sorted.reduce((sum, value) => sum + value, 0) / sorted.length;
  const round = (value: number) => Math.round(value * 1000) / 1000;
  return { mean: round(mean), p50: round(at(0.5)), p90: round(at(0.9)), p99: round(at(0.99)), max: round(at(1)) };
}
