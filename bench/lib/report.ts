/** Markdown tables: limits, one table per server, the comparison and the bars. */
import type { Limits } from './limits.js';
import type { ScenarioResult } from './scenario.js';
import { ID_TOKEN_ALG, type Target } from './target.js';

export interface ServerRun {
  target: Omit<Target, 'stop' | 'pid'>;
  scenarios: ScenarioResult[];
  /** Set when the server could not be started or a scenario could not run at all. */
  failure?: string;
}

export const SCENARIO_ORDER = ['client-credentials', 'authorization-code', 'refresh', 'introspection', 'userinfo', 'discovery'];

export function table(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]): string => `| ${cells.map((c) => String(c).replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

const f0 = (n: number): string => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');
const f1 = (n: number): string => (Number.isFinite(n) ? n.toFixed(1) : 'n/a');
const f2 = (n: number): string => (Number.isFinite(n) ? n.toFixed(2) : 'n/a');
const pct = (n: number): string => (Number.isFinite(n) ? `${(n * 100).toFixed(0)} %` : 'n/a');
const perVcpu = (s: ScenarioResult): number => s.count / s.cpuS;
/** Cost in CPU-seconds of the parts a request cannot avoid, as a per-vCPU ceiling. */
const ceiling = (...rates: number[]): number => 1 / rates.reduce((sum, r) => sum + 1 / r, 0);

/** Each scenario's ceiling per vCPU, and how it is made up. */
export function scenarioLimit(key: string, l: Limits): { value: number; what: string } {
  const http = l.http.perCpuSecond;
  switch (key) {
    case 'authorization-code':
      return { value: l.argon2.perCpuSecond, what: 'argon2id verify' };
    case 'client-credentials':
      return { value: ceiling(http, l.es256SignNative.perCpuSecond), what: 'HTTP + ES256 sign' };
    case 'refresh': {
      const idToken = ID_TOKEN_ALG === 'RS256' ? l.rs256SignNative : l.es256SignNative;
      return { value: ceiling(http, l.es256SignNative.perCpuSecond, idToken.perCpuSecond), what: `HTTP + ES256 + ${ID_TOKEN_ALG} sign` };
    }
    case 'introspection':
    case 'userinfo':
      return { value: ceiling(http, l.es256VerifyNative.perCpuSecond), what: 'HTTP + ES256 verify' };
    default:
      return { value: http, what: 'HTTP layer' };
  }
}

export function limitsTable(l: Limits): string {
  const r = (name: string, rate: { perSecond: number; perCpuSecond: number }, note = ''): string[] => [name, f0(rate.perSecond), f0(rate.perCpuSecond), note];
  return table(
    ['limit', 'per second', 'per CPU-second (per vCPU)', 'note'],
    [
      r('argon2id m=19456 KiB t=2 p=1, 1 at a time', l.argon2, '@node-rs/argon2, as Gatehouse'),
      r('argon2id, 2 at a time', l.argon2TwoThreads, 'both cores'),
      ...(l.argon2Http
        ? [
            r(
              'a server that only verifies passwords',
              l.argon2Http,
              'Hono + one argon2id verify per request, as many at once as Gatehouse; the least a login costs',
            ),
          ]
        : []),
      r(
        'ES256 sign, node:crypto (OpenSSL)',
        l.es256SignNative,
        ID_TOKEN_ALG === 'ES256' ? 'an access or ID token; the floor, used in the limits below' : 'an access token; the floor, used in the limits below',
      ),
      r(
        'RS256 sign, node:crypto (OpenSSL, 2048-bit)',
        l.rs256SignNative,
        ID_TOKEN_ALG === 'RS256' ? 'an ID token (BENCH_ID_TOKEN_ALG=RS256); the floor' : 'for comparison: ID tokens are ES256 in this run',
      ),
      r('ES256 verify, node:crypto (OpenSSL)', l.es256VerifyNative, 'an access-token check; the floor'),
      r('ES256 sign, jose (WebCrypto)', l.es256Sign, 'how oidc-provider signs'),
      r('RS256 sign, jose (WebCrypto)', l.rs256Sign, 'how oidc-provider signs'),
      r('ES256 verify, jose (WebCrypto)', l.es256Verify, 'how Gatehouse verifies access tokens'),
      r(
        'HTTP: trivial Hono endpoint',
        l.http,
        `p50 ${f1(l.http.p50)} ms, p99 ${f1(l.http.p99)} ms; idle RSS ${f1(l.http.idleRssMb)} MB; ready ${f0(l.http.readyMs)} ms`,
      ),
    ],
  );
}

export function serverTable(run: ServerRun, l: Limits): string {
  const t = run.target;
  const head = `### ${t.label}\n\nStorage: ${t.storage}. Ready (spawn → /readyz 200): ${f0(t.readyFirstMs)} ms on an empty data directory, ${f0(t.readyRestartMs)} ms on restart (median of 3). Idle RSS 2 s after ready: ${f1(t.idleRssMb)} MB.`;
  if (run.failure) return `${head}\n\n**FAILED to run:** ${run.failure}`;
  const rows = run.scenarios.map((s) => {
    const lim = scenarioLimit(s.key, l);
    return [
      s.name,
      s.unit,
      f0(s.count),
      f0(s.rps),
      f1(s.p50),
      f1(s.p99),
      s.errors ? `**${s.errors}** (${s.firstError ?? ''})` : '0',
      f2((s.cpuS / s.count) * 1000),
      pct(s.mainCpuS / s.cpuS),
      f0(perVcpu(s)),
      `${f0(lim.value)} (${lim.what})`,
      pct(perVcpu(s) / lim.value),
      f1(s.peakRssMb),
      f2(s.otherCores),
      [s.note, s.databaseCpuS !== undefined ? `PostgreSQL backends: ${f2((s.databaseCpuS / s.count) * 1000)} CPU s / 1,000 more` : '']
        .filter(Boolean)
        .join('; '),
    ];
  });
  return `${head}\n\n${table(
    [
      'scenario',
      'unit',
      'count',
      'per s',
      'p50 ms',
      'p99 ms',
      'errors',
      'CPU s / 1,000',
      'of which event loop',
      'per s per vCPU',
      'limit per vCPU',
      '% of limit',
      'peak RSS MB',
      'other processes (cores)',
      'notes',
    ],
    rows,
  )}`;
}

