/**
 * `npm run bench`: each server as its own process, driven from this process (autocannon for
 * single requests, an undici driver for the multi-step flows), measured from /proc, then
 * printed as markdown. Load goes to 127.0.0.1 only; every run is bounded in time and stops.
 *
 *   npm run bench                                   # Gatehouse (SQLite) + oidc-provider ×2
 *   BENCH_DATABASE_URL=postgres://… npm run bench   # + Gatehouse on a fresh PostgreSQL database
 *   BENCH_SERVERS=gatehouse-sqlite npm run bench    # a subset (gatehouse-sqlite, gatehouse-postgres,
 *                                                   #   oidc-provider-memory, oidc-provider-sqlite, oidc-provider-postgres)
 *   BENCH_SCENARIOS=refresh,userinfo npm run bench  # a subset of scenarios (first word of the name)
 *   BENCH_ID_TOKEN_ALG=RS256 npm run bench          # RS256 ID tokens on every server (default ES256)
 *   BENCH_DURATION=8 BENCH_LOGIN_DURATION=16 BENCH_ROUNDS=4 BENCH_WARMUP=1 BENCH_CONNECTIONS=32 BENCH_LOGIN_USERS=16
 */
import fs from 'node:fs';
import os from 'node:os';
import { type Limits, type RateSample, combine, measureArgon2Http, measureLimits, sampleArgon2 } from './lib/limits.js';
import { type ServerRun, barsTable, comparisonTable, limitsTable, noiseNote, serverTable } from './lib/report.js';
import { mergeRounds } from './lib/rounds.js';
import { SETTINGS, type ScenarioResult } from './lib/scenario.js';
import { ID_TOKEN_ALG, type Target } from './lib/target.js';
import { authorizationCodeScenario } from './scenarios/authorization-code.js';
import { clientCredentialsScenario } from './scenarios/client-credentials.js';
import { discoveryScenario } from './scenarios/discovery.js';
import { introspectionScenario } from './scenarios/introspection.js';
import { refreshScenario } from './scenarios/refresh.js';
import { userinfoScenario } from './scenarios/userinfo.js';
import { startGatehouse } from './servers/gatehouse.js';
import { startOidcProvider } from './servers/oidc-provider.js';

const started = performance.now();
const log = (s: string): void => {
  process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${s}\n`);
};

const SCENARIOS: [string, (t: Target) => Promise<ScenarioResult>][] = [
  ['discovery + jwks', discoveryScenario],
  ['client-credentials', clientCredentialsScenario],
  ['introspection', introspectionScenario],
  ['userinfo', userinfoScenario],
  ['refresh', refreshScenario],
  ['authorization-code', authorizationCodeScenario],
];

const pgUrl = process.env.BENCH_DATABASE_URL;
const SERVERS: { id: string; label: string; start: () => Promise<Target> }[] = [
  { id: 'gatehouse-sqlite', label: 'Gatehouse (SQLite)', start: () => startGatehouse() },
  { id: 'oidc-provider-memory', label: 'oidc-provider (in-memory)', start: () => startOidcProvider('memory') },
  { id: 'oidc-provider-sqlite', label: 'oidc-provider (SQLite adapter)', start: () => startOidcProvider('sqlite') },
  ...(pgUrl
    ? [
        { id: 'gatehouse-postgres', label: 'Gatehouse (PostgreSQL)', start: () => startGatehouse({ postgresUrl: pgUrl }) },
        { id: 'oidc-provider-postgres', label: 'oidc-provider (PostgreSQL adapter)', start: () => startOidcProvider('postgres', pgUrl) },
      ]
    : []),
];
const only = process.env.BENCH_SERVERS?.split(',').map((s) => s.trim());
const onlyScenarios = process.env.BENCH_SCENARIOS?.split(',').map((s) => s.trim());

// Ctrl-C (or SIGTERM) stops the servers under test too, not just this process.
const running = new Set<() => Promise<void>>();
const stopAll = async (): Promise<void> => {
  await Promise.allSettled([...running].map((stop) => stop()));
  running.clear();
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping the servers under test`);
    void stopAll().finally(() => process.exit(130));
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

