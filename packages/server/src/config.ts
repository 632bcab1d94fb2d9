import { CLIENT_CACHE_MAX_AGE_MS } from './store/client-cache.js';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultHashThreads } from './auth/hash-threads.js';
import { DEFAULT_PASSWORD_COST, type PasswordCost } from './auth/password.js';
import { type LogLevel, isLogLevel } from './log.js';
import { type AllowedHost, parseAllowedHosts } from './webhooks/outbound.js';

/** Every setting Gatehouse reads, validated once at start-up. */
export interface Config {
  issuer: string;
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string;
  /** Whether GATEHOUSE_DATABASE_URL was set (else the database is the data folder's SQLite file). */
  databaseExplicit: boolean;
  /** PostgreSQL connections per instance. */
  databasePoolSize: number;
  /** PostgreSQL: keep clients in memory, dropped on change notifications (client-cache.ts). */
  clientCache: boolean;
  /** Seconds a cached client is trusted without a reload, were a change notification lost. */
  clientCacheMaxAge: number;
  /** Most argon2id hashes at once, each on a thread of its own (auth/hash-threads.ts). */
  hashThreads: number;
  /** What each new argon2id hash costs; stored hashes made otherwise are replaced at sign-in. */
  passwordCost: PasswordCost;
  /** Master secret from GATEHOUSE_SECRET; undefined means "use or create the one in dataDir". */
  secret: string | undefined;
  accessTokenTtl: number;
  idTokenTtl: number;
  refreshTokenTtl: number;
  codeTtl: number;
  sessionTtl: number;
  interactionTtl: number;
  /** Days a signing key signs before a new one replaces it; 0 turns automatic rotation off. */
  keyRotationDays: number;
  /** Seconds a new key is published before it signs (longer than any verifier's JWKS cache). */
  keyPublishLead: number;
  /** Seconds between readiness failing and the server closing on SIGTERM (load balancer catch-up). */
  drainSeconds: number;
  trustProxy: boolean;
  brand: { name: string; color: string; background: string };
  login: { maxFailures: number; windowSeconds: number };
  /** Outgoing mail (password reset); undefined when GATEHOUSE_SMTP_URL is not set: the feature is off. */
  mail: MailConfig | undefined;
  /** The least severe log lines written (GATEHOUSE_LOG_LEVEL). */
  logLevel: LogLevel;
  /**
   * Prometheus metrics: off, at /metrics on the main port (GATEHOUSE_METRICS=on), or on a
   * loopback port of their own (GATEHOUSE_METRICS_PORT).
   */
  metrics: { mode: 'off' } | { mode: 'main' } | { mode: 'port'; port: number };
  /** Hosts webhooks may reach whatever their address, and over plain http (GATEHOUSE_WEBHOOK_ALLOWED_HOSTS). */
  webhookAllowedHosts: AllowedHost[];
  /**
   * Where new passwords are looked up as breached (abuse/breached.ts): a Have I Been Pwned
   * compatible range API, or local range files; undefined when GATEHOUSE_BREACHED_PASSWORDS_URL
   * is not set (the check is off).
   */
  breachedPasswords: BreachedPasswordSource | undefined;
}

/** A k-anonymity range service (`<url>/<5 hex>`), or a folder of range files, or one file of full hashes. */
export type BreachedPasswordSource = { kind: 'http'; url: string } | { kind: 'directory'; path: string } | { kind: 'file'; path: string };

/** Where and as whom Gatehouse sends mail, from GATEHOUSE_SMTP_URL and GATEHOUSE_MAIL_FROM. */
export interface MailConfig {
  host: string;
  port: number;
  /** smtps://: TLS from the first byte; smtp:// upgrades with STARTTLS. */
  secure: boolean;
  /** smtp:// to a host that is not loopback must upgrade, or the link would cross networks in clear. */
  requireTls: boolean;
  auth: { user: string; pass: string } | undefined;
  from: { name: string; address: string };
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname);
}

