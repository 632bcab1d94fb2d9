import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { codeFrom, exchangeCode, isLoginPage } from '../helpers/authorize-pages.js';
import { ISSUER, type AuthorizeRequest, authorizeUrl, inProcessBrowser, runFlow } from '../helpers/flow.js';
import type { HttpBrowser } from '../helpers/http-browser.js';
import { type TestContext, TEST_PASSWORD, createTestClient, createTestContext, createTestUser } from '../helpers/harness.js';
import { at } from '../helpers/prefix.js';

// RFC 6749 §4.1.2 and §10.10, RFC 9700 §4.2: codes are unguessable, short-lived, stored hashed.
describe('authorize: the authorization code', () => {
  let ctx: TestContext;
  let client: { id: string; secret: string | null };
  let email: string;
  let browser: HttpBrowser;

  before(async () => {
    ctx = await createTestContext();
    const created = await createTestClient(ctx);
    client = { id: created.client.id, secret: created.secret };
    email = (await createTestUser(ctx)).email;
    // One signed-in browser with consent, so each test gets a code without the pages.
    browser = inProcessBrowser(ctx);
    const req = authorizeUrl(client.id);
    codeFrom((await runFlow(browser, req.url, { email, approve: ['openid', 'profile', 'email'] })).callback, { state: req.state });
  });
  after(() => ctx.close());

  async function newCode(): Promise<{ code: string; req: AuthorizeRequest }> {
    const req = authorizeUrl(client.id);
    const step = await browser.navigate(req.url, ISSUER);
    return { code: codeFrom(step.leftTo, { state: req.state }), req };
  }

  async function exchangeError(res: Response): Promise<string> {
    assert.equal(res.status, 400);
    return ((await res.json()) as { error: string }).error;
  }

  it('has at least 128 bits of entropy, in URL-safe characters', async () => {
    const codes = await Promise.all([newCode(), newCode(), newCode()]);
    for (const { code } of codes) assert.match(code, /^[A-Za-z0-9_-]{22,}$/);
    assert.equal(new Set(codes.map((c) => c.code)).size, 3);
  });

  it('is not stored in plain', async () => {
    const { code } = await newCode();
    const rows = await ctx.services.store.db.selectFrom('authorization_codes').selectAll().execute();
    assert.ok(rows.length > 0);
    assert.ok(
      rows.every((row) => row.id !== code),
      'the id is not the code',
    );
    assert.ok(!JSON.stringify(rows).includes(code), 'no column holds the code');
  });

  it('exchanges for tokens within its lifetime (59 s)', async () => {
    const { code, req } = await newCode();
    ctx.clock.advance(59);
    const res = await exchangeCode(ctx, client, code, req.verifier);
    assert.equal(res.status, 200, await res.clone().text());
    const tokens = (await res.json()) as Record<string, unknown>;
    assert.equal(typeof tokens.access_token, 'string');
    assert.equal(typeof tokens.id_token, 'string');
  });

  it('expires after 60 s', async () => {
    const { code, req } = await newCode();
    ctx.clock.advance(61);
    assert.equal(await exchangeError(await exchangeCode(ctx, client, code, req.verifier)), 'invalid_grant');
  });

  it('is single use', async () => {
    const { code, req } = await newCode();
    assert.equal((await exchangeCode(ctx, client, code, req.verifier)).status, 200);
    assert.equal(await exchangeError(await exchangeCode(ctx, client, code, req.verifier)), 'invalid_grant');
  });

  it('needs the verifier of its challenge (PKCE)', async () => {
    const { code } = await newCode();
    const other = authorizeUrl(client.id).verifier;
    assert.equal(await exchangeError(await exchangeCode(ctx, client, code, other)), 'invalid_grant');
  });

  it('is bound to the redirect URI of its request', async () => {
    const { code, req } = await newCode();
    const res = await exchangeCode(ctx, client, code, req.verifier, 'https://example-business.com/other');
    assert.equal(await exchangeError(res), 'invalid_grant');
  });

  it('POST /oauth/authorize with a form body works like GET', async () => {
    const fresh = inProcessBrowser(ctx);
    const req = authorizeUrl(client.id);
    const body = new URL(req.url).search.slice(1);
    const first = await fresh.navigate(`${ISSUER}/oauth/authorize`, ISSUER, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    assert.ok(isLoginPage(first.page), first.leftTo);
    const afterLogin = await fresh.submit(first.page, '/login', { email, password: TEST_PASSWORD }, ISSUER);
    // Consent was given before by this user, so the login alone finishes the request.
    const code = codeFrom(afterLogin.leftTo, { state: req.state });
    assert.equal((await exchangeCode(ctx, client, code, req.verifier)).status, 200);

    // And with a session, a POST answers at once with a code, as a GET does.
    const again = authorizeUrl(client.id);
    const silent = await fresh.request(`${ISSUER}/oauth/authorize`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URL(again.url).search.slice(1),
    });
    assert.equal(silent.status, 303);
    const silentCode = codeFrom(silent.headers.get('location'), { state: again.state });
    assert.equal((await exchangeCode(ctx, client, silentCode, again.verifier)).status, 200);
  });

  it('POST /oauth/authorize refuses a body that is not a form', async () => {
    const res = await ctx.app.request(at('/oauth/authorize'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: client.id }),
    });
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('location'), null);
  });
});
