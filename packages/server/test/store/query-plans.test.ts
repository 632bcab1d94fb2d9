import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { type Services, createServices } from '../../src/services.js';
import type { Database } from '../../src/store/schema.js';
import { TEST_SECRET, type TestContext, basicAuth, createTestUser, testClock } from '../helpers/harness.js';
import { signInForTokens, tokenRequest } from '../helpers/flow.js';
import { auditedApp } from '../helpers/path-audit.js';
import { ISSUER, at } from '../helpers/prefix.js';

/**
 * Read whole on purpose: a handful of signing keys, cached by every instance; and the one-row
 * anchor the login lookup left-joins the account to (SQLite plans it as a scan of that row).
 */
// issuer_domains is read whole, every 30 s, by the issuer resolver: one row per custom domain.
// The revocation feed's two pages (repos/revocation-feed.ts) are scanned as what they are: at
// most a page's limit of rows each, themselves read through their tables' indexes.
const SMALL_TABLES = new Set(['signing_keys', 'issuer_domains', 'anchor', 'CONSTANT', 'revoked_grants_page', 'revoked_tokens_page']);

// Every statement the hot paths run (login, code exchange, refresh, introspection, userinfo,
// revocation) must find its rows through an index, so latency does not grow with the tables.
describe('query plans of the hot paths', () => {
  const statements = new Map<string, readonly unknown[]>();
  let sqlite: SqliteDatabase.Database;
  let services: Services;
  let ctx: TestContext;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gh-plans-'));

  before(async () => {
    sqlite = new SqliteDatabase(path.join(dir, 'plans.db'));
    const db = new Kysely<Database>({
      dialect: new SqliteDialect({ database: sqlite }),
      log: (event) => {
        if (event.level === 'query') statements.set(event.query.sql, event.query.parameters);
      },
    });
    const config = loadConfig({ GATEHOUSE_ISSUER: ISSUER, GATEHOUSE_DATA_DIR: dir, GATEHOUSE_SECRET: TEST_SECRET });
    services = await createServices(config, { store: { db, backend: 'sqlite', close: () => db.destroy() }, clock: testClock(), logger: silentLogger });
    ctx = {
      config,
      services,
      scope: await services.scopes.defaultScope(),
      app: auditedApp(createApp(services), config.issuer),
      clock: testClock(),
      databaseUrl: '',
      close: async () => {},
    };
  });
  after(async () => {
    await services.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('finds every row through an index', async () => {
    const { client, secret } = await ctx.scope.repos.clients.create({
      name: 'Plans',
      redirectUris: ['https://example-business.com/api/auth/callback/gatehouse'],
      grantTypes: ['authorization_code', 'refresh_token'],
      scopes: ['openid', 'profile', 'email'],
      isPublic: false,
      firstParty: false,
    });
    const user = await createTestUser(ctx);
    statements.clear();
    const { tokens } = await signInForTokens(ctx, { id: client.id, secret }, user.email);
    const refreshed = await tokenRequest(ctx, client.id, secret, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token as string });
    assert.equal(refreshed.status, 200);
    const next = (await refreshed.json()) as { access_token: string; refresh_token: string };
    const auth = { authorization: basicAuth(client.id, secret as string), 'content-type': 'application/x-www-form-urlencoded' };
    assert.equal((await ctx.app.request(at('/oauth/introspect'), { method: 'POST', headers: auth, body: `token=${next.access_token}` })).status, 200);
    assert.equal((await ctx.app.request(at('/oauth/userinfo'), { headers: { authorization: `Bearer ${next.access_token}` } })).status, 200);
    assert.equal((await ctx.app.request(at('/oauth/revoke'), { method: 'POST', headers: auth, body: `token=${next.refresh_token}` })).status, 200);
    // The revocation feed resource servers poll (migration 034's indexes).
    assert.equal((await ctx.app.request(at('/oauth/revocations'), { headers: { authorization: auth.authorization } })).status, 200);

    assert.ok(statements.size > 15, `recorded ${statements.size} statements`);
    const scans: string[] = [];
    let searches = 0;
    for (const [text, parameters] of statements) {
      const plan = sqlite.prepare(`explain query plan ${text}`).all(...(parameters as unknown[])) as { detail: string }[];
      for (const { detail } of plan) {
        // A multi-row VALUES list (the sign-in throttle's reservation) is scanned, not a table.
        const scanned = /^SCAN \d+-ROW VALUES CLAUSE/.test(detail) ? undefined : /^SCAN (\w+)/.exec(detail)?.[1];
        if (scanned && !SMALL_TABLES.has(scanned)) scans.push(`${detail}  ←  ${text}`);
        if (/^SEARCH \w+ USING/.test(detail)) searches++;
      }
    }
    assert.deepEqual(scans, []);
    assert.ok(searches > 15, `index searches seen: ${searches}`);
  });
});
