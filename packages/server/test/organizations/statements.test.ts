import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import pg from 'pg';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { type Services, createServices } from '../../src/services.js';
import { CurrentSchemaPostgresDialect } from '../../src/store/postgres-introspector.js';
import type { Database } from '../../src/store/schema.js';
import { signInForTokens } from '../helpers/flow.js';
import { TEST_SECRET, type TestContext, createTestClient, createTestUser, openTestStore, testClock } from '../helpers/harness.js';
import { basic, json, refresh, userinfo } from '../helpers/oauth-requests.js';
import { auditedApp } from '../helpers/path-audit.js';
import { ISSUER } from '../helpers/prefix.js';

const TOUCHES_ORGANIZATIONS = /organization/i;

// Refresh and userinfo are benchmarked hot paths: a grant without the organizations scope must
// run exactly the statements it ran before organizations existed, and one with it exactly one
// more, which finds its rows through indexes.
describe('statements of the organizations claim', () => {
  const statements: { sql: string; parameters: readonly unknown[] }[] = [];
  let ctx: TestContext;
  let services: Services;
  let sqlite: SqliteDatabase.Database | undefined;
  let drop: () => Promise<void>;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gh-org-statements-'));

  before(async () => {
    // The backend under test, opened by hand with Kysely's query log on.
    const log = (event: { level: string; query: { sql: string; parameters: readonly unknown[] } }): void => {
      if (event.level === 'query') statements.push({ sql: event.query.sql, parameters: event.query.parameters });
    };
    let db: Kysely<Database>;
    if (process.env.TEST_DATABASE_URL) {
      const opened = await openTestStore();
      await opened.store.close();
      drop = opened.drop;
      db = new Kysely<Database>({ dialect: new CurrentSchemaPostgresDialect({ pool: new pg.Pool({ connectionString: opened.url, max: 4 }) }), log });
    } else {
      sqlite = new SqliteDatabase(path.join(dir, 'statements.db'));
      sqlite.pragma('foreign_keys = ON');
      db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }), log });
      drop = async () => {};
    }
    const config = loadConfig({ GATEHOUSE_ISSUER: ISSUER, GATEHOUSE_DATA_DIR: dir, GATEHOUSE_SECRET: TEST_SECRET });
    const clock = testClock();
    services = await createServices(config, { store: { db, backend: sqlite ? 'sqlite' : 'postgres', close: () => db.destroy() }, clock, logger: silentLogger });
    ctx = {
      config,
      services,
      scope: await services.scopes.defaultScope(),
      app: auditedApp(createApp(services), config.issuer),
      clock,
      databaseUrl: '',
      close: async () => {},
    };
  });
  after(async () => {
    await services.close();
    await drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The statements one refresh and one userinfo call of a fresh grant with `scope` run. */
  async function measure(
    clientId: string,
    secret: string,
    email: string,
    scope: string,
  ): Promise<{ refresh: string[]; userinfo: string[]; parameters: Map<string, readonly unknown[]> }> {
    const { tokens } = await signInForTokens(ctx, { id: clientId, secret }, email, { scope });
    // A first refresh and userinfo call warm what is cached (signing keys), so both runs compare alike.
    const warm = await json(await refresh(ctx, basic({ id: clientId, secret }), tokens.refresh_token as string));
    assert.equal((await userinfo(ctx, warm.access_token as string)).status, 200);

    statements.length = 0;
    const res = await refresh(ctx, basic({ id: clientId, secret }), warm.refresh_token as string);
    assert.equal(res.status, 200);
    const refreshed = statements.map((s) => s.sql);
    const parameters = new Map(statements.map((s) => [s.sql, s.parameters]));
    statements.length = 0;
    const info = await userinfo(ctx, (await json(res)).access_token as string);
    assert.equal(info.status, 200);
    return { refresh: refreshed, userinfo: statements.map((s) => s.sql), parameters };
  }

  it('adds no statement without the scope, and exactly one (indexed) with it', async () => {
    const made = await createTestClient(ctx, { scopes: ['openid', 'email', 'organizations'] });
    const user = await createTestUser(ctx);
    await ctx.scope.repos.organizations.create({ id: 'acme', name: 'Acme' });
    await ctx.scope.repos.organizationRoles.set('acme', 'admin', ['write:projects']);
    await ctx.scope.transaction((r) => r.memberships.add('acme', user.id, ['admin']));

    const without = await measure(made.client.id, made.secret as string, user.email, 'openid email');
    assert.deepEqual(
      without.refresh.filter((s) => TOUCHES_ORGANIZATIONS.test(s)),
      [],
      'refresh without the scope',
    );
    assert.deepEqual(
      without.userinfo.filter((s) => TOUCHES_ORGANIZATIONS.test(s)),
      [],
      'userinfo without the scope',
    );
    assert.equal(without.userinfo.length, 1, `userinfo reads the grant and user in one statement: ${without.userinfo.join('\n')}`);

    const withScope = await measure(made.client.id, made.secret as string, user.email, 'openid email organizations');
    const extraRefresh = withScope.refresh.filter((s) => TOUCHES_ORGANIZATIONS.test(s));
    const extraUserinfo = withScope.userinfo.filter((s) => TOUCHES_ORGANIZATIONS.test(s));
    assert.equal(extraRefresh.length, 1, 'one memberships read per refresh');
    assert.equal(extraUserinfo.length, 1, 'one memberships read per userinfo call');
    assert.deepEqual(
      withScope.refresh.filter((s) => !TOUCHES_ORGANIZATIONS.test(s)),
      without.refresh,
      'the refresh is otherwise unchanged',
    );
    assert.deepEqual(
      withScope.userinfo.filter((s) => !TOUCHES_ORGANIZATIONS.test(s)),
      without.userinfo,
      'userinfo is otherwise unchanged',
    );

    if (sqlite) {
      const text = extraRefresh[0] as string;
      const plan = sqlite.prepare(`explain query plan ${text}`).all(...(withScope.parameters.get(text) as unknown[])) as { detail: string }[];
      const scans = plan.filter(({ detail }) => /^SCAN /.test(detail)).map(({ detail }) => detail);
      assert.deepEqual(scans, [], plan.map((p) => p.detail).join('\n'));
      assert.ok(
        plan.some(({ detail }) => /organization_members_user_id/.test(detail)),
        plan.map((p) => p.detail).join('\n'),
      );
    }
  });
});
