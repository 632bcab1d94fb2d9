import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oidc from 'openid-client';
import { type TestContext, createTestClient, createTestUser, TEST_PASSWORD } from '../helpers/harness.js';
import { HttpBrowser } from '../helpers/http-browser.js';
import { startLiveServer } from '../helpers/live-server.js';

const REDIRECT = 'https://example-business.com/api/auth/callback/gatehouse';
const POST_LOGOUT = 'https://example-business.com/';

// The whole life of a sign-in, driven by openid-client as an independent relying party against a
// real HTTP server.
describe('end to end with openid-client', () => {
  let live: Awaited<ReturnType<typeof startLiveServer>>;
  let ctx: TestContext;
  let config: oidc.Configuration;
  let clientId: string;
  let email: string;
  const browser = new HttpBrowser();

  before(async () => {
    live = await startLiveServer();
    ctx = live.ctx;
    const { client, secret } = await createTestClient(ctx, { redirectUris: [REDIRECT], postLogoutRedirectUris: [POST_LOGOUT] });
    clientId = client.id;
    email = (await createTestUser(ctx)).email;
    config = await oidc.discovery(new URL(live.issuer), clientId, { redirect_uris: [REDIRECT] }, oidc.ClientSecretBasic(secret as string), {
      execute: [oidc.allowInsecureRequests],
    });
  });
  after(() => live.close());

  /** Authorize → (login) → (consent) → callback URL, as a user's browser would. */
  async function signIn(expectPages: boolean): Promise<{ callback: URL; verifier: string; state: string; nonce: string }> {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'openid profile email',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    let step = await browser.navigate(url.href, live.issuer);
    if (expectPages) {
      assert.ok(step.page, 'login page shown');
      step = await browser.submit(step.page, '/login', { email, password: TEST_PASSWORD }, live.issuer);
      assert.ok(step.page, 'consent page shown');
      assert.match(step.page.html, /Example Business/);
      step = await browser.submit(step.page, '/consent', { decision: 'approve', scope: ['openid', 'profile', 'email'] }, live.issuer);
    }
    assert.ok(step.leftTo, `redirected back to the client (${step.page?.html.slice(0, 300)})`);
    return { callback: new URL(step.leftTo), verifier, state, nonce };
  }

  it('runs discovery → login → consent → tokens → userinfo → refresh → reuse → revoke → introspect → client credentials → logout', async () => {
    assert.equal(config.serverMetadata().issuer, live.issuer);

    // Login with PKCE; openid-client checks state, iss (RFC 9207) and the ID token against the JWKS.
    const first = await signIn(true);
    assert.equal(first.callback.searchParams.get('iss'), live.issuer);
    const tokens = await oidc.authorizationCodeGrant(config, first.callback, {
      pkceCodeVerifier: first.verifier,
      expectedState: first.state,
      expectedNonce: first.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    assert.ok(claims);
    assert.equal(claims.aud, clientId);
    // OIDC Core §5.4: with an access token, the email comes from userinfo (below), not the ID token.
    assert.equal(claims.email, undefined);
    assert.ok(claims.sid && claims.auth_time && claims.at_hash);
    assert.ok(tokens.refresh_token);

    const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
    assert.equal(info.email, email);
    assert.equal(info.name, 'Ada Lovelace');

    // Rotation: a new refresh token each time; the old one, used again, revokes the grant.
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token);
    assert.ok(refreshed.refresh_token && refreshed.refresh_token !== tokens.refresh_token);
    await assert.rejects(oidc.refreshTokenGrant(config, tokens.refresh_token), (e: { error?: string }) => e.error === 'invalid_grant');
    await assert.rejects(oidc.refreshTokenGrant(config, refreshed.refresh_token), (e: { error?: string }) => e.error === 'invalid_grant');
    assert.equal((await oidc.tokenIntrospection(config, refreshed.access_token)).active, false);

    // Single sign-on: the session and the remembered consent make the next sign-in silent.
    const second = await signIn(false);
    const fresh = await oidc.authorizationCodeGrant(config, second.callback, {
      pkceCodeVerifier: second.verifier,
      expectedState: second.state,
      expectedNonce: second.nonce,
    });
    const active = await oidc.tokenIntrospection(config, fresh.access_token);
    assert.equal(active.active, true);
    assert.equal(active.client_id, clientId);
    assert.equal(active.sub, claims.sub);

    // Revoking the refresh token ends the grant's access tokens too.
    await oidc.tokenRevocation(config, fresh.refresh_token as string, { token_type_hint: 'refresh_token' });
    assert.equal((await oidc.tokenIntrospection(config, fresh.access_token)).active, false);
    assert.equal((await oidc.tokenIntrospection(config, fresh.refresh_token as string)).active, false);
    await assert.rejects(oidc.fetchUserInfo(config, fresh.access_token, claims.sub));

    // Machine to machine.
    const m2m = await oidc.clientCredentialsGrant(config, { scope: 'payments' });
    assert.equal(m2m.refresh_token, undefined);
    assert.equal(m2m.id_token, undefined);
    const m2mInfo = await oidc.tokenIntrospection(config, m2m.access_token);
    assert.equal(m2mInfo.active, true);
    assert.equal(m2mInfo.scope, 'payments');

    // RP-initiated logout ends the session: the next silent sign-in needs a login.
    const logout = oidc.buildEndSessionUrl(config, {
      id_token_hint: fresh.id_token as string,
      post_logout_redirect_uri: POST_LOGOUT,
      state: 'bye',
    });
    const out = await browser.navigate(logout.href, live.issuer);
    assert.ok(out.leftTo);
    const back = new URL(out.leftTo);
    assert.equal(`${back.origin}${back.pathname}`, POST_LOGOUT);
    assert.equal(back.searchParams.get('state'), 'bye');
    const silent = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
      state: 's',
      prompt: 'none',
    });
    const denied = await browser.navigate(silent.href, live.issuer);
    assert.ok(denied.leftTo);
    assert.equal(new URL(denied.leftTo).searchParams.get('error'), 'login_required');
  });
});
