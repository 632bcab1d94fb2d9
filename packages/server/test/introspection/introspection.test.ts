import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { ISSUER, inProcessBrowser, signInForTokens } from '../helpers/flow.js';
import { type TestContext, createTestClient, createTestContext, createTestUser } from '../helpers/harness.js';
import type { HttpBrowser } from '../helpers/http-browser.js';
import { confidentialClient, type Confidential, assertOAuthError, basic, introspect, json, postForm, refresh, revoke } from '../helpers/oauth-requests.js';
import type { User } from '../../src/store/repos/users.js';
import { at } from '../helpers/prefix.js';

// RFC 7662 token introspection.
describe('introspection endpoint', () => {
  let ctx: TestContext;
  let client: Confidential;
  let other: Confidential;
  let publicId: string;
  let user: User;
  let browser: HttpBrowser;

  before(async () => {
    ctx = await createTestContext();
    client = await confidentialClient(ctx);
    other = await confidentialClient(ctx);
    publicId = (await createTestClient(ctx, { isPublic: true })).client.id;
    user = await createTestUser(ctx);
    browser = inProcessBrowser(ctx);
  });
  after(() => ctx.close());

  async function tokens(): Promise<{ access: string; refresh: string }> {
    const { tokens: t } = await signInForTokens(ctx, client, user.email, {}, browser);
    return { access: t.access_token as string, refresh: t.refresh_token as string };
  }

  it('describes an active access token', async () => {
    const t = await tokens();
    const res = await postForm(ctx, at('/oauth/introspect'), { token: t.access }, basic(client));
    assert.equal(res.status, 200);
    assert.match(res.headers.get('cache-control') ?? '', /no-store/);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    const info = await json(res);
    const claims = decodeJwt(t.access);
    assert.equal(info.active, true);
    assert.deepEqual(String(info.scope).split(' ').sort(), ['email', 'openid', 'profile']);
    assert.equal(info.client_id, client.id);
    assert.equal(info.sub, user.id);
    assert.equal(info.iss, ISSUER);
    assert.equal(info.token_type, 'Bearer');
    assert.equal(info.exp, claims.exp);
    assert.equal(info.iat, claims.iat);
    assert.equal(typeof info.exp, 'number');
  });

  it('describes an active access token with client_secret_post too', async () => {
    const t = await tokens();
    const res = await postForm(ctx, at('/oauth/introspect'), { token: t.access, token_type_hint: 'access_token' }, { post: client });
    assert.equal((await json(res)).active, true);
  });

  it('describes an active refresh token, with or without a hint', async () => {
    const t = await tokens();
    for (const hint of [undefined, 'refresh_token', 'access_token']) {
      const info = await introspect(ctx, client, t.refresh, hint);
      assert.equal(info.active, true);
      assert.equal(info.client_id, client.id);
      assert.equal(info.sub, user.id);
      assert.equal(typeof info.exp, 'number');
    }
  });

  it('answers exactly {active:false} for a revoked access token', async () => {
    const t = await tokens();
    assert.equal((await revoke(ctx, basic(client), t.access)).status, 200);
    assert.deepEqual(await introspect(ctx, client, t.access), { active: false });
  });

  it('answers exactly {active:false} for a revoked refresh token and for a rotated one', async () => {
    const t = await tokens();
    const rotated = await refresh(ctx, basic(client), t.refresh);
    assert.equal(rotated.status, 200);
    assert.deepEqual(await introspect(ctx, client, t.refresh), { active: false }, 'a spent refresh token is inactive');
    const next = (await json(rotated)).refresh_token as string;
    assert.equal((await revoke(ctx, basic(client), next)).status, 200);
    assert.deepEqual(await introspect(ctx, client, next), { active: false });
  });

  it('answers exactly {active:false} for garbage', async () => {
    for (const token of ['garbage', 'a.b.c', 'ghr_x', 'x'.repeat(10_000), 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.']) {
      assert.deepEqual(await introspect(ctx, client, token), { active: false }, token.slice(0, 30));
    }
  });

  it("answers exactly {active:false} for another client's tokens", async () => {
    const t = await tokens();
    assert.deepEqual(await introspect(ctx, other, t.access), { active: false });
    assert.deepEqual(await introspect(ctx, other, t.refresh), { active: false });
    assert.equal((await introspect(ctx, client, t.access)).active, true, 'still active for its owner');
  });

  it('requires a confidential client: a public client gets 401 invalid_client', async () => {
    const t = await tokens();
    await assertOAuthError(await postForm(ctx, at('/oauth/introspect'), { token: t.access }, { publicId }), 401, 'invalid_client');
  });

  it('refuses missing or wrong client credentials with 401', async () => {
    const t = await tokens();
    await assertOAuthError(await postForm(ctx, at('/oauth/introspect'), { token: t.access }), 401, 'invalid_client');
    const wrong = await postForm(ctx, at('/oauth/introspect'), { token: t.access }, { basic: { id: client.id, secret: 'nope' } });
    await assertOAuthError(wrong, 401, 'invalid_client');
    assert.match(wrong.headers.get('www-authenticate') ?? '', /^Basic /);
  });

  it('answers invalid_request when token is missing', async () => {
    const res = await postForm(ctx, at('/oauth/introspect'), {}, basic(client));
    await assertOAuthError(res, 400, 'invalid_request');
    assert.match(res.headers.get('cache-control') ?? '', /no-store/);
  });

  it('answers exactly {active:false} for an expired access token', async () => {
    const t = await tokens();
    ctx.clock.advance(ctx.config.accessTokenTtl + 1);
    assert.deepEqual(await introspect(ctx, client, t.access), { active: false });
    assert.equal((await introspect(ctx, client, t.refresh)).active, true, 'the refresh token outlives it');
  });

  it('answers exactly {active:false} for an expired refresh token', async () => {
    const t = await tokens();
    ctx.clock.advance(ctx.config.refreshTokenTtl + 1);
    assert.deepEqual(await introspect(ctx, client, t.refresh), { active: false });
  });
});
