import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { authorizeUrl, inProcessBrowser, runFlow, signInForTokens } from '../helpers/flow.js';
import { type TestContext, createTestContext, createTestUser } from '../helpers/harness.js';
import { type Confidential, basic, confidentialClient, refresh } from '../helpers/oauth-requests.js';
import { startServer } from '../../src/server.js';
import { at } from '../helpers/prefix.js';

/** The value of one series in a text exposition, e.g. `gatehouse_sign_ins_total{issuer="default",result="success"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('metrics', () => {
  describe('GATEHOUSE_METRICS=on', () => {
    let ctx: TestContext;
    let client: Confidential;

    before(async () => {
      ctx = await createTestContext({ GATEHOUSE_METRICS: 'on' });
      client = await confidentialClient(ctx);
    });
    after(() => ctx.close());

    it('serves the Prometheus text format at /metrics on the main port', async () => {
      const res = await ctx.app.request(at('/metrics'));
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
      const text = await res.text();
      assert.match(text, /# TYPE gatehouse_http_requests_total counter/);
      assert.match(text, /# TYPE gatehouse_http_request_duration_seconds histogram/);
      assert.match(text, /# TYPE gatehouse_hash_queue_depth gauge/);
      assert.match(text, /process_cpu_user_seconds_total/);
    });

    it('counts requests by route pattern and status, with latency histograms', async () => {
      await ctx.app.request(at('/.well-known/openid-configuration'));
      await ctx.app.request(at('/interaction/some-unknown-uid'));
      const text = await (await ctx.app.request(at('/metrics'))).text();
      assert.equal(sample(text, 'gatehouse_http_requests_total{issuer="default",method="GET",route="/.well-known/openid-configuration",status="200"}'), 1);
      assert.ok(text.includes('route="/interaction/:uid"'), 'the pattern, not the path');
      assert.ok(!text.includes('some-unknown-uid'));
      assert.equal(sample(text, 'gatehouse_http_request_duration_seconds_count{issuer="default",method="GET",route="/.well-known/openid-configuration"}'), 1);
      assert.ok(
        text.includes('gatehouse_http_request_duration_seconds_bucket{le="0.005",issuer="default",method="GET",route="/.well-known/openid-configuration"}'),
      );
    });

    it('counts sign-ins by result, tokens by grant type and refresh-token reuse', async () => {
      const user = await createTestUser(ctx);
      await runFlow(inProcessBrowser(ctx), authorizeUrl(client.id).url, { email: user.email, password: 'not the password', approve: ['openid'] });
      const { tokens } = await signInForTokens(ctx, client, user.email);
      const first = tokens.refresh_token as string;
      assert.equal((await refresh(ctx, basic(client), first)).status, 200);
      assert.equal((await refresh(ctx, basic(client), first)).status, 400);
      const text = await (await ctx.app.request(at('/metrics'))).text();
      assert.equal(sample(text, 'gatehouse_sign_ins_total{issuer="default",result="wrong_password"}'), 1);
      assert.equal(sample(text, 'gatehouse_sign_ins_total{issuer="default",result="success"}'), 1);
      assert.equal(sample(text, 'gatehouse_tokens_issued_total{issuer="default",grant_type="authorization_code"}'), 1);
      assert.equal(sample(text, 'gatehouse_tokens_issued_total{issuer="default",grant_type="refresh_token"}'), 1);
      assert.equal(sample(text, 'gatehouse_refresh_token_reuse_total{issuer="default"}'), 1);
      assert.equal(sample(text, 'gatehouse_hash_queue_depth'), 0);
      if (ctx.services.store.backend === 'postgres') assert.match(text, /gatehouse_db_pool_connections\{state="idle"\} \d+/);
      else assert.ok(!text.includes('gatehouse_db_pool_connections'), 'SQLite has no pool');
    });

    it('labels requests by issuer, and serves /metrics under the default issuer only', async () => {
      await ctx.services.scopes.defaultScope();
      const { createIssuer } = await import('../../src/issuers/service.js');
      await createIssuer(ctx.services, { id: 'acme', name: 'Acme' });
      assert.equal((await ctx.app.request(at('/acme/.well-known/openid-configuration'))).status, 200);
      assert.equal((await ctx.app.request(at('/acme/metrics'))).status, 404);
      const text = await (await ctx.app.request(at('/metrics'))).text();
      assert.equal(sample(text, 'gatehouse_http_requests_total{issuer="acme",method="GET",route="/.well-known/openid-configuration",status="200"}'), 1);
    });
  });

  it('is off by default: /metrics is a 404', async () => {
    const ctx = await createTestContext();
    try {
      assert.equal((await ctx.app.request(at('/metrics'))).status, 404);
    } finally {
      await ctx.close();
    }
  });

  it('counts the mail outbox backlog when mail is configured', async () => {
    const ctx = await createTestContext({ GATEHOUSE_METRICS: 'on', GATEHOUSE_SMTP_URL: 'smtp://127.0.0.1:42999', GATEHOUSE_MAIL_FROM: 'no-reply@example.com' });
    try {
      const { MailOutboxRepository } = await import('../../src/store/repos/mail-outbox.js');
      await new MailOutboxRepository(ctx.services.store.db, ctx.clock, 'default').enqueue('password_reset', 'someone@example.com');
      const text = await (await ctx.app.request(at('/metrics'))).text();
      assert.equal(sample(text, 'gatehouse_mail_outbox_backlog{issuer="default"}'), 1);
    } finally {
      await ctx.close();
    }
  });

  it('GATEHOUSE_METRICS_PORT serves them on a loopback port of their own, and not on the main port', async () => {
    const ctx = await createTestContext({ GATEHOUSE_METRICS_PORT: '0' });
    const server = await startServer(ctx.services, { port: 0, host: '127.0.0.1' });
    try {
      assert.ok(server.metricsPort);
      assert.equal((await fetch(`${server.url}${at('/metrics')}`)).status, 404);
      assert.equal((await fetch(`${server.url}${at('/.well-known/openid-configuration')}`)).status, 200);
      const res = await fetch(`http://127.0.0.1:${server.metricsPort}/metrics`);
      assert.equal(res.status, 200);
      const text = await res.text();
      assert.equal(sample(text, 'gatehouse_http_requests_total{issuer="default",method="GET",route="unmatched",status="404"}'), 1);
      assert.equal((await fetch(`http://127.0.0.1:${server.metricsPort}/other`)).status, 404);
    } finally {
      await server.close();
      await ctx.close().catch(() => {});
    }
  });
});
