import assert from 'node:assert/strict';
import { MIGRATION_NAMES } from '../../src/store/migrate.js';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { main } from '../../src/cli/main.js';
import type { CheckResult } from '../../src/doctor/checks.js';
import { TEST_SECRET, type TestContext, createTestContext } from '../helpers/harness.js';
import { confidentialClient } from '../helpers/oauth-requests.js';
import { type PrivateCa, createPrivateCa } from '../helpers/private-ca.js';
import { startSmtpSink } from '../helpers/smtp-sink.js';
import { startTlsSmtpServer } from '../helpers/tls-smtp.js';

interface Report {
  ok: boolean;
  failed: number;
  checks: CheckResult[];
}

async function doctor(
  ctx: TestContext,
  extraEnv: Record<string, string> = {},
  json = true,
): Promise<{ code: number; out: string; report: Report | undefined }> {
  const out: string[] = [];
  const err: string[] = [];
  const env = {
    GATEHOUSE_DATABASE_URL: ctx.databaseUrl,
    GATEHOUSE_DATA_DIR: ctx.config.dataDir,
    GATEHOUSE_SECRET: TEST_SECRET,
    GATEHOUSE_ISSUER: ctx.config.issuer,
    ...extraEnv,
  };
  const code = await main(['doctor', ...(json ? ['--json'] : [])], { out: (t) => out.push(t), err: (t) => err.push(t), stdin: Readable.from([]), env });
  const text = out.join('\n');
  return { code, out: text, report: json ? (JSON.parse(text) as Report) : undefined };
}

function find(report: Report | undefined, check: string, issuer?: string): CheckResult {
  const found = report?.checks.find((c) => c.check === check && (issuer === undefined || c.issuer === issuer));
  assert.ok(found, `no ${check} check in ${JSON.stringify(report?.checks)}`);
  return found;
}