interface Started {
  run: ServerRun;
  target?: Target;
}

async function startServer(s: (typeof SERVERS)[number]): Promise<Started> {
  log(`${s.label}: starting`);
  try {
    const target = await s.start();
    running.add(target.stop);
    const { stop: _stop, pid: _pid, ...info } = target;
    return { run: { target: info, scenarios: [] }, target };
  } catch (error) {
    const blank = {
      label: s.label,
      product: 'gatehouse',
      storage: '?',
      origin: '',
      clientId: '',
      clientSecret: '',
      redirectUri: '',
      users: [],
      readyFirstMs: Number.NaN,
      readyRestartMs: Number.NaN,
      idleRssMb: Number.NaN,
      endpoints: {},
    } as unknown as Target;
    return { run: { target: blank, scenarios: [], failure: (error as Error).message.slice(0, 500) } };
  }
}

/** Each scenario's measured time is split into this many rounds (BENCH_ROUNDS, default 4). */
const ROUNDS = Math.max(1, Math.floor(Number(process.env.BENCH_ROUNDS ?? 4)));
// Seconds of argon2id hashing, one and then two at a time, sampled before each round of logins.
const ARGON2_SAMPLE_S = 1.5;

async function runScenario(server: Started, name: string, scenario: (t: Target) => Promise<ScenarioResult>): Promise<void> {
  const { run, target } = server;
  if (!target || run.failure) return;
  log(`${run.target.label}: ${name}`);
  try {
    run.scenarios.push(await scenario(target));
  } catch (error) {
    const message = (error as Error).message.slice(0, 300);
    log(`${run.target.label}: ${name} failed: ${message}`);
    run.scenarios.push({
      key: name.split(' ')[0]!,
      name,
      unit: '-',
      count: 0,
      errors: 1,
      firstError: message,
      rps: 0,
      p50: Number.NaN,
      p99: Number.NaN,
      cpuS: Number.NaN,
      mainCpuS: Number.NaN,
      otherCores: Number.NaN,
      peakRssMb: Number.NaN,
    });
    if (!alive(target.pid)) run.failure = `the server process exited during ${name}`;
  }
  // What the run left to write (PostgreSQL's checkpoint) is written now, not in the next row.
  await target.settle?.();
}

/**
 * The last-level cache: two argon2id hashes at once (2 × 19 MiB) fit in it or not, which decides
 * how much hashing on both cores slows each hash down.
 */
function lastLevelCache(): string {
  const dir = '/sys/devices/system/cpu/cpu0/cache';
  try {
    const read = (index: string, file: string): string => fs.readFileSync(`${dir}/${index}/${file}`, 'utf8').trim();
    const caches = fs
      .readdirSync(dir)
      .filter((name) => name.startsWith('index'))
      .map((index) => ({ index, level: Number(read(index, 'level')) }));
    const last = caches.sort((a, b) => b.level - a.level)[0];
    return last ? `, L${last.level} cache ${read(last.index, 'size')} shared by CPUs ${read(last.index, 'shared_cpu_list')}` : '';
  } catch {
    return '';
  }
}

function machine(): string {
  const cpu = /model name\s*:\s*(.*)/.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? os.cpus()[0]?.model ?? '?';
  return `${os.availableParallelism()} vCPU (${cpu}${lastLevelCache()}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}, ${os.type()} ${os.release()}`;
}