function readIssuer(env: Env, port: number): string {
  const name = 'GATEHOUSE_ISSUER';
  // Unset, it is this machine on the port it listens on: a local start on another PORT must not
  // advertise endpoints on 3000 (port 0, an ephemeral one, cannot be named in advance).
  const raw = env[name] ?? `http://localhost:${port === 0 ? 3000 : port}`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, `"${raw}" is not an absolute URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(name, 'must be an http or https URL');
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new ConfigError(name, 'must use https unless the host is loopback (localhost, 127.0.0.1, [::1])');
  }
  if (url.search || url.hash || raw.includes('?') || raw.includes('#')) {
    throw new ConfigError(name, 'must not contain a query or fragment');
  }
  if (url.username || url.password) throw new ConfigError(name, 'must not contain credentials');
  // The issuer is compared byte for byte by relying parties, so it is kept without a trailing slash.
  return url.href.replace(/\/+$/, '');
}

function readInt(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `"${raw}" is not a whole number`);
  const value = Number(raw.trim());
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}`);
  return value;
}

// OWASP's weakest setting of equal strength is 7 MiB over 5 iterations: no cheaper product.
const MIN_MEMORY_KIB = 7_168;
const MIN_MEMORY_TIMES_ITERATIONS = 7_168 * 5;

/** The argon2id cost, refused when weaker than any setting OWASP's password storage guide lists. */
function readPasswordCost(env: Env): PasswordCost {
  const memoryKib = readInt(env, 'GATEHOUSE_ARGON2_MEMORY_KIB', DEFAULT_PASSWORD_COST.memoryKib, MIN_MEMORY_KIB, 1_048_576);
  const iterations = readInt(env, 'GATEHOUSE_ARGON2_ITERATIONS', DEFAULT_PASSWORD_COST.iterations, 1, 64);
  if (memoryKib * iterations < MIN_MEMORY_TIMES_ITERATIONS) {
    throw new ConfigError(
      'GATEHOUSE_ARGON2_ITERATIONS',
      `${memoryKib} KiB over ${iterations} iteration${iterations === 1 ? '' : 's'} is weaker than OWASP's minimum; memory (KiB) × iterations must be at least ${MIN_MEMORY_TIMES_ITERATIONS} (19456 × 2, 12288 × 3, 9216 × 4, 7168 × 5)`,
    );
  }
  return { memoryKib, iterations };
}

function readBool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(name, `"${env[name]}" is not true or false`);
}

