import { sql } from 'kysely';
import { type Config, isLoopbackHost } from '../config.js';
import { DEFAULT_ISSUER_ID } from '../issuers/ids.js';
import type { IssuerScope } from '../issuers/scope.js';
import { verifyMailer } from '../mail/mailer.js';
import type { Store } from '../store/db.js';
import { MIGRATION_NAMES } from '../store/migrate.js';
import { SIGNING_ALGS } from '../tokens/keys.js';

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'info';

/** One line of `gatehouse doctor`'s report. */
export interface CheckResult {
  check: string;
  status: CheckStatus;
  message: string;
  /** The issuer the check is about, for the checks made for each. */
  issuer?: string;
}

const CLOCK_WARN_SECONDS = 2;
// Beyond this, tokens are refused as not yet valid or expired by clients with a right clock.
const CLOCK_FAIL_SECONDS = 30;
// No real clock is before this program was written.
const EARLIEST_SANE = Date.UTC(2025, 0, 1) / 1000;

export function issuerUrlCheck(issuer: string, url: string): CheckResult {
  const parsed = new URL(url);
  if (parsed.protocol === 'https:') return { check: 'issuer', issuer, status: 'ok', message: `${url} is https` };
  if (isLoopbackHost(parsed.hostname))
    return { check: 'issuer', issuer, status: 'warn', message: `${url} is http on loopback: fine on this machine, not for anyone else` };
  return { check: 'issuer', issuer, status: 'fail', message: `${url} must be https (only loopback may be http)` };
}

/** Reachable, and every migration this version knows applied (nothing pending, nothing unknown). */
export async function databaseCheck(store: Store, shown: string): Promise<CheckResult> {
  let applied: string[];
  try {
    const rows = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(store.db);
    applied = rows.rows.map((r) => r.name);
  } catch (error) {
    return { check: 'database', status: 'fail', message: `${shown}: ${(error as Error).message}` };
  }
  const pending = MIGRATION_NAMES.filter((name) => !applied.includes(name));
  const unknown = applied.filter((name) => !MIGRATION_NAMES.includes(name));
  if (pending.length > 0)
    return {
      check: 'database',
      status: 'fail',
      message: `${shown}: ${pending.length} migration(s) not applied (${pending.join(', ')}); run gatehouse migrate`,
    };
  if (unknown.length > 0)
    return {
      check: 'database',
      status: 'warn',
      message: `${shown}: migrated by a newer Gatehouse (${unknown.join(', ')}); this version may not understand the data`,
    };
  return { check: 'database', status: 'ok', message: `${shown}: reachable, ${applied.length} migrations applied` };
}

/** This machine's clock against the database's (PostgreSQL), or at least against the calendar. */
export async function clockCheck(store: Store, now: number): Promise<CheckResult> {
  if (now < EARLIEST_SANE) return { check: 'clock', status: 'fail', message: `this machine's clock says ${new Date(now * 1000).toISOString()}` };
  if (store.backend !== 'postgres')
    return { check: 'clock', status: 'ok', message: `${new Date(now * 1000).toISOString()}; SQLite uses this machine's clock (keep it synchronised with NTP)` };
  const row = (await sql<{ now: string | number }>`select extract(epoch from clock_timestamp()) as now`.execute(store.db)).rows[0];
  const skew = Math.abs(Number(row?.now) - now);
  const status: CheckStatus = skew > CLOCK_FAIL_SECONDS ? 'fail' : skew > CLOCK_WARN_SECONDS ? 'warn' : 'ok';
  return {
    check: 'clock',
    status,
    message: `this machine and PostgreSQL differ by ${skew.toFixed(1)} s${status === 'ok' ? '' : '; synchronise both with NTP (tokens carry times)'}`,
  };
}

interface KeyRow {
  kid: string;
  alg: string;
  activates_at: number;
  retires_at: number | null;
  expires_at: number | null;
}

/**
 * Each algorithm has a key signing now, a key whose retirement is scheduled has its successor
 * published already, and no signing key is long past its rotation (the maintenance is running).
 * Read from the table, so the check creates no key where there is none.
 */
