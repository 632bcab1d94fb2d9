/**
 * Server-side measurements from /proc: CPU time (utime + stime of every thread of the process,
 * so argon2 and crypto work on libuv's pool counts too), resident memory, readiness.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** CPU seconds the process has used so far (user + system, all threads); with `tid`, that thread's only. */
export function cpuSeconds(pid: number, tid?: number): number {
  const stat = fs.readFileSync(tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces; fields after it start past the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

function statusKb(pid: number, key: 'VmRSS' | 'VmHWM'): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status);
  return match ? Number(match[1]) : Number.NaN;
}

export const rssMb = (pid: number): number => statusKb(pid, 'VmRSS') / 1024;
export const hwmMb = (pid: number): number => statusKb(pid, 'VmHWM') / 1024;

/** `read` summed over every PostgreSQL backend serving `database` (their process titles name it). */
function sumOverBackends(database: string, read: (pid: number) => number): number {
  let total = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.startsWith('postgres: ') && cmdline.includes(` ${database} `)) total += read(Number(entry));
    } catch {
      /* gone meanwhile */
    }
  }
  return total;
}

/** CPU seconds of every PostgreSQL backend serving `database`. */
export function postgresCpuSeconds(database: string): number {
  return sumOverBackends(database, cpuSeconds);
}

/** Nanoseconds every PostgreSQL backend serving `database` has run (/proc/<pid>/schedstat). */
export function postgresRanNs(database: string): number {
  return sumOverBackends(database, (pid) => Number(fs.readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]));
}

/** Busy CPU seconds of the whole machine so far (every core; idle and iowait excluded). */
export function machineBusySeconds(): number {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = line.trim().split(/\s+/).slice(1).map(Number);
  return (user + nice + system + irq + softirq + steal) / CLK_TCK;
}

export interface Measured<T> {
  value: T;
  cpuS: number;
  /** The main (event-loop) thread's part of cpuS: JavaScript can use one core, the rest is libuv's pool and V8's helpers. */
  mainCpuS: number;
  /** CPU the rest of the machine used meanwhile, less this process (the load generator): other work disturbing the run. */
  otherCpuS: number;
  wallS: number;
  peakRssMb: number;
}

/** Runs `work` while sampling the server's RSS every 50 ms; returns its CPU time over the run. */
export async function measure<T>(pid: number, work: () => Promise<T>): Promise<Measured<T>> {
  let peak = rssMb(pid);
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, rssMb(pid));
    } catch {
      /* the process ended; the scenario reports the failure */
    }
  }, 50);
  const cpu0 = cpuSeconds(pid);
  const main0 = cpuSeconds(pid, pid);
  const machine0 = machineBusySeconds();
  const self0 = process.cpuUsage();
  const t0 = performance.now();
  try {
    const value = await work();
    const wallS = (performance.now() - t0) / 1000;
    const cpuS = cpuSeconds(pid) - cpu0;
    const mainCpuS = cpuSeconds(pid, pid) - main0;
    const self = process.cpuUsage(self0);
    const otherCpuS = machineBusySeconds() - machine0 - cpuS - (self.user + self.system) / 1e6;
    peak = Math.max(peak, rssMb(pid));
    return { value, cpuS, mainCpuS, otherCpuS, wallS, peakRssMb: peak };
  } finally {
    clearInterval(timer);
  }
}

/** Polls `url` every 5 ms until it answers 200; milliseconds since `since` (a performance.now()). */
export async function waitReady(url: string, since: number, alive: () => boolean, timeoutMs = 30_000): Promise<number> {
  while (performance.now() - since < timeoutMs) {
    if (!alive()) throw new Error(`server exited before ${url} answered 200`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.status === 200) return performance.now() - since;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}