function readColor(env: Env, name: string, fallback: string): string {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if (!/^#[0-9a-fA-F]{6}$/.test(raw)) throw new ConfigError(name, 'must be a colour like #1f6feb');
  return raw;
}

function readDatabaseUrl(env: Env, dataDir: string): string {
  const name = 'GATEHOUSE_DATABASE_URL';
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return `sqlite:${path.join(dataDir, 'gatehouse.db')}`;
  if (/^postgres(ql)?:\/\//.test(raw)) {
    try {
      new URL(raw);
    } catch {
      throw new ConfigError(name, 'is not a valid postgres:// URL');
    }
    return raw;
  }
  if (raw.startsWith('sqlite:')) {
    const file = raw.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (!file) throw new ConfigError(name, 'sqlite: needs a file path, e.g. sqlite:./data/gatehouse.db');
    return `sqlite:${file === ':memory:' ? file : path.resolve(file)}`;
  }
  throw new ConfigError(name, 'must start with postgres://, postgresql:// or sqlite:');
}

function readSecret(env: Env): string | undefined {
  const raw = env.GATEHOUSE_SECRET;
  if (raw === undefined || raw === '') return undefined;
  if (raw.length < 32) throw new ConfigError('GATEHOUSE_SECRET', 'must be at least 32 characters (e.g. `openssl rand -base64 32`)');
  return raw;
}

function readSmtpUrl(env: Env): Omit<MailConfig, 'from'> {
  const name = 'GATEHOUSE_SMTP_URL';
  const raw = (env[name] ?? '').trim();
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // The value may hold a password, so it is not repeated in the message.
    throw new ConfigError(name, 'is not a valid URL (e.g. smtp://user:password@mail.example.com:587)');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new ConfigError(name, 'must start with smtp:// or smtps://');
  if (!url.hostname) throw new ConfigError(name, 'must name a host, e.g. smtp://mail.example.com:587');
  if ((url.pathname !== '' && url.pathname !== '/') || url.search || url.hash || raw.includes('?') || raw.includes('#')) {
    throw new ConfigError(name, 'must be only smtp[s]://[user:password@]host[:port], without a path, query or fragment');
  }
  if (url.port === '0') throw new ConfigError(name, 'the port must be between 1 and 65535');
  if (url.password && !url.username) throw new ConfigError(name, 'has a password without a user name');
  let auth: MailConfig['auth'];
  try {
    auth = url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined;
  } catch {
    throw new ConfigError(name, 'the user name or password is not valid percent-encoding');
  }
  const secure = url.protocol === 'smtps:';
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return {
    host,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    requireTls: !secure && !isLoopbackHost(url.hostname),
    auth,
  };
}

// A bare address, or a display name and an address in angle brackets; no quoting or comments.
const MAIL_ADDRESS = /^[^\s@<>"(),;:\\]+@[^\s@<>"(),;:\\]+\.[^\s@<>"(),;:\\]+$/;

function readMailFrom(env: Env): MailConfig['from'] {
  const name = 'GATEHOUSE_MAIL_FROM';
  const raw = (env[name] ?? '').trim();
  // Control characters (a newline above all) would let the value write headers of its own.
  if (/\p{Cc}/u.test(raw)) throw new ConfigError(name, 'must not contain control characters');
  if (raw.length > 320) throw new ConfigError(name, 'must be at most 320 characters');
  const named = /^(.*?)\s*<([^<>]*)>$/.exec(raw);
  const display = (named?.[1] ?? '').replace(/^"(.*)"$/, '$1').trim();
  const address = named ? (named[2] ?? '').trim() : raw;
  if (!MAIL_ADDRESS.test(address) || /[<>"]/.test(display)) {
    throw new ConfigError(name, 'must be an address like no-reply@example.com or Gatehouse <no-reply@example.com>');
  }
  return { name: display, address };
}

/** Mail settings: both variables or neither (the password reset is then off). */
function readMail(env: Env): MailConfig | undefined {
  const url = env.GATEHOUSE_SMTP_URL?.trim() ?? '';
  const from = env.GATEHOUSE_MAIL_FROM?.trim() ?? '';
  if (url === '' && from === '') return undefined;
  if (url === '') throw new ConfigError('GATEHOUSE_SMTP_URL', 'must be set when GATEHOUSE_MAIL_FROM is (set both, or neither)');
  if (from === '') throw new ConfigError('GATEHOUSE_MAIL_FROM', 'must be set when GATEHOUSE_SMTP_URL is (set both, or neither)');
  return { ...readSmtpUrl(env), from: readMailFrom(env) };
}

/**
 * GATEHOUSE_BREACHED_PASSWORDS_URL: an https URL (http only to loopback, like the issuer), a
 * file: URL or a path. A path or file: URL to a folder holds range files named by prefix; to a
 * file, full SHA-1 hashes. Whether it exists is checked when it is used, not here: a missing
 * file is a warning at check time, as an unreachable service is.
 */
function readBreachedPasswords(env: Env): BreachedPasswordSource | undefined {
  const name = 'GATEHOUSE_BREACHED_PASSWORDS_URL';
  const raw = env[name]?.trim() ?? '';
  if (raw === '') return undefined;
  let file: string;
  if (/^https?:\/\//i.test(raw)) {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new ConfigError(name, 'is not a valid URL (e.g. https://api.pwnedpasswords.com/range)');
    }
    if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) throw new ConfigError(name, 'must use https unless the host is loopback');
    if (url.search || url.hash || url.username || url.password) throw new ConfigError(name, 'must not contain a query, fragment or credentials');
    return { kind: 'http', url: url.href.replace(/\/+$/, '') };
  }
  if (/^file:/i.test(raw)) {
    try {
      file = fileURLToPath(raw);
    } catch {
      throw new ConfigError(name, 'is not a valid file: URL');
    }
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) {
    throw new ConfigError(name, 'must be an https URL, a file: URL or a path');
  } else {
    file = raw;
  }
  const resolved = path.resolve(file);
  // A path ending in a separator, or one that is a folder now, holds range files; else one file.
  let folder = /[\\/]$/.test(file);
  try {
    folder ||= fs.statSync(resolved).isDirectory();
  } catch {
    // Not there yet: decided by its spelling; the check warns when it is used.
  }
  return { kind: folder ? 'directory' : 'file', path: resolved };
}

function readLogLevel(env: Env): LogLevel {
  const raw = env.GATEHOUSE_LOG_LEVEL?.trim().toLowerCase();
  if (raw === undefined || raw === '') return 'info';
  if (!isLogLevel(raw)) throw new ConfigError('GATEHOUSE_LOG_LEVEL', `"${env.GATEHOUSE_LOG_LEVEL}" is not one of debug, info, warn, error`);
  return raw;
}

function readMetrics(env: Env): Config['metrics'] {
  const on = readBool(env, 'GATEHOUSE_METRICS', false);
  // Set, it is the port (0: one the system picks, for tests); metrics then leave the main port.
  if ((env.GATEHOUSE_METRICS_PORT?.trim() ?? '') !== '') return { mode: 'port', port: readInt(env, 'GATEHOUSE_METRICS_PORT', 0, 0, 65535) };
  return on ? { mode: 'main' } : { mode: 'off' };
}

function readWebhookAllowedHosts(env: Env): AllowedHost[] {
  try {
    return parseAllowedHosts(env.GATEHOUSE_WEBHOOK_ALLOWED_HOSTS ?? '');
  } catch (error) {
    throw new ConfigError(
      'GATEHOUSE_WEBHOOK_ALLOWED_HOSTS',
      `${(error as Error).message} (a comma-separated list like hooks.internal,10.0.0.5:8443,[::1]:9000)`,
    );
  }
}

export function loadConfig(env: Env = process.env): Config {
  const port = readInt(env, 'PORT', 3000, 0, 65535);
  const issuer = readIssuer(env, port);
  const dataDir = path.resolve(env.GATEHOUSE_DATA_DIR?.trim() || 'data');
  const name = env.GATEHOUSE_BRAND_NAME?.trim() || 'Gatehouse';
  if (name.length > 60) throw new ConfigError('GATEHOUSE_BRAND_NAME', 'must be at most 60 characters');
  const loopback = isLoopbackHost(new URL(issuer).hostname);
  return {
    issuer,
    port,
    host: env.GATEHOUSE_HOST?.trim() || (loopback ? '127.0.0.1' : '0.0.0.0'),
    dataDir,
    databaseUrl: readDatabaseUrl(env, dataDir),
    databaseExplicit: (env.GATEHOUSE_DATABASE_URL?.trim() ?? '') !== '',
    databasePoolSize: readInt(env, 'GATEHOUSE_DATABASE_POOL_SIZE', 10, 1, 500),
    clientCache: readBool(env, 'GATEHOUSE_CLIENT_CACHE', true),
    clientCacheMaxAge: readInt(env, 'GATEHOUSE_CLIENT_CACHE_MAX_AGE', CLIENT_CACHE_MAX_AGE_MS / 1000, 1, 3600),
    hashThreads: readInt(env, 'GATEHOUSE_HASH_THREADS', defaultHashThreads(), 1, 256),
    passwordCost: readPasswordCost(env),
    secret: readSecret(env),
    accessTokenTtl: readInt(env, 'GATEHOUSE_ACCESS_TOKEN_TTL', 900, 60, 86_400),
    idTokenTtl: readInt(env, 'GATEHOUSE_ID_TOKEN_TTL', 3600, 60, 86_400),
    refreshTokenTtl: readInt(env, 'GATEHOUSE_REFRESH_TOKEN_TTL', 30 * 86_400, 300, 365 * 86_400),
    codeTtl: readInt(env, 'GATEHOUSE_CODE_TTL', 60, 10, 600),
    sessionTtl: readInt(env, 'GATEHOUSE_SESSION_TTL', 14 * 86_400, 300, 365 * 86_400),
    interactionTtl: 600,
    keyRotationDays: readInt(env, 'GATEHOUSE_KEY_ROTATION_DAYS', 90, 0, 3650),
    keyPublishLead: readInt(env, 'GATEHOUSE_KEY_PUBLISH_LEAD', 120, 4, 86_400),
    drainSeconds: readInt(env, 'GATEHOUSE_DRAIN_SECONDS', 0, 0, 300),
    trustProxy: readBool(env, 'GATEHOUSE_TRUST_PROXY', false),
    brand: {
      name,
      color: readColor(env, 'GATEHOUSE_BRAND_COLOR', '#1f4fd1'),
      background: readColor(env, 'GATEHOUSE_BRAND_BACKGROUND', '#f5f6f8'),
    },
    login: {
      maxFailures: readInt(env, 'GATEHOUSE_LOGIN_MAX_FAILURES', 10, 1, 1000),
      windowSeconds: readInt(env, 'GATEHOUSE_LOGIN_WINDOW', 900, 60, 86_400),
    },
    mail: readMail(env),
    logLevel: readLogLevel(env),
    metrics: readMetrics(env),
    webhookAllowedHosts: readWebhookAllowedHosts(env),
    breachedPasswords: readBreachedPasswords(env),
  };
}
