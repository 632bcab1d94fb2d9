import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { type GatehouseApp, createApp } from '../../src/app.js';
import type { IssuerScope } from '../../src/issuers/scope.js';
import { type PasswordCost, hashPassword } from '../../src/auth/password.js';
import { type Config, loadConfig } from '../../src/config.js';
import { type Logger, createLogger, silentLogger } from '../../src/log.js';
import { createIssuer } from '../../src/issuers/service.js';
import { type Services, createServices, scopeOf } from '../../src/services.js';
import { type Store, type StoreOptions, openStore } from '../../src/store/db.js';
import type { Client, NewClient } from '../../src/store/repos/clients.js';
import type { User } from '../../src/store/repos/users.js';
import { randomToken } from '../../src/tokens/random.js';
import { auditedApp } from './path-audit.js';
import { premadeKeyPairs } from './premade-keys.js';
import { ISSUER } from './prefix.js';

export const TEST_SECRET = 'test-secret-test-secret-test-secret-0123456789';

/** A clock tests can move: starts at the real time, `advance` skips ahead. */
export interface TestClock {
  (): number;
  advance(seconds: number): void;
  set(seconds: number): void;
}

export function testClock(start = Math.floor(Date.now() / 1000)): TestClock {
  let now = start;
  const clock = (() => now) as TestClock;
  clock.advance = (seconds) => {
    now += seconds;
  };
  clock.set = (seconds) => {
    now = seconds;
  };
  return clock;
}

/** The backend under test: SQLite in memory, or a fresh schema in TEST_DATABASE_URL. */
export async function openTestStore(options: StoreOptions = {}): Promise<{ store: Store; url: string; drop(): Promise<void> }> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-test-'));
    const file = path.join(dir, 'test.db');
    return {
      store: openStore(`sqlite:${file}`, options),
      url: `sqlite:${file}`,
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  const schema = `t_${randomToken(8)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const withSchema = new URL(url);
  withSchema.searchParams.set('options', `-c search_path=${schema}`);
  return {
    store: openStore(url, { ...options, schema }),
    url: withSchema.href,
    drop: async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
    },
  };
}

/**
 * What a test context hashes passwords with unless its env sets GATEHOUSE_ARGON2_*: argon2id at
 * its smallest (1 MiB, one pass), below what the configuration accepts from an operator. The
 * tests check what a hash says and which password it accepts, not how hard it is to crack; the
 * real cost has tests of its own (auth/password-cost.test.ts, auth/hash-threads.test.ts). Saves
 * about 20 ms of CPU per test user and per sign-in. A `gatehouse serve` a test starts as a
 * process hashes at the real cost, and replaces a test user's hash at its first sign-in.
 */
export const TEST_PASSWORD_COST: PasswordCost = { memoryKib: 1024, iterations: 1 };

export interface TestContext {
  config: Config;
  services: Services;
  /** The default issuer's scope: its repositories, keys and tokens. */
  scope: IssuerScope;
  app: GatehouseApp;
  clock: TestClock;
  /** The database URL of this context, for starting other processes on the same data. */
  databaseUrl: string;
  close(): Promise<void>;
}

export async function createTestContext(
  env: Record<string, string> = {},
  options: { clock?: TestClock; store?: StoreOptions; logger?: Logger } = {},
): Promise<TestContext> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-data-'));
  const loaded = loadConfig({ GATEHOUSE_ISSUER: ISSUER, GATEHOUSE_DATA_DIR: dataDir, GATEHOUSE_SECRET: TEST_SECRET, ...env });
  const costSet = env.GATEHOUSE_ARGON2_MEMORY_KIB !== undefined || env.GATEHOUSE_ARGON2_ITERATIONS !== undefined;
  const config: Config = costSet ? loaded : { ...loaded, passwordCost: TEST_PASSWORD_COST };
  const clock = options.clock ?? testClock();
  const { store, url, drop } = await openTestStore(options.store);
  const logger: Logger = options.logger ?? (process.env.TEST_LOG ? createLogger('debug') : silentLogger);
  // On PostgreSQL the server's client cache is on, as `gatehouse serve` has it.
  const services = await createServices(config, { clock, store, logger, clientCache: { url }, keyPairs: premadeKeyPairs() });
  return {
    config,
    services,
    scope: await services.scopes.defaultScope(),
    // Under a path, every response is checked to stay under it (path-audit.ts).
    app: auditedApp(createApp(services), config.issuer),
    clock,
    databaseUrl: url,
    async close() {
      await services.close();
      await drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const TEST_REDIRECT_URI = 'https://example-business.com/api/auth/callback/gatehouse';

/** A confidential client allowed every grant, unless `overrides` says otherwise. */
export async function createTestClient(ctx: TestContext, overrides: Partial<NewClient> = {}): Promise<{ client: Client; secret: string | null }> {
  return ctx.scope.repos.clients.create({
    name: 'Example Business',
    description: 'Payments for small businesses',
    redirectUris: [TEST_REDIRECT_URI],
    postLogoutRedirectUris: ['https://example-business.com/'],
    grantTypes: ['authorization_code', 'refresh_token', 'client_credentials'],
    scopes: ['openid', 'profile', 'email', 'payments'],
    isPublic: false,
    firstParty: false,
    ...overrides,
  });
}

export const TEST_PASSWORD = 'correct horse battery staple';

export async function createTestUser(ctx: TestContext, email = `ada-${randomToken(4)}@example.com`, password = TEST_PASSWORD): Promise<User> {
  return ctx.scope.repos.users.create({
    email,
    emailVerified: true,
    passwordHash: await hashPassword(password),
    name: 'Ada Lovelace',
    givenName: 'Ada',
    familyName: 'Lovelace',
    preferredUsername: 'ada',
  });
}

/** Basic authorization header value for a client (RFC 6749 §2.3.1 form-encodes both parts). */
export function basicAuth(clientId: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

/** A successor for repository-level rotations in tests; the server derives them (grants/refresh-token.ts). */
export const randomSuccessor = (): string => randomToken(32);

/** A second issuer `id` in the context's deployment, made as the CLI makes one, and its scope. */
export async function secondIssuer(ctx: TestContext, id = 'beta'): Promise<IssuerScope> {
  await createIssuer(ctx.services, { id, name: id[0]?.toUpperCase() + id.slice(1) });
  return scopeOf(ctx.services, id);
}
