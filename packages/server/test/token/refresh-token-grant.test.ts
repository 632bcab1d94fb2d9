import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { signInForTokens } from '../helpers/flow.js';
import { type TestContext, createTestClient } from '../helpers/harness.js';
import type { HttpBrowser } from '../helpers/http-browser.js';
import { type Confidential, assertOAuthError, basic, introspect, json, postForm, refresh, userinfo, grantSetup } from '../helpers/oauth-requests.js';
import { at } from '../helpers/prefix.js';

const DAY = 86_400;

// RFC 6749 §6 with rotation and reuse detection (RFC 9700 §4.14.2) and an absolute lifetime.
describe('refresh_token grant', () => {
  let ctx: TestContext;
  let client: Confidential;
  let email: string;
  let browser: HttpBrowser;

  before(async () => {
    const setup = await grantSetup();
    ({ ctx, client, browser } = setup);
    email = setup.user.email;
  });
  after(() => ctx.close());

  async function signIn(): Promise<{ access: string; refresh: string }> {
    const { tokens } = await signInForTokens(ctx, client, email, {}, browser);
    return { access: tokens.access_token as string, refresh: tokens.refresh_token as string };
  }

  async function refreshed(token: string, extra: Record<string, string> = {}): Promise<Record<string, unknown>> {
    const res = await refresh(ctx, basic(client), token, extra);
    assert.equal(res.status, 200, await res.clone().text());
    return json(res);
  }

  it('rotates: every refresh returns a new refresh token and a new access token', async () => {
    const first = await signIn();
    const second = await refreshed(first.refresh);
    assert.equal(typeof second.refresh_token, 'string');
    assert.notEqual(second.refresh_token, first.refresh);
    assert.notEqual(second.access_token, first.access);
    assert.equal(typeof second.id_token, 'string', 'an openid grant gets a fresh ID token');
    const third = await refreshed(second.refresh_token as string);
    assert.notEqual(third.refresh_token, second.refresh_token);
    assert.equal((await userinfo(ctx, third.access_token as string)).status, 200);
  });

  // OIDC Core §12.2: a refreshed ID token speaks of the same sign-in as the first one.
  it('gives a refreshed ID token the original iss, sub, aud, azp and auth_time, with a new iat', async () => {
    const { tokens } = await signInForTokens(ctx, client, email, {}, browser);
    const original = decodeJwt(tokens.id_token as string);
    ctx.clock.advance(120);
    const again = decodeJwt((await refreshed(tokens.refresh_token as string)).id_token as string);
    for (const claim of ['iss', 'sub', 'aud', 'azp', 'auth_time', 'sid'] as const) assert.deepEqual(again[claim], original[claim], claim);
    assert.equal(again.iat, (original.iat as number) + 120);
  });

  it('treats reuse of a rotated refresh token as theft and revokes the whole grant', async () => {
    const first = await signIn();
    const second = await refreshed(first.refresh);
    const third = await refreshed(second.refresh_token as string);
    const chainAccess = [first.access, second.access_token as string, third.access_token as string];
    for (const at of chainAccess) assert.equal((await introspect(ctx, client, at)).active, true);

    await assertOAuthError(await refresh(ctx, basic(client), first.refresh), 400, 'invalid_grant');

    await assertOAuthError(await refresh(ctx, basic(client), third.refresh_token as string), 400, 'invalid_grant');
    assert.deepEqual(await introspect(ctx, client, third.refresh_token as string), { active: false });
    for (const at of chainAccess) {
      assert.deepEqual(await introspect(ctx, client, at), { active: false });
      assert.equal((await userinfo(ctx, at)).status, 401);
    }
  });

  it('narrows scope on request, and the access token carries only the narrowed scope', async () => {
    const first = await signIn();
    const narrowed = await refreshed(first.refresh, { scope: 'openid' });
    assert.equal(narrowed.scope, 'openid');
    assert.equal(decodeJwt(narrowed.access_token as string).scope, 'openid');
    assert.deepEqual(Object.keys(await json(await userinfo(ctx, narrowed.access_token as string))), ['sub']);
    // Omitting scope afterwards means everything originally granted (RFC 6749 §6).
    const full = await refreshed(narrowed.refresh_token as string);
    assert.deepEqual(String(full.scope).split(' ').sort(), ['email', 'openid', 'profile']);
  });

  it('refuses scope beyond the grant with invalid_scope, and the refresh token survives', async () => {
    const first = await signIn();
    for (const scope of ['openid payments', 'admin', 'openid profile email offline_access']) {
      await assertOAuthError(await refresh(ctx, basic(client), first.refresh, { scope }), 400, 'invalid_scope');
    }
    const still = await refreshed(first.refresh);
    assert.equal(typeof still.refresh_token, 'string');
  });

  it("refuses another client's refresh token without burning it", async () => {
    const first = await signIn();
    const made = await createTestClient(ctx);
    const thief = { id: made.client.id, secret: made.secret as string };
    await assertOAuthError(await refresh(ctx, basic(thief), first.refresh), 400, 'invalid_grant');
    assert.equal((await introspect(ctx, client, first.access)).active, true, 'the grant was not revoked');
    await refreshed(first.refresh);
  });

  it('refuses to refresh for a user disabled while the grant was live', async () => {
    // Disabled straight in the store: the grant stays live, so the user's own flag must refuse it.
    const first = await signIn();
    const user = await ctx.scope.repos.users.findByEmail(email);
    assert.ok(user);
    await ctx.scope.repos.users.setDisabled(user.id, true);
    try {
      await assertOAuthError(await refresh(ctx, basic(client), first.refresh), 400, 'invalid_grant');
    } finally {
      await ctx.scope.repos.users.setDisabled(user.id, false);
    }
  });

  it('refuses a missing, unknown or oversized refresh token', async () => {
    const res = await postForm(ctx, at('/oauth/token'), { grant_type: 'refresh_token' }, basic(client));
    await assertOAuthError(res, 400, 'invalid_request');
    await assertOAuthError(await refresh(ctx, basic(client), 'ghr_unknown'), 400, 'invalid_grant');
    await assertOAuthError(await refresh(ctx, basic(client), 'r'.repeat(10_000)), 400, 'invalid_grant');
  });

  it('stops refreshing at the absolute lifetime, even with a freshly rotated token', async () => {
    assert.equal(ctx.config.refreshTokenTtl, 30 * DAY);
    const first = await signIn();
    ctx.clock.advance(29 * DAY);
    const fresh = await refreshed(first.refresh);
    ctx.clock.advance(DAY + 1);
    await assertOAuthError(await refresh(ctx, basic(client), fresh.refresh_token as string), 400, 'invalid_grant');
    assert.deepEqual(await introspect(ctx, client, fresh.refresh_token as string), { active: false });
  });
});
