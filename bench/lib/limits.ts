/**
 * The ceilings no scenario can beat, measured in the same run: argon2id with Gatehouse's
 * parameters, ES256/RS256 signatures and ES256 verification (node:crypto, the floor, and jose),
 * and a trivial endpoint on the same HTTP stack. "Per CPU-second" figures divide by this
 * process's (or the trivial server's) CPU time, so they compare with per-vCPU server figures.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hash } from '@node-rs/argon2';
import { SignJWT, generateKeyPair, jwtVerify } from 'jose';
import { measure, rssMb } from './metrics.js';
import { SETTINGS, cannon } from './scenario.js';
import { freePort, spawnServer } from './spawn.js';
import type { Target } from './target.js';

// packages/server/src/auth/password.ts ARGON2_OPTIONS (2 is Argon2id).
export const ARGON2 = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export interface Rate {
  perSecond: number;
  perCpuSecond: number;
}

export interface Limits {
  argon2: Rate;
  argon2TwoThreads: Rate;
  /** A server that only verifies passwords, as many at once as Gatehouse (measured before logins). */
  argon2Http?: Rate;
  /** jose (WebCrypto, asynchronous): how oidc-provider signs and Gatehouse verifies. */
  es256Sign: Rate;
  rs256Sign: Rate;
  es256Verify: Rate;
  /** node:crypto (OpenSSL, synchronous): the floor any signer in Node pays. */
  es256SignNative: Rate;
  rs256SignNative: Rate;
  es256VerifyNative: Rate;
  http: Rate & { p50: number; p99: number; idleRssMb: number; readyMs: number };
}

/** Operations done, and the wall and CPU seconds they took. */
export interface RateSample {
  n: number;
  wallS: number;
  cpuS: number;
}

/** The rate of several samples taken apart: all operations over all the time they took. */
export function combine(samples: readonly RateSample[]): Rate {
  const total = samples.reduce((sum, x) => ({ n: sum.n + x.n, wallS: sum.wallS + x.wallS, cpuS: sum.cpuS + x.cpuS }), { n: 0, wallS: 0, cpuS: 0 });
  return { perSecond: total.n / total.wallS, perCpuSecond: total.n / total.cpuS };
}

/** `inFlight` loops each doing `op` back to back for `seconds`. */
async function sample(seconds: number, inFlight: number, op: () => Promise<unknown>): Promise<RateSample> {
  for (let i = 0; i < 3; i++) await op();
  let n = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const deadline = t0 + seconds * 1000;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (performance.now() < deadline) {
        await op();
        n++;
      }
    }),
  );
  const cpu = process.cpuUsage(cpu0);
  return { n, wallS: (performance.now() - t0) / 1000, cpuS: (cpu.user + cpu.system) / 1e6 };
}

/** Rate per wall and per CPU second of `op`, `inFlight` at a time. */
async function rate(seconds: number, inFlight: number, op: () => Promise<unknown>): Promise<Rate> {
  return combine([await sample(seconds, inFlight, op)]);
}

/** One of the reference servers in bench/servers, started on a free port. */
async function referenceServer(file: string): Promise<{ t: Target; server: Awaited<ReturnType<typeof spawnServer>> }> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const app = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'servers', file);
  // A .ts reference server uses Gatehouse's own sources, through tsx.
  const args = file.endsWith('.ts') ? ['--import', 'tsx', app] : [app];
  const server = await spawnServer(process.execPath, args, { ...process.env, PORT: String(port) }, `${origin}/readyz`);
  return { t: { origin, pid: server.pid } as Target, server };
}

/**
 * Verifications per second and per CPU-second of a server that does nothing else, driven by as
 * many connections as the login scenario has virtual users: the HTTP layer, and hashes running
 * side by side as in Gatehouse, which cost more each than one alone.
 */
async function argon2BehindHttp(): Promise<Rate> {
  const { t, server } = await referenceServer('argon2-hono.ts');
  try {
    const run = { seconds: SETTINGS.warmupS, method: 'POST', path: '/', connections: SETTINGS.loginUsers } as const;
    await cannon(t, run);
    const m = await measure(server.pid, () => cannon(t, { ...run, seconds: 6 }));
    if (m.value.errors) throw new Error(`argon2 server: ${m.value.firstError}`);
    return { perSecond: m.value.count / m.value.elapsedS, perCpuSecond: m.value.count / m.cpuS };
  } finally {
    await server.stop();
  }
}