export async function keysCheck(store: Store, config: Config, issuer: string, now: number): Promise<CheckResult> {
  const rows = (await store.db
    .selectFrom('signing_keys')
    .select(['kid', 'alg', 'activates_at', 'retires_at', 'expires_at'])
    .where('issuer_id', '=', issuer)
    .execute()) as KeyRow[];
  const published = rows.filter((k) => k.expires_at === null || k.expires_at > now);
  const problems: string[] = [];
  const notes: string[] = [];
  const missing: string[] = [];
  for (const alg of SIGNING_ALGS) {
    const ofAlg = published.filter((k) => k.alg === alg);
    const signing = ofAlg.filter((k) => k.activates_at <= now && (k.retires_at === null || k.retires_at > now));
    if (signing.length === 0) {
      missing.push(alg);
      continue;
    }
    for (const key of signing) {
      if (
        key.retires_at !== null &&
        !ofAlg.some((k) => k.kid !== key.kid && k.activates_at <= key.retires_at! && (k.retires_at === null || k.retires_at > key.retires_at!))
      ) {
        problems.push(`${alg} key ${key.kid} retires with no published successor`);
      }
      const age = now - key.activates_at;
      if (config.keyRotationDays > 0 && age > (config.keyRotationDays + 1) * 86_400) {
        notes.push(
          `${alg} key ${key.kid} has signed for ${Math.floor(age / 86_400)} days, past GATEHOUSE_KEY_ROTATION_DAYS=${config.keyRotationDays} (is a server running?)`,
        );
      }
    }
  }
  if (missing.length > 0)
    problems.unshift(`no ${missing.join(', ')} key signs now (the server creates them at start: run gatehouse serve once, or gatehouse keys rotate)`);
  if (problems.length > 0) return { check: 'keys', issuer, status: 'fail', message: problems.join('; ') };
  const pending = published.filter((k) => k.activates_at > now).length;
  const summary = `${published.length} published (${SIGNING_ALGS.join(', ')} signing${pending ? `, ${pending} pending` : ''})`;
  if (notes.length > 0) return { check: 'keys', issuer, status: 'warn', message: `${summary}; ${notes.join('; ')}` };
  return { check: 'keys', issuer, status: 'ok', message: summary };
}

export function cookieCheck(scope: IssuerScope): CheckResult {
  const { cookies } = scope;
  if (cookies.secure)
    return { check: 'cookies', issuer: scope.id, status: 'ok', message: `Secure, HttpOnly, SameSite=Lax (session cookie ${cookies.sessionName})` };
  const host = new URL(scope.url).hostname;
  if (isLoopbackHost(host))
    return { check: 'cookies', issuer: scope.id, status: 'warn', message: 'not Secure, as the issuer is http on loopback: fine on this machine only' };
  return { check: 'cookies', issuer: scope.id, status: 'fail', message: 'cookies are not Secure: the issuer must be https' };
}

function insecureUri(uri: string): boolean {
  try {
    const url = new URL(uri);
    return url.protocol === 'http:' && !isLoopbackHost(url.hostname);
  } catch {
    return false;
  }
}

/** Codes and logouts must not travel over plain http to another machine (RFC 9700 §2.6, §4.1). */
export async function redirectUriCheck(scope: IssuerScope): Promise<CheckResult> {
  const clients = await scope.repos.clients.list();
  const bad = clients.filter((c) => [...c.redirectUris, ...c.postLogoutRedirectUris].some(insecureUri));
  if (bad.length === 0)
    return { check: 'redirect_uris', issuer: scope.id, status: 'ok', message: `${clients.length} client(s), none with an http redirect URI off loopback` };
  const listed = bad.slice(0, 10).map((c) => `${c.id} (${[...c.redirectUris, ...c.postLogoutRedirectUris].filter(insecureUri).join(' ')})`);
  return {
    check: 'redirect_uris',
    issuer: scope.id,
    status: 'fail',
    message: `http redirect URIs off loopback: ${listed.join(', ')}${bad.length > 10 ? ', …' : ''}; change them with gatehouse client update`,
  };
}

export async function smtpCheck(config: Config): Promise<CheckResult> {
  const mail = config.mail;
  if (!mail) return { check: 'smtp', status: 'info', message: 'not configured (GATEHOUSE_SMTP_URL): password reset by mail is off' };
  const where = `${mail.secure ? 'smtps' : 'smtp'}://${mail.host}:${mail.port}`;
  try {
    await verifyMailer(mail);
  } catch (error) {
    return { check: 'smtp', status: 'fail', message: `${where}: ${(error as Error).message.slice(0, 300)}` };
  }
  const tls = mail.secure ? 'TLS with a verified certificate' : mail.requireTls ? 'STARTTLS with a verified certificate' : 'STARTTLS when offered (loopback)';
  return {
    check: 'smtp',
    status: mail.secure || mail.requireTls ? 'ok' : 'warn',
    message: `${where}: reachable, ${tls}${mail.auth ? ', login accepted' : ''}`,
  };
}

export function backupCheck(config: Config): CheckResult | undefined {
  if (!config.databaseUrl.startsWith('sqlite:')) return undefined;
  const file = config.databaseUrl.slice('sqlite:'.length);
  return {
    check: 'backups',
    status: 'info',
    message: `SQLite at ${file}: back it up with \`sqlite3 ${file} ".backup backup.db"\` (or Litestream), never by copying the file while the server runs; keep ${config.dataDir}/secret with it unless GATEHOUSE_SECRET is set (docs/production.md)`,
  };
}

/** The issuer ids to check: the default one first. */
export function orderIssuers(ids: string[]): string[] {
  return [DEFAULT_ISSUER_ID, ...ids.filter((id) => id !== DEFAULT_ISSUER_ID).sort()];
}