const byKey = (run: ServerRun | undefined, key: string): ScenarioResult | undefined => run?.scenarios.find((s) => s.key === key);

/**
 * The oidc-provider rows a Gatehouse row is held against: its default (in-memory) mode, and the
 * adapter on the same storage as that Gatehouse row (SQLite with SQLite, PostgreSQL with PostgreSQL).
 */
export function comparedWith(g: ServerRun, others: ServerRun[]): ServerRun[] {
  const storage = g.target.label.includes('PostgreSQL') ? 'PostgreSQL' : 'SQLite';
  return others.filter((o) => o.target.label.includes('in-memory') || o.target.label.includes(storage));
}

export function comparisonTable(gatehouse: ServerRun[], others: ServerRun[]): string {
  const header = ['scenario'];
  for (const g of gatehouse) for (const o of comparedWith(g, others)) header.push(`${g.target.label} ÷ ${o.target.label}: per s (per vCPU)`);
  const rows = SCENARIO_ORDER.map((key) => {
    const row = [byKey(gatehouse[0], key)?.name ?? key];
    for (const g of gatehouse) {
      for (const o of comparedWith(g, others)) {
        const a = byKey(g, key);
        const b = byKey(o, key);
        if (!a || !b) {
          row.push('n/a');
          continue;
        }
        const ratio = a.rps / b.rps;
        row.push(`${f2(ratio)}× (${f2(perVcpu(a) / perVcpu(b))}×) ${ratio >= 1 ? 'PASS' : '**FAIL**'}`);
      }
    }
    return row;
  });
  return table(header, rows);
}

