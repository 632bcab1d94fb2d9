import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ISSUER, authorizeUrl, inProcessBrowser, runFlow, signInForTokens } from '../helpers/flow.js';
import { TEST_PASSWORD, TEST_SECRET, type TestContext, createTestContext, createTestUser } from '../helpers/harness.js';
import { type Confidential, basic, confidentialClient, refresh } from '../helpers/oauth-requests.js';
import { createLogger } from '../../src/log.js';
import { at } from '../helpers/prefix.js';

type Line = Record<string, unknown>;

const POST_LOGOUT = 'https://example-business.com/';

describe('logs', () => {
  let ctx: TestContext;
  let client: Confidential;
  let email: string;
  let userId: string;
  const raw: string[] = [];
  const lines = (): Line[] => raw.map((l) => JSON.parse(l) as Line);
  const events = (name: string): Line[] => lines().filter((l) => l.event === name);
  // Every secret the flows below handle, to be looked for in every line.
  const secrets: string[] = [TEST_PASSWORD, TEST_SECRET];

  before(async () => {
    ctx = await createTestContext({}, { logger: createLogger('debug', (line) => raw.push(line)) });
    client = await confidentialClient(ctx, { postLogoutRedirectUris: [POST_LOGOUT] });
    secrets.push(client.secret);
    const user = await createTestUser(ctx);
    email = user.email;
    userId = user.id;
  });
  after(() => ctx.close());

  it('writes one JSON line per request with the route pattern, status, duration, issuer, client and request id', async () => {
    const { tokens, browser } = await signInForTokens(ctx, client, email);
    for (const name of ['access_token', 'refresh_token', 'id_token']) secrets.push(tokens[name] as string);
    const requests = events('request');
    const token = requests.find((l) => l.route === '/oauth/token');
    assert.ok(token, 'the token request has its line');
    assert.equal(token.method, 'POST');
    assert.equal(token.status, 200);
    assert.equal(token.issuer, 'default');
    assert.equal(token.client, client.id);
    assert.equal(typeof token.ms, 'number');
    assert.match(String(token.request_id), /^[0-9a-f]{12}$/);
    assert.equal(typeof token.time, 'string');
    assert.equal(token.level, 'info');
    const authorize = requests.find((l) => l.route === '/oauth/authorize');
    assert.ok(authorize);
    assert.equal(authorize.client, client.id, 'the authorize line names the client');
    assert.ok(
      requests.some((l) => l.route === '/interaction/:uid/:step'),
      'routes are patterns, not paths',
    );
    for (const line of requests) {
      assert.ok(!String(line.route).includes('?'), 'no query string');
      assert.ok(!Object.hasOwn(line, 'url') && !Object.hasOwn(line, 'path'));
    }
    // The request ids are unique and answered as X-Request-Id.
    const ids = requests.map((l) => l.request_id);
    assert.equal(new Set(ids).size, ids.length);
    const res = await ctx.app.request(at('/.well-known/openid-configuration'));
    assert.equal(res.headers.get('x-request-id'), events('request').at(-1)?.request_id);
    void browser;
  });

  it('logs failed and throttled sign-ins with their reason, never the password', async () => {
    const browser = inProcessBrowser(ctx);
    await runFlow(browser, authorizeUrl(client.id).url, { email, password: 'wrong password 1', approve: ['openid'] });
    await runFlow(browser, authorizeUrl(client.id).url, { email: 'nobody@example.com', password: 'wrong password 2', approve: ['openid'] });
    secrets.push('wrong password 1', 'wrong password 2');
    const failed = events('sign_in_failed');
    assert.deepEqual(
      failed.map((l) => l.reason),
      ['wrong_password', 'unknown_account'],
    );
    assert.equal(failed[0]?.user, userId);
    assert.equal(failed[0]?.security, true);
    assert.equal(failed[0]?.issuer, 'default');
    assert.equal(failed[0]?.level, 'warn');
    const failedRequest = events('request').find((l) => l.request_id === failed[0]?.request_id);
    assert.equal(failedRequest?.status, 401, 'the event and the request line share the request id');

    const throttled = await createTestContext({ GATEHOUSE_LOGIN_MAX_FAILURES: '1' }, { logger: createLogger('info', (line) => raw.push(line)) });
    try {
      const c2 = await confidentialClient(throttled);
      const u2 = await createTestUser(throttled);
      const b2 = inProcessBrowser(throttled);
      for (let i = 0; i < 2; i++) await runFlow(b2, authorizeUrl(c2.id).url, { email: u2.email, password: 'not it at all', approve: ['openid'] });
      const line = events('sign_in_throttled').at(-1);
      assert.ok(line, 'the throttled attempt has its line');
      assert.equal(line.reason, 'pair');
      assert.equal(line.user, u2.id);
    } finally {
      await throttled.close();
    }
  });

  it('logs bad client authentication with its reason and the client id, never the secret', async () => {
    const wrong = 'not-the-secret-0123456789';
    secrets.push(wrong);
    const res = await ctx.app.request(at('/oauth/token'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${client.id}:${wrong}`).toString('base64')}` },
      body: 'grant_type=client_credentials',
    });
    assert.equal(res.status, 401);
    const line = events('client_auth_failed').at(-1);
    assert.equal(line?.reason, 'wrong_secret');
    assert.equal(line?.client_id, client.id);
    assert.equal(line?.request_id, res.headers.get('x-request-id'));
  });

  it('logs refresh-token reuse', async () => {
    const { tokens } = await signInForTokens(ctx, client, email);
    const first = tokens.refresh_token as string;
    secrets.push(first, tokens.access_token as string, tokens.id_token as string);
    const rotated = await refresh(ctx, basic(client), first);
    assert.equal(rotated.status, 200);
    const body = (await rotated.json()) as Record<string, string>;
    secrets.push(body.refresh_token as string, body.access_token as string);
    const reused = await refresh(ctx, basic(client), first);
    assert.equal(reused.status, 400);
    const line = events('refresh_token_reuse').at(-1);
    assert.ok(line);
    assert.equal(line.client, client.id);
    assert.equal(typeof line.grant, 'string');
    assert.equal(line.request_id, reused.headers.get('x-request-id'));
  });

  it('logs an unregistered redirect_uri with the URI that was sent, and shows the reference on the page', async () => {
    const sent = 'https://attacker.example/steal';
    const res = await ctx.app.request(authorizeUrl(client.id, { redirect_uri: sent }).url);
    assert.equal(res.status, 400);
    const line = events('redirect_uri_not_registered').at(-1);
    assert.equal(line?.redirect_uri, sent);
    assert.equal(line?.client, client.id);
    const reference = res.headers.get('x-request-id') as string;
    assert.equal(line?.request_id, reference);
    assert.ok((await res.text()).includes(reference), 'the error page shows the request id');
  });

  it('logs consent granted and denied, and logout', async () => {
    const browser = inProcessBrowser(ctx);
    // A user who has not consented yet, so the consent page is shown.
    const fresh = await createTestUser(ctx);
    const denied = await runFlow(browser, authorizeUrl(client.id).url, { email: fresh.email, approve: 'deny' });
    assert.equal(denied.callback?.searchParams.get('error'), 'access_denied');
    assert.equal(events('consent_denied').at(-1)?.client, client.id);
    assert.equal(events('consent_denied').at(-1)?.user, fresh.id);

    const { tokens } = await signInForTokens(ctx, client, fresh.email, {}, browser);
    const granted = events('consent_granted').at(-1);
    assert.equal(granted?.user, fresh.id);
    assert.equal(granted?.client, client.id);
    assert.equal(granted?.scopes, 'openid profile email');
    secrets.push(tokens.access_token as string, tokens.refresh_token as string, tokens.id_token as string);
    const url = new URL(`${ISSUER}/oauth/logout`);
    url.searchParams.set('id_token_hint', tokens.id_token as string);
    url.searchParams.set('post_logout_redirect_uri', POST_LOGOUT);
    const out = await browser.navigate(url.href, ISSUER);
    assert.equal(out.leftTo, POST_LOGOUT);
    assert.equal(events('logout').at(-1)?.user, fresh.id);
  });

  it('shows a reference on the 500 page that is in the log line', async () => {
    // A failure no handler expects: the issuer's keys cannot be read.
    const scope = ctx.scope;
    const original = scope.repos.clients.find.bind(scope.repos.clients);
    scope.repos.clients.find = () => Promise.reject(new TypeError('broken on purpose'));
    try {
      const res = await ctx.app.request(authorizeUrl(client.id).url);
      assert.equal(res.status, 500);
      const reference = res.headers.get('x-request-id') as string;
      assert.ok((await res.text()).includes(reference));
      const unhandled = events('unhandled').at(-1);
      assert.equal(unhandled?.request_id, reference);
      assert.equal(unhandled?.level, 'error');
      assert.equal(events('request').find((l) => l.request_id === reference)?.status, 500);
    } finally {
      scope.repos.clients.find = original;
    }
  });

  it('has no password, secret, token or query string in any line', () => {
    assert.ok(raw.length > 40, `only ${raw.length} lines`);
    for (const line of raw) {
      for (const secret of secrets) if (line.includes(secret)) assert.fail(`a secret (${secret.slice(0, 6)}…) is in the log: ${line.slice(0, 300)}`);
      assert.ok(!/code_verifier|client_secret=|[?&](code|state|nonce)=/.test(line), `a query string is in the log: ${line.slice(0, 200)}`);
    }
  });

  it('censors fields named like secrets, should one be passed by mistake', () => {
    const out: string[] = [];
    createLogger('info', (line) => out.push(line)).log('info', 'oops', { password: 'p4ss', token: 't0k', code: 'c0de', user: 'u1' });
    const line = JSON.parse(out[0] as string) as Line;
    assert.equal(line.password, '[redacted]');
    assert.equal(line.token, '[redacted]');
    assert.equal(line.code, '[redacted]');
    assert.equal(line.user, 'u1');
  });

  it('writes nothing below the configured level', () => {
    const out: string[] = [];
    const logger = createLogger('warn', (line) => out.push(line));
    logger.log('info', 'quiet');
    logger.log('warn', 'loud');
    assert.deepEqual(
      out.map((l) => (JSON.parse(l) as Line).event),
      ['loud'],
    );
  });
});