async function httpCeiling(): Promise<Limits['http']> {
  const { t, server } = await referenceServer('trivial-hono.mjs');
  try {
    await new Promise((r) => setTimeout(r, 1000));
    const idleRssMb = rssMb(server.pid);
    await cannon(t, { seconds: SETTINGS.warmupS, path: '/' });
    const m = await measure(server.pid, () => cannon(t, { seconds: SETTINGS.durationS, path: '/' }));
    if (m.value.errors) throw new Error(`trivial endpoint: ${m.value.firstError}`);
    const perSecond = m.value.count / m.value.elapsedS;
    return { perSecond, perCpuSecond: m.value.count / m.cpuS, p50: m.value.p50, p99: m.value.p99, idleRssMb, readyMs: server.readyMs };
  } finally {
    await server.stop();
  }
}

const argon = (): Promise<string> => hash('correct horse battery staple', ARGON2);

/** argon2id hashes per second and per CPU-second, one at a time and two at a time. */
export async function measureArgon2(log: (s: string) => void): Promise<Pick<Limits, 'argon2' | 'argon2TwoThreads'>> {
  log('limits: argon2id');
  return { argon2: await rate(3, 1, argon), argon2TwoThreads: await rate(3, 2, argon) };
}

/** One short sample of argon2id, one at a time and two at a time (see Argon2Samples). */
export async function sampleArgon2(seconds: number): Promise<{ one: RateSample; two: RateSample }> {
  return { one: await sample(seconds, 1, argon), two: await sample(seconds, 2, argon) };
}

/** A server that only verifies passwords (argon2BehindHttp), for the login rows. */
export async function measureArgon2Http(log: (s: string) => void): Promise<Rate> {
  log('limits: a server that only verifies passwords');
  return argon2BehindHttp();
}

/**
 * Every limit. With `argon2: false` the argon2id rates are left unmeasured (NaN), for a run
 * whose login rounds sample them (run.ts).
 */
export async function measureLimits(log: (s: string) => void, options: { argon2: boolean } = { argon2: true }): Promise<Limits> {
  const unmeasured: Rate = { perSecond: Number.NaN, perCpuSecond: Number.NaN };
  const { argon2, argon2TwoThreads } = options.argon2 ? await measureArgon2(log) : { argon2: unmeasured, argon2TwoThreads: unmeasured };
  log('limits: ES256 / RS256');
  const es = await generateKeyPair('ES256');
  const rs = await generateKeyPair('RS256', { modulusLength: 2048 });
  const claims = {
    iss: 'http://127.0.0.1:3000',
    sub: 'user-1',
    aud: 'http://127.0.0.1:3000',
    client_id: 'bench',
    scope: 'openid profile email api',
    jti: 'x'.repeat(22),
  };
  const sign = (alg: string, key: CryptoKey) => () =>
    new SignJWT(claims).setProtectedHeader({ alg, typ: 'at+jwt', kid: 'k1' }).setIssuedAt().setExpirationTime('15m').sign(key);
  const es256Sign = await rate(2, 1, sign('ES256', es.privateKey));
  const rs256Sign = await rate(2, 1, sign('RS256', rs.privateKey));
  const sample = await sign('ES256', es.privateKey)();
  const es256Verify = await rate(2, 1, () => jwtVerify(sample, es.publicKey));
  const [head = '', body = '', sig = ''] = sample.split('.');
  const input = Buffer.from(`${head}.${body}`);
  const signature = Buffer.from(sig, 'base64url');
  const esKey = crypto.KeyObject.from(es.privateKey);
  const esPublic = crypto.KeyObject.from(es.publicKey);
  const rsKey = crypto.KeyObject.from(rs.privateKey);
  const native = (op: () => unknown) => () => Promise.resolve(op());
  const es256SignNative = await rate(
    1,
    1,
    native(() => crypto.sign('sha256', input, { key: esKey, dsaEncoding: 'ieee-p1363' })),
  );
  const rs256SignNative = await rate(
    1,
    1,
    native(() => crypto.sign('sha256', input, rsKey)),
  );
  const es256VerifyNative = await rate(
    1,
    1,
    native(() => crypto.verify('sha256', input, { key: esPublic, dsaEncoding: 'ieee-p1363' }, signature)),
  );
  log('limits: HTTP layer (trivial Hono endpoint)');
  const http = await httpCeiling();
  return { argon2, argon2TwoThreads, es256Sign, rs256Sign, es256Verify, es256SignNative, rs256SignNative, es256VerifyNative, http };
}