describe('gatehouse doctor', () => {
  let ctx: TestContext;

  before(async () => {
    ctx = await createTestContext({ GATEHOUSE_ISSUER: 'https://id.example.com' });
    await confidentialClient(ctx);
    const { createIssuer } = await import('../../src/issuers/service.js');
    await createIssuer(ctx.services, { id: 'acme', name: 'Acme' });
    await (await ctx.services.scopes.byId('acme'))?.keys.ensureKeys();
  });
  after(() => ctx.close());

  it('passes a healthy https deployment, checking every issuer, and exits 0', async () => {
    const { code, report } = await doctor(ctx);
    assert.equal(code, 0, JSON.stringify(report));
    assert.equal(report?.ok, true);
    assert.equal(find(report, 'database').status, 'ok');
    assert.equal(find(report, 'clock').status, 'ok');
    for (const issuer of ['default', 'acme']) {
      assert.equal(find(report, 'issuer', issuer).status, 'ok');
      assert.equal(find(report, 'keys', issuer).status, 'ok');
      assert.equal(find(report, 'cookies', issuer).status, 'ok');
      assert.equal(find(report, 'redirect_uris', issuer).status, 'ok');
    }
    assert.equal(find(report, 'issuer', 'acme').message, 'https://id.example.com/acme is https');
    assert.equal(find(report, 'smtp').status, 'info');
    if (ctx.services.store.backend === 'sqlite') assert.match(find(report, 'backups').message, /\.backup/);
    else assert.ok(!report?.checks.some((c) => c.check === 'backups'));
  });

  it('prints a readable report without --json', async () => {
    const { code, out } = await doctor(ctx, {}, false);
    assert.equal(code, 0);
    assert.match(out, /^ok {4}database/m);
    assert.match(out, /keys \(acme\)/);
    assert.match(out, /No check failed/);
  });

  it('fails on a client with an http redirect URI off loopback, naming it', async () => {
    const bad = await ctx.scope.repos.clients.create({
      name: 'Legacy',
      redirectUris: ['http://legacy.example.com/cb', 'http://127.0.0.1:5000/cb'],
      postLogoutRedirectUris: [],
      grantTypes: ['authorization_code'],
      scopes: ['openid'],
      isPublic: false,
      firstParty: false,
    });
    try {
      const { code, report } = await doctor(ctx);
      assert.equal(code, 1);
      const check = find(report, 'redirect_uris', 'default');
      assert.equal(check.status, 'fail');
      assert.match(check.message, new RegExp(`${bad.client.id} \\(http://legacy\\.example\\.com/cb\\)`));
    } finally {
      await ctx.scope.repos.clients.delete(bad.client.id);
    }
  });

  it('fails on an issuer without signing keys, and creates none', async () => {
    const db = ctx.services.store.db;
    const saved = await db.selectFrom('signing_keys').selectAll().where('issuer_id', '=', 'acme').execute();
    await db.deleteFrom('signing_keys').where('issuer_id', '=', 'acme').execute();
    try {
      const { code, report } = await doctor(ctx);
      assert.equal(code, 1);
      assert.equal(find(report, 'keys', 'acme').status, 'fail');
      assert.match(find(report, 'keys', 'acme').message, /no RS256, ES256, EdDSA key signs now/);
      assert.equal(find(report, 'keys', 'default').status, 'ok');
      const after = await db.selectFrom('signing_keys').select('kid').where('issuer_id', '=', 'acme').execute();
      assert.equal(after.length, 0, 'the doctor only looks');
    } finally {
      await db.insertInto('signing_keys').values(saved).execute();
    }
  });

  it('fails when a key retires with no successor published', async () => {
    const db = ctx.services.store.db;
    const now = ctx.clock();
    const signing = await db
      .selectFrom('signing_keys')
      .select(['kid', 'retires_at'])
      .where('issuer_id', '=', 'acme')
      .where('alg', '=', 'ES256')
      .executeTakeFirstOrThrow();
    await db
      .updateTable('signing_keys')
      .set({ retires_at: now + 3600 })
      .where('kid', '=', signing.kid)
      .execute();
    try {
      const { report } = await doctor(ctx);
      assert.match(find(report, 'keys', 'acme').message, new RegExp(`ES256 key ${signing.kid} retires with no published successor`));
    } finally {
      await db.updateTable('signing_keys').set({ retires_at: signing.retires_at }).where('kid', '=', signing.kid).execute();
    }
  });

  it('fails on a database with a migration not applied', async () => {
    const db = ctx.services.store.db;
    // The newest one: put back afterwards, it is still the last in Kysely's order.
    const last = MIGRATION_NAMES.at(-1) ?? '';
    await db
      .deleteFrom('kysely_migration' as never)
      .where('name' as never, '=', last as never)
      .execute();
    try {
      const { code, report } = await doctor(ctx);
      assert.equal(code, 1);
      assert.match(find(report, 'database').message, new RegExp(`1 migration\\(s\\) not applied \\(${last}\\); run gatehouse migrate`));
    } finally {
      await db
        .insertInto('kysely_migration' as never)
        .values({ name: last, timestamp: new Date().toISOString() } as never)
        .execute();
    }
  });

  it('warns about an http loopback issuer and its cookies, and fails nothing for it', async () => {
    const { code, report } = await doctor(ctx, { GATEHOUSE_ISSUER: 'http://localhost:3000' });
    assert.equal(code, 0);
    assert.equal(find(report, 'issuer', 'default').status, 'warn');
    assert.equal(find(report, 'cookies', 'default').status, 'warn');
  });

  it('reports a configuration error and an unknown variable as checks', async () => {
    const wrong = await doctor(ctx, { GATEHOUSE_ACCESS_TOKEN_TTL: '5' });
    assert.equal(wrong.code, 1);
    assert.match(find(wrong.report, 'configuration').message, /^GATEHOUSE_ACCESS_TOKEN_TTL:/);
    const typo = await doctor(ctx, { GATEHOUSE_SESION_TTL: '600' });
    assert.equal(typo.code, 0);
    assert.match(find(typo.report, 'configuration').message, /did you mean GATEHOUSE_SESSION_TTL\?/);
  });

  describe('SMTP', () => {
    let ca: PrivateCa;
    before(() => {
      ca = createPrivateCa();
    });
    after(() => ca.remove());

    it('reaches a loopback relay and logs in', async () => {
      const sink = await startSmtpSink();
      try {
        const { report } = await doctor(ctx, { GATEHOUSE_SMTP_URL: sink.url, GATEHOUSE_MAIL_FROM: 'no-reply@example.com' });
        const check = find(report, 'smtp');
        assert.notEqual(check.status, 'fail', check.message);
        assert.match(check.message, /reachable/);
        assert.equal(sink.received.length, 0, 'nothing is sent');
      } finally {
        await sink.close();
      }
    });

    it('fails on a certificate that does not verify', async () => {
      const smtp = await startTlsSmtpServer({ key: ca.key, cert: ca.cert, implicitTls: true });
      try {
        const { code, report } = await doctor(ctx, { GATEHOUSE_SMTP_URL: smtp.url, GATEHOUSE_MAIL_FROM: 'no-reply@example.com' });
        assert.equal(code, 1);
        assert.equal(find(report, 'smtp').status, 'fail');
        assert.match(find(report, 'smtp').message, /certificate/i);
      } finally {
        await smtp.close();
      }
    });

    it('fails on a relay that cannot be reached', async () => {
      const { report } = await doctor(ctx, { GATEHOUSE_SMTP_URL: 'smtp://127.0.0.1:42998', GATEHOUSE_MAIL_FROM: 'no-reply@example.com' });
      assert.equal(find(report, 'smtp').status, 'fail');
      assert.match(find(report, 'smtp').message, /ECONNREFUSED/);
    });
  });
});
