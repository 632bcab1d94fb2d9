import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oidc from 'openid-client';
import { HttpBrowser, TEST_PASSWORD, createTestClient, createTestUser, startLiveServer, throughGatehouse } from './helpers.js';

// openid-client v6 (panva) as the relying party, with its own checks: state, iss (RFC 9207), the
// ID token claims (iss, aud, exp, nonce), the userinfo sub, and, since enableNonRepudiationChecks
// is on, the ID token signatures against Gatehouse's JWKS (off by default: a token straight from
// the token endpoint over TLS need not be verified, OIDC Core §3.1.3.7). Each step is a separate
// test on one sign-in; packages/server/test/e2e/openid-client-flow.test.ts covers SSO, refresh
// token reuse and logout.
describe('openid-client v6 against Gatehouse', () => {
  const REDIRECT = 'http://127.0.0.1:8765/callback'; // never contacted: the browser stops at it
  let live: Awaited<ReturnType<typeof startLiveServer>>;
  let config: oidc.Configuration;
  let clientId: string;
  let user: { email: string; password: string; sub: string };
  let tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers;

  before(async () => {
    live = await startLiveServer();
    const { client, secret } = await createTestClient(live.ctx, { redirectUris: [REDIRECT], postLogoutRedirectUris: ['http://127.0.0.1:8765/'] });
    clientId = client.id;
    const created = await createTestUser(live.ctx);
    user = { email: created.email, password: TEST_PASSWORD, sub: created.id };
    config = await oidc.discovery(new URL(live.issuer), clientId, { redirect_uris: [REDIRECT] }, oidc.ClientSecretBasic(secret as string), {
      execute: [oidc.allowInsecureRequests],
    });
    oidc.enableNonRepudiationChecks(config);
  });

  after(async () => {
    await live?.close();
  });

  it('authorization code + PKCE → tokens → userinfo', async () => {
    assert.equal(config.serverMetadata().issuer, live.issuer);
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
    const { callback, shown } = await throughGatehouse(new HttpBrowser(), url.href, live.issuer, user);
    assert.deepEqual(shown, ['login', 'consent']);

    tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    assert.equal(claims?.sub, user.sub);
    assert.equal(claims?.aud, clientId);
    assert.ok(tokens.refresh_token);
    assert.equal(tokens.token_type.toLowerCase(), 'bearer');

    const info = await oidc.fetchUserInfo(config, tokens.access_token, user.sub);
    assert.equal(info.email, user.email);
    assert.equal(info.name, 'Ada Lovelace');
    // A wrong expected subject is caught by the library.
    await assert.rejects(oidc.fetchUserInfo(config, tokens.access_token, 'someone-else'));
  });

  it('refresh: a new access and refresh token; the old refresh token is spent', async () => {
    const old = tokens.refresh_token as string;
    const refreshed = await oidc.refreshTokenGrant(config, old);
    assert.ok(refreshed.access_token && refreshed.access_token !== tokens.access_token);
    assert.ok(refreshed.refresh_token && refreshed.refresh_token !== old);
    const info = await oidc.fetchUserInfo(config, refreshed.access_token, user.sub);
    assert.equal(info.email, user.email);
    // Asked about, not presented again: presenting it would revoke the whole grant.
    assert.equal((await oidc.tokenIntrospection(config, old)).active, false);
    assert.equal((await oidc.tokenIntrospection(config, refreshed.refresh_token)).active, true);
    tokens = refreshed;
  });

  it('introspection and revocation', async () => {
    const active = await oidc.tokenIntrospection(config, tokens.access_token);
    assert.equal(active.active, true);
    assert.equal(active.client_id, clientId);
    assert.equal(active.sub, user.sub);

    await oidc.tokenRevocation(config, tokens.refresh_token as string, { token_type_hint: 'refresh_token' });
    assert.equal((await oidc.tokenIntrospection(config, tokens.refresh_token as string)).active, false);
    assert.equal((await oidc.tokenIntrospection(config, tokens.access_token)).active, false);
    await assert.rejects(oidc.fetchUserInfo(config, tokens.access_token, user.sub));
    await assert.rejects(oidc.refreshTokenGrant(config, tokens.refresh_token as string), (e: { error?: string }) => e.error === 'invalid_grant');
    // Revoking an unknown token is not an error (RFC 7009 §2.2).
    await oidc.tokenRevocation(config, 'not-a-token');
  });

  it('client credentials', async () => {
    const m2m = await oidc.clientCredentialsGrant(config, { scope: 'payments' });
    assert.equal(m2m.refresh_token, undefined);
    assert.equal(m2m.id_token, undefined);
    const info = await oidc.tokenIntrospection(config, m2m.access_token);
    assert.equal(info.active, true);
    assert.equal(info.client_id, clientId);
    assert.equal(info.scope, 'payments');
    await oidc.tokenRevocation(config, m2m.access_token, { token_type_hint: 'access_token' });
    assert.equal((await oidc.tokenIntrospection(config, m2m.access_token)).active, false);
  });

  // RFC 8414 §3.1 puts the well-known suffix before the issuer's path: the same document, also
  // for an issuer under a path (TEST_ISSUER_PREFIX), where that URL is at the host's root.
  it("finds the same metadata by RFC 8414's discovery (algorithm: 'oauth2')", async () => {
    const viaRfc8414 = await oidc.discovery(new URL(live.issuer), clientId, { redirect_uris: [REDIRECT] }, oidc.None(), {
      algorithm: 'oauth2',
      execute: [oidc.allowInsecureRequests],
    });
    assert.deepEqual(viaRfc8414.serverMetadata(), config.serverMetadata());
  });
});
