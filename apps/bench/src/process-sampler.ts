import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Clock ticks per second, the unit of CPU times in /proc/<pid>/stat. */
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

interface ProcessReading {
  rssBytes: number;
  /** User + system CPU time since the process started. */
  cpuSeconds: number;
}

/** Resident memory and CPU time of a process, from Linux's /proc. */
function readProcess(pid: number): ProcessReading {
  const rssKb = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  // Fields after the command name, which is in parentheses and may contain spaces.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return { rssBytes: Number(rssKb) * 1024, cpuSeconds: ticks / CLOCK_TICKS };
}

export interface ResourceWindow {
  maxRssBytes: number;
  /** CPU seconds the process used per second of wall time: 1 is one core busy. */
  cpuCores: number;
}

/**
 * Samples a child's RSS every `intervalMs` for as long as it runs, keeping the
 * maximum overall and per measurement window (one window per scenario).
 */
export class ProcessSampler {
  maxRssBytes = 0;
  private windowMaxRss = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pid: number,
    intervalMs = 100,
  ) {
    this.sample();
    this.timer = setInterval(() => {
      try {
        this.sample();
      } catch {
        // The process has exited; the caller learns it from its own requests.
        this.stop();
      }
    }, intervalMs);
  }

  /** Starts a window; the returned function ends it. */
  window(): () => ResourceWindow {
    const first = readProcess(this.pid);
    const started = performance.now();
    this.windowMaxRss = first.rssBytes;
    return () => {
      const last = this.sample();
      const seconds = (performance.now() - started) / 1000;
      return { maxRssBytes: this.windowMaxRss, cpuCores: (last.cpuSeconds - first.cpuSeconds) / seconds };
    };
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private sample(): ProcessReading {
    const reading = readProcess(this.pid);
    this.maxRssBytes = Math.max(this.maxRssBytes, reading.rssBytes);
    this.windowMaxRss = Math.max(this.windowMaxRss, reading.rssBytes);
    return reading;
  }
}
