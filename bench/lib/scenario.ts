/** What every scenario reports, and the shared knobs (durations, concurrency). */
import autocannon from 'autocannon';
import type { LoopResult } from './flow.js';
import { type Measured, measure } from './metrics.js';
import type { Target } from './target.js';

export const SETTINGS = {
  /** Unmeasured warm-up before each round of each scenario. */
  warmupS: Number(process.env.BENCH_WARMUP ?? 1),
  durationS: Number(process.env.BENCH_DURATION ?? 8),
  /** The password scenario is argon2-bound (tens per second per core): it runs longer. */
  loginDurationS: Number(process.env.BENCH_LOGIN_DURATION ?? 16),
  connections: Number(process.env.BENCH_CONNECTIONS ?? 32),
  loginUsers: Number(process.env.BENCH_LOGIN_USERS ?? 16),
};

export interface ScenarioResult {
  key: string;
  name: string;
  /** What one counted unit is: "request", or "login" for a whole sign-in flow. */
  unit: string;
  count: number;
  errors: number;
  firstError?: string;
  rps: number;
  p50: number;
  p99: number;
  cpuS: number;
  /** The event-loop thread's part of cpuS. */
  mainCpuS: number;
  /** Cores' worth of CPU used by other processes during the run (the database included): disturbance. */
  otherCores: number;
  /** CPU seconds of the database server (PostgreSQL) over the measured run, when known. */
  databaseCpuS?: number;
  peakRssMb: number;
  /** Notes on what this server did differently (token formats). */
  note?: string;
}

export function result(key: string, name: string, unit: string, m: Measured<LoopResult & { databaseCpuS?: number }>, note?: string): ScenarioResult {
  const r = m.value;
  return {
    ...(r.databaseCpuS !== undefined ? { databaseCpuS: r.databaseCpuS } : {}),
    key,
    name,
    unit,
    count: r.count,
    errors: r.errors,
    ...(r.firstError ? { firstError: r.firstError } : {}),
    rps: r.count / r.elapsedS,
    p50: r.p50,
    p99: r.p99,
    cpuS: m.cpuS,
    mainCpuS: m.mainCpuS,
    otherCores: Math.max(0, m.otherCpuS / m.wallS),
    peakRssMb: m.peakRssMb,
    ...(note ? { note } : {}),
  };
}

export interface CannonOptions {
  seconds: number;
  method?: 'GET' | 'POST';
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  requests?: { method: 'GET' | 'POST'; path: string }[];
  expectBody?: string;
  /** Default SETTINGS.connections. */
  connections?: number;
}

/** One autocannon run (in this process, the server being another); errors are every non-2xx, timeout, mismatch. */
export async function cannon(t: Target, o: CannonOptions): Promise<LoopResult> {
  const r = await autocannon({
    url: t.origin + (o.path ?? ''),
    connections: o.connections ?? SETTINGS.connections,
    duration: o.seconds,
    method: o.method ?? 'GET',
    ...(o.headers ? { headers: o.headers } : {}),
    ...(o.body !== undefined ? { body: o.body } : {}),
    ...(o.requests ? { requests: o.requests } : {}),
    ...(o.expectBody !== undefined ? { expectBody: o.expectBody } : {}),
    timeout: 10,
  });
  const errors = r.errors + r.timeouts + r.non2xx + (r.mismatches ?? 0);
  const firstError = errors ? `errors ${r.errors}, timeouts ${r.timeouts}, non-2xx ${r.non2xx}, body mismatches ${r.mismatches ?? 0}` : undefined;
  return {
    count: r.requests.total,
    errors,
    ...(firstError ? { firstError } : {}),
    elapsedS: r.duration,
    p50: r.latency.p50,
    p99: r.latency.p99,
  };
}

/** Warm-up (not measured), then the measured run with the server's CPU and RSS around it. */
export async function warmAndMeasure(
  t: Target,
  run: (seconds: number) => Promise<LoopResult>,
  seconds = SETTINGS.durationS,
): Promise<Measured<LoopResult & { databaseCpuS?: number }>> {
  if (SETTINGS.warmupS > 0) await run(SETTINGS.warmupS);
  const db0 = t.databaseCpuS?.();
  return measure(t.pid, async () => {
    const r = await run(seconds);
    return db0 === undefined ? r : { ...r, databaseCpuS: t.databaseCpuS!() - db0 };
  });
}

/** "JWT ES256" or "opaque", from a token's shape and header. */
export function tokenKind(token: string | undefined): string {
  if (!token) return 'none';
  const parts = token.split('.');
  if (parts.length !== 3) return 'opaque';
  try {
    const header = JSON.parse(Buffer.from(parts[0] ?? '', 'base64url').toString()) as { alg?: string; typ?: string };
    return `JWT ${header.alg ?? '?'}`;
  } catch {
    return 'opaque';
  }
}
