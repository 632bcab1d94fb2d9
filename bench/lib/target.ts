/** What a scenario needs to know about a running server, whichever product it is. */
export interface BenchUser {
  email: string;
  password: string;
  name: string;
}

export interface Target {
  /** Row label, e.g. "Gatehouse (SQLite)". */
  label: string;
  product: 'gatehouse' | 'oidc-provider';
  /** Where the server keeps its state, shown in the tables. */
  storage: string;
  origin: string;
  pid: number;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  users: BenchUser[];
  /** Spawn to first /readyz 200 on an empty data directory (migrations, key generation). */
  readyFirstMs: number;
  /** The same on a restart with data already there (median of 3). */
  readyRestartMs: number;
  idleRssMb: number;
  /** Cumulative CPU seconds of the database server's processes for this run (PostgreSQL only). */
  databaseCpuS?: () => number;
  /** The same in nanoseconds, from the scheduler (fine enough for one request; PostgreSQL only). */
  databaseNs?: () => number;
  /** The signing secret of the webhook endpoint the launcher registered, when asked to. */
  webhookSecret?: string;
  endpoints: { authorize: string; token: string; userinfo: string; introspect: string; jwks: string; discovery: string };
  stop(): Promise<void>;
  /** Called after each scenario: writes out what the run left dirty (PostgreSQL: CHECKPOINT). */
  settle?(): Promise<void>;
}

export const REDIRECT_URI = 'http://127.0.0.1:9/cb';
/**
 * The client's ID token algorithm, the same on every server. ES256 unless BENCH_ID_TOKEN_ALG says
 * RS256: an RS256 signature alone costs about a millisecond of CPU (see the limits table).
 */
export const ID_TOKEN_ALG: 'ES256' | 'RS256' = (() => {
  const alg = process.env.BENCH_ID_TOKEN_ALG ?? 'ES256';
  if (alg !== 'ES256' && alg !== 'RS256') throw new Error('BENCH_ID_TOKEN_ALG must be ES256 or RS256');
  return alg;
})();
/** Scopes of the one client; client_credentials uses the non-user one. */
export const CLIENT_SCOPES = 'openid profile email api';
export const USER_COUNT = 8;
export const SECRET = 'bench-secret-0123456789-bench-secret-0123456789';

export function benchUsers(): BenchUser[] {
  return Array.from({ length: USER_COUNT }, (_, i) => ({
    email: `u${i + 1}@example.com`,
    password: `bench password ${i + 1} correct horse`,
    name: `Bench User ${i + 1}`,
  }));
}

export function basicAuth(t: Pick<Target, 'clientId' | 'clientSecret'>): string {
  const enc = (s: string): string => encodeURIComponent(s).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${enc(t.clientId)}:${enc(t.clientSecret)}`).toString('base64')}`;
}

/** Reads the endpoints from discovery, as a client would; returns paths relative to the origin. */
export async function discover(origin: string): Promise<Target['endpoints']> {
  const discovery = '/.well-known/openid-configuration';
  const res = await fetch(origin + discovery);
  if (res.status !== 200) throw new Error(`discovery answered ${res.status}`);
  const meta = (await res.json()) as Record<string, string>;
  const path = (key: string): string => {
    if (!meta[key]) throw new Error(`discovery has no ${key}`);
    return new URL(meta[key]).pathname;
  };
  return {
    authorize: path('authorization_endpoint'),
    token: path('token_endpoint'),
    userinfo: path('userinfo_endpoint'),
    introspect: path('introspection_endpoint'),
    jwks: path('jwks_uri'),
    discovery,
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