async function main(): Promise<void> {
  const load0 = os.loadavg()[0]!;
  log(`machine: ${machine()}; load average ${load0.toFixed(2)}`);
  // With the logins in the run, their rounds sample argon2id; measuring it here too would be lost.
  const loginsInRun = !onlyScenarios || onlyScenarios.includes('authorization-code');
  const limits: Limits = await measureLimits(log, { argon2: !loginsInRun });
  // Every server runs side by side, idle but for the one under test, and each scenario is run
  // on all of them one after the other: rows compared with each other are measured within a
  // minute or two, not ten minutes apart (this kind of machine drifts in speed over minutes).
  const servers: Started[] = [];
  try {
    for (const s of SERVERS) {
      if (only && !only.includes(s.id)) continue;
      servers.push(await startServer(s));
    }
    const { durationS, loginDurationS } = SETTINGS;
    SETTINGS.durationS = durationS / ROUNDS;
    SETTINGS.loginDurationS = loginDurationS / ROUNDS;
    for (const [name, scenario] of SCENARIOS) {
      if (onlyScenarios && !onlyScenarios.includes(name.split(' ')[0]!)) continue;
      // Password logins are bound by argon2id. Its limit is sampled before every round, so it
      // follows this machine's speed through the scenario as the login rows do; a single
      // measurement before them moved by up to a fifth from run to run.
      const logins = name === 'authorization-code';
      if (logins) limits.argon2Http = await measureArgon2Http(log);
      const argonSamples: { one: RateSample; two: RateSample }[] = [];
      // Rounds in A B B A order, so a machine slowing down (or speeding up) steadily during the
      // scenario costs every server the same.
      for (let round = 0; round < ROUNDS; round++) {
        if (logins) argonSamples.push(await sampleArgon2(ARGON2_SAMPLE_S));
        for (const server of round % 2 === 0 ? servers : [...servers].reverse()) await runScenario(server, name, scenario);
      }
      if (logins) {
        limits.argon2 = combine(argonSamples.map((x) => x.one));
        limits.argon2TwoThreads = combine(argonSamples.map((x) => x.two));
      }
    }
    for (const server of servers) server.run.scenarios = mergeRounds(server.run.scenarios);
  } finally {
    await stopAll();
  }
  const runs = servers.map((s) => s.run);

  const gatehouse = runs.filter((r) => r.target.label.startsWith('Gatehouse'));
  const others = runs.filter((r) => r.target.label.startsWith('oidc-provider'));
  const out: string[] = [];
  out.push('# Gatehouse benchmark');
  out.push(`Machine: ${machine()}. Load average (1 min) before: ${load0.toFixed(2)}, after: ${os.loadavg()[0]!.toFixed(2)}.`);
  out.push(
    `Settings: warm-up ${SETTINGS.warmupS} s, then ${SETTINGS.durationS * ROUNDS} s per scenario (${SETTINGS.loginDurationS * ROUNDS} s for password logins), measured in ${ROUNDS} round${ROUNDS === 1 ? '' : 's'} per server in A B B A order (each round with its own warm-up), every server running throughout; ${SETTINGS.connections} connections / virtual users (${SETTINGS.loginUsers} for password logins); ID tokens ${ID_TOKEN_ALG} on every server (BENCH_ID_TOKEN_ALG); the load generator runs in the harness process on the same machine, so "per vCPU" divides by the server process's own CPU time (utime+stime from /proc). "Other processes" is the rest of the machine's busy CPU during the measured run, less the server and the load generator (PostgreSQL's backends included): well above 0 means something else disturbed that row.`,
  );
  out.push('## Limits (same run)');
  out.push(limitsTable(limits));
  out.push('## Servers');
  for (const r of runs) out.push(serverTable(r, limits));
  if (gatehouse.length && others.length) {
    out.push('## Gatehouse ÷ oidc-provider');
    out.push('Ratio of requests (or logins) per second in this run, PASS when ≥ 1; in brackets the ratio per vCPU (server CPU time).');
    out.push(comparisonTable(gatehouse, others));
    const noise = noiseNote(others);
    if (noise) out.push(noise);
  }
  out.push('## Bars');
  for (const g of gatehouse) out.push(barsTable(g, others, limits));
  out.push(`Total bench time: ${((performance.now() - started) / 1000).toFixed(0)} s.`);
  process.stdout.write(`${out.join('\n\n')}\n`);
}

await main();