/** The bars, for one Gatehouse run; the per-vCPU throughput bars apply to SQLite only. */
export function barsTable(g: ServerRun, others: ServerRun[], l: Limits): string {
  const rows: string[][] = [];
  const mark = (ok: boolean): string => (ok ? 'PASS' : '**FAIL**');
  for (const o of comparedWith(g, others)) {
    // A scenario one of them could not run counts as slower; one left out of the run (BENCH_SCENARIOS) does not count.
    const slower = SCENARIO_ORDER.filter((k) => {
      const a = byKey(g, k);
      const b = byKey(o, k);
      return (a || b) && (!a || !b || a.rps < b.rps);
    });
    rows.push([
      `every scenario at least as fast as ${o.target.label}`,
      slower.length ? `slower: ${slower.join(', ')}` : 'all faster or equal',
      'ratio ≥ 1',
      mark(slower.length === 0),
    ]);
  }
  const login = byKey(g, 'authorization-code');
  if (login) {
    const share = perVcpu(login) / l.argon2.perCpuSecond;
    rows.push([
      'password logins per vCPU vs argon2id limit',
      `${f1(perVcpu(login))} of ${f1(l.argon2.perCpuSecond)} = ${pct(share)}`,
      '≥ 80 %',
      mark(share >= 0.8),
    ]);
    // Under load every core hashes at once, and each hash then costs more CPU (shared caches and
    // memory bandwidth): shown beside the bar, not instead of it.
    const busy = perVcpu(login) / l.argon2TwoThreads.perCpuSecond;
    rows.push([
      '(for reference) the same vs argon2id with both cores hashing',
      `${f1(perVcpu(login))} of ${f1(l.argon2TwoThreads.perCpuSecond)} = ${pct(busy)}`,
      'information',
      '—',
    ]);
    if (l.argon2Http) {
      const floor = l.argon2Http.perCpuSecond / l.argon2.perCpuSecond;
      rows.push([
        '(for reference) a server that only verifies passwords vs the same limit',
        `${f1(l.argon2Http.perCpuSecond)} of ${f1(l.argon2.perCpuSecond)} = ${pct(floor)}`,
        'information',
        '—',
      ]);
    }
  }
  if (g.target.label.includes('SQLite')) {
    for (const key of ['client-credentials', 'refresh']) {
      const s = byKey(g, key);
      if (s) rows.push([`${key} per second per vCPU (SQLite)`, f0(perVcpu(s)), '≥ 1,000', mark(perVcpu(s) >= 1000)]);
    }
  }
  rows.push(['idle RSS', `${f1(g.target.idleRssMb)} MB`, '≤ 100 MB', mark(g.target.idleRssMb <= 100)]);
  rows.push(['ready: restart (spawn → /readyz 200, median of 3)', `${f0(g.target.readyRestartMs)} ms`, '≤ 1,000 ms', mark(g.target.readyRestartMs <= 1000)]);
  rows.push([
    'ready: first start on an empty data directory (migrations, key generation)',
    `${f0(g.target.readyFirstMs)} ms`,
    '≤ 1,000 ms',
    mark(g.target.readyFirstMs <= 1000),
  ]);
  const errors = g.scenarios.reduce((n, s) => n + s.errors, 0);
  rows.push(['errors under load', String(errors), '0', mark(errors === 0 && !g.failure)]);
  const p99 = g.scenarios.map((s) => `${s.key} ${f1(s.p99)} ms`).join(', ');
  rows.push(['p99 at the reported throughput', p99, 'printed', 'PASS']);
  return `### Bars: ${g.target.label}\n\n${table(['bar', 'measured', 'target', 'result'], rows)}`;
}

/**
 * Run-to-run noise on this machine: oidc-provider answers discovery and jwks from memory whatever
 * its adapter, so its two rows should match; how far apart they are says how much a ratio can move.
 */
export function noiseNote(others: ServerRun[]): string | undefined {
  const rates = others.map((o) => byKey(o, 'discovery')?.rps).filter((r): r is number => r !== undefined && r > 0);
  if (rates.length < 2) return undefined;
  const lo = Math.min(...rates);
  const hi = Math.max(...rates);
  const spread = (hi - lo) / ((hi + lo) / 2);
  return `Noise: every oidc-provider row answers discovery + jwks the same way (the adapter is not involved), yet they differ by up to ${pct(spread)} in this run (${rates.map(f0).join(', ')} per s): read ratios within about that margin as a tie.`;
}
