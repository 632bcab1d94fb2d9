import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { signInForTokens } from '../helpers/flow.js';
import type { TestContext } from '../helpers/harness.js';
import type { HttpBrowser } from '../helpers/http-browser.js';
import { type Confidential, basic, json, postForm, revoke, userinfo, grantSetup } from '../helpers/oauth-requests.js';
import type { User } from '../../src/store/repos/users.js';
import { at } from '../helpers/prefix.js';

/** RFC 6750 §3: 401 with a Bearer challenge naming invalid_token. */
async function assertInvalidToken(res: Response): Promise<void> {
  assert.equal(res.status, 401, await res.clone().text());
  const challenge = res.headers.get('www-authenticate') ?? '';
  assert.match(challenge, /^Bearer /);
  assert.match(challenge, /error="invalid_token"/);
}

// OIDC Core §5.3 with RFC 6750 bearer token rules.
describe('userinfo endpoint', () => {
  let ctx: TestContext;
  let client: Confidential;
  let user: User;
  let browser: HttpBrowser;

  before(async () => {
    ({ ctx, client, user, browser } = await grantSetup());
  });
  after(() => ctx.close());

  async function accessToken(scope = 'openid profile email'): Promise<string> {
    const { tokens } = await signInForTokens(ctx, client, user.email, { scope }, browser);
    return tokens.access_token as string;
  }

  it('answers GET with a Bearer header with the claims of every granted scope', async () => {
    const res = await userinfo(ctx, await accessToken());
    assert.equal(res.status, 200);
    assert.match(res.headers.get('cache-control') ?? '', /no-store/);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    const claims = await json(res);
    assert.deepEqual(Object.keys(claims).sort(), ['email', 'email_verified', 'family_name', 'given_name', 'name', 'preferred_username', 'sub', 'updated_at']);
    assert.equal(claims.sub, user.id);
    assert.equal(claims.email, user.email);
    assert.equal(claims.email_verified, true);
    assert.equal(claims.name, 'Ada Lovelace');
    assert.equal(claims.given_name, 'Ada');
    assert.equal(claims.family_name, 'Lovelace');
    assert.equal(claims.preferred_username, 'ada');
    assert.equal(typeof claims.updated_at, 'number');
  });

  it('answers POST with the token in a form body (RFC 6750 §2.2)', async () => {
    const res = await postForm(ctx, at('/oauth/userinfo'), { access_token: await accessToken() });
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal((await json(res)).sub, user.id);
  });

  it('answers POST with a Bearer header and no body', async () => {
    const res = await ctx.app.request(at('/oauth/userinfo'), { method: 'POST', headers: { authorization: `Bearer ${await accessToken()}` } });
    assert.equal(res.status, 200, await res.clone().text());
  });

  it('releases only sub for openid alone', async () => {
    assert.deepEqual(await json(await userinfo(ctx, await accessToken('openid'))), { sub: user.id });
  });

  it('releases profile claims but not email for openid profile', async () => {
    const claims = await json(await userinfo(ctx, await accessToken('openid profile')));
    assert.deepEqual(Object.keys(claims).sort(), ['family_name', 'given_name', 'name', 'preferred_username', 'sub', 'updated_at']);
  });

  it('releases email claims but not profile for openid email', async () => {
    const claims = await json(await userinfo(ctx, await accessToken('openid email')));
    assert.deepEqual(claims, { sub: user.id, email: user.email, email_verified: true });
  });

  it('answers a request without any token with 401 and a bare Bearer challenge', async () => {
    const res = await ctx.app.request(at('/oauth/userinfo'));
    assert.equal(res.status, 401);
    const challenge = res.headers.get('www-authenticate') ?? '';
    assert.match(challenge, /^Bearer/);
    assert.doesNotMatch(challenge, /error=/, 'RFC 6750 §3.1: no error code when no credentials were sent');
  });

  it('refuses garbage, tampered and non-Bearer credentials with invalid_token', async () => {
    const good = await accessToken();
    const [h, p, s] = good.split('.') as [string, string, string];
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...decodeJwt(good), sub: 'someone-else' })).toString('base64url')}.${s}`;
    assert.notEqual(tampered, `${h}.${p}.${s}`);
    for (const token of ['garbage', 'a.b.c', tampered, `${h}.${p}.${s.slice(0, -4)}AAAA`]) await assertInvalidToken(await userinfo(ctx, token));
    const basicHeader = await ctx.app.request(at('/oauth/userinfo'), { headers: { authorization: 'Basic Zm9vOmJhcg==' } });
    await assertInvalidToken(basicHeader);
  });

  it('refuses an ID token presented as an access token', async () => {
    const { tokens } = await signInForTokens(ctx, client, user.email, {}, browser);
    await assertInvalidToken(await userinfo(ctx, tokens.id_token as string));
  });

  it('refuses a revoked access token', async () => {
    const token = await accessToken();
    assert.equal((await userinfo(ctx, token)).status, 200);
    assert.equal((await revoke(ctx, basic(client), token, 'access_token')).status, 200);
    await assertInvalidToken(await userinfo(ctx, token));
  });

  it('refuses the token of a user disabled while it was live, and answers again once re-enabled', async () => {
    // Disabled straight in the store: the grant stays live, so the user's own flag must refuse it.
    const token = await accessToken();
    await ctx.scope.repos.users.setDisabled(user.id, true);
    try {
      await assertInvalidToken(await userinfo(ctx, token));
    } finally {
      await ctx.scope.repos.users.setDisabled(user.id, false);
    }
    assert.equal((await userinfo(ctx, token)).status, 200);
  });

  it('refuses a token sent in both the header and the body with 400', async () => {
    const token = await accessToken();
    const res = await postForm(ctx, at('/oauth/userinfo'), { access_token: token }, 'none', { authorization: `Bearer ${token}` });
    assert.equal(res.status, 400);
    assert.equal((await json(res)).error, 'invalid_request');
  });

  it('refuses a client_credentials token, which names no user, with 401', async () => {
    const res = await postForm(ctx, at('/oauth/token'), { grant_type: 'client_credentials', scope: 'payments' }, basic(client));
    const token = (await json(res)).access_token as string;
    await assertInvalidToken(await userinfo(ctx, token));
  });

  it('refuses a user token without the openid scope with 403 insufficient_scope', async () => {
    const res = await userinfo(ctx, await accessToken('profile'));
    assert.equal(res.status, 403);
    assert.equal((await json(res)).error, 'insufficient_scope');
    assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer .*error="insufficient_scope"/);
  });

  it('refuses an expired access token', async () => {
    const token = await accessToken();
    ctx.clock.advance(ctx.config.accessTokenTtl + 1);
    await assertInvalidToken(await userinfo(ctx, token));
  });
});
