import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oidc from 'openid-client';
import { gatehouseJson } from '../helpers/cli-run.js';
import { type TestContext, TEST_PASSWORD, createTestClient, createTestUser } from '../helpers/harness.js';
import { HttpBrowser } from '../helpers/http-browser.js';
import { startLiveServer } from '../helpers/live-server.js';

const REDIRECT = 'https://acme.example/callback';
const POST_LOGOUT = 'https://acme.example/';

interface CreatedClient {
  client_id: string;
  client_secret: string;
}

// A second issuer created with the CLI, driven by openid-client over real HTTP at
// <GATEHOUSE_ISSUER>/acme, beside the default issuer of the same server and database.
describe('a second issuer, end to end with openid-client', () => {
  let live: Awaited<ReturnType<typeof startLiveServer>>;
  let ctx: TestContext;
  let acmeUrl: string;
  let acme: oidc.Configuration;
  let acmeClient: CreatedClient;
  const email = 'ada@example.com';
  const acmePassword = 'acme horse battery staple';

  before(async () => {
    live = await startLiveServer();
    ctx = live.ctx;
    const issuer = await gatehouseJson<{ id: string; url: string }>(ctx, ['issuer', 'create', '--id', 'acme', '--name', 'Acme Inc']);
    acmeUrl = `${live.issuer}/acme`;
    assert.equal(issuer.url, acmeUrl);
    acmeClient = await gatehouseJson<CreatedClient>(ctx, [
      '--issuer',
      'acme',
      'client',
      'create',
      '--name',
      'Acme Shop',
      '--redirect-uri',
      REDIRECT,
      '--post-logout-redirect-uri',
      POST_LOGOUT,
      '--grant-types',
      'authorization_code,refresh_token,client_credentials',
      '--scope',
      'openid profile email offline_access payments',
    ]);
    await gatehouseJson(ctx, ['user', 'create', '--issuer', 'acme', '--email', email, '--name', 'Ada of Acme', '--password-stdin'], [`${acmePassword}\n`]);
    // The same address has an account at the default issuer too, with another password.
    await createTestUser(ctx, email, TEST_PASSWORD);
    // The commands ran on the real clock; the server's test clock catches up with their keys.
    ctx.clock.set(Math.floor(Date.now() / 1000) + 1);
    acme = await oidc.discovery(new URL(acmeUrl), acmeClient.client_id, { redirect_uris: [REDIRECT] }, oidc.ClientSecretBasic(acmeClient.client_secret), {
      execute: [oidc.allowInsecureRequests],
    });
  });
  after(() => live.close());

  async function signIn(
    browser: HttpBrowser,
    config: oidc.Configuration,
    password: string,
    pages: boolean,
  ): Promise<{ callback: URL; verifier: string; state: string; nonce: string }> {
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
    if (pages) {
      assert.ok(step.page, 'login page shown');
      assert.match(step.page.html, /Acme Inc/, "the issuer's own name on its page");
      step = await browser.submit(step.page, '/login', { email, password }, live.issuer);
      // Consent once per user and client: a later sign-in goes straight back.
      if (step.page) step = await browser.submit(step.page, '/consent', { decision: 'approve', scope: ['openid', 'profile', 'email'] }, live.issuer);
    }
    assert.ok(step.leftTo, `redirected back to the client (${step.page?.html.slice(0, 300)})`);
    return { callback: new URL(step.leftTo), verifier, state, nonce };
  }

  it('has discovery, JWKS and endpoints of its own', async () => {
    const metadata = acme.serverMetadata();
    assert.equal(metadata.issuer, acmeUrl);
    assert.equal(metadata.token_endpoint, `${acmeUrl}/oauth/token`);
    assert.equal(metadata.jwks_uri, `${acmeUrl}/.well-known/jwks.json`);
    const ownKeys = (await (await fetch(`${acmeUrl}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] };
    const defaultKeys = (await (await fetch(`${live.issuer}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] };
    assert.equal(ownKeys.keys.length, 3);
    assert.ok(!ownKeys.keys.some((k) => defaultKeys.keys.some((d) => d.kid === k.kid)), 'no key shared with the default issuer');
  });

  it('runs login → consent → tokens → userinfo → refresh → introspect → revoke → logout at <issuer>/acme', async () => {
    const browser = new HttpBrowser();
    // The default issuer's password is not the Acme account's.
    const wrong = await browser.navigate(
      oidc.buildAuthorizationUrl(acme, {
        redirect_uri: REDIRECT,
        scope: 'openid',
        code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
        code_challenge_method: 'S256',
      }).href,
      live.issuer,
    );
    assert.ok(wrong.page);
    const refused = await browser.submit(wrong.page, '/login', { email, password: TEST_PASSWORD }, live.issuer);
    assert.equal(refused.page?.status, 401);

    const first = await signIn(browser, acme, acmePassword, true);
    assert.equal(first.callback.searchParams.get('iss'), acmeUrl);
    const tokens = await oidc.authorizationCodeGrant(acme, first.callback, {
      pkceCodeVerifier: first.verifier,
      expectedState: first.state,
      expectedNonce: first.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    assert.ok(claims);
    assert.equal(claims.iss, acmeUrl);
    assert.equal(claims.name, undefined, "profile claims are userinfo's (OIDC Core §5.4)");
    assert.ok(tokens.refresh_token);

    const info = await oidc.fetchUserInfo(acme, tokens.access_token, claims.sub);
    assert.equal(info.email, email);
    assert.equal(info.name, 'Ada of Acme');

    const refreshed = await oidc.refreshTokenGrant(acme, tokens.refresh_token);
    assert.ok(refreshed.refresh_token && refreshed.refresh_token !== tokens.refresh_token);
    assert.equal((await oidc.tokenIntrospection(acme, refreshed.access_token)).active, true);
    assert.equal((await oidc.tokenIntrospection(acme, refreshed.access_token)).iss, acmeUrl);

    await oidc.tokenRevocation(acme, refreshed.refresh_token as string, { token_type_hint: 'refresh_token' });
    assert.equal((await oidc.tokenIntrospection(acme, refreshed.access_token)).active, false);
    await assert.rejects(oidc.fetchUserInfo(acme, refreshed.access_token, claims.sub));

    const second = await signIn(browser, acme, acmePassword, false);
    const fresh = await oidc.authorizationCodeGrant(acme, second.callback, {
      pkceCodeVerifier: second.verifier,
      expectedState: second.state,
      expectedNonce: second.nonce,
    });
    const logout = oidc.buildEndSessionUrl(acme, { id_token_hint: fresh.id_token as string, post_logout_redirect_uri: POST_LOGOUT, state: 'bye' });
    const out = await browser.navigate(logout.href, live.issuer);
    assert.ok(out.leftTo);
    assert.equal(new URL(out.leftTo).searchParams.get('state'), 'bye');
    const silent = await browser.navigate(
      oidc.buildAuthorizationUrl(acme, {
        redirect_uri: REDIRECT,
        scope: 'openid',
        code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
        code_challenge_method: 'S256',
        state: 's',
        prompt: 'none',
      }).href,
      live.issuer,
    );
    assert.equal(new URL(silent.leftTo as string).searchParams.get('error'), 'login_required');
  });

  it('keeps the two issuers apart: tokens, clients and sessions of one are unknown at the other', async () => {
    const browser = new HttpBrowser();
    const signedIn = await signIn(browser, acme, acmePassword, true);
    const tokens = await oidc.authorizationCodeGrant(acme, signedIn.callback, {
      pkceCodeVerifier: signedIn.verifier,
      expectedState: signedIn.state,
      expectedNonce: signedIn.nonce,
    });

    // Acme's access token at the default issuer's userinfo and introspection.
    const userinfo = await fetch(`${live.issuer}/oauth/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    assert.equal(userinfo.status, 401);
    const { client: other, secret } = await createTestClient(ctx);
    const basic = `Basic ${Buffer.from(`${other.id}:${secret}`).toString('base64')}`;
    const introspected = await fetch(`${live.issuer}/oauth/introspect`, {
      method: 'POST',
      headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: tokens.access_token }),
    });
    assert.deepEqual(await introspected.json(), { active: false });

    // Acme's client cannot authenticate at the default issuer, nor the default's at Acme.
    const acmeAtDefault = await fetch(`${live.issuer}/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${acmeClient.client_id}:${acmeClient.client_secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token as string }),
    });
    assert.equal(acmeAtDefault.status, 401);
    const defaultAtAcme = await fetch(`${acmeUrl}/oauth/token`, {
      method: 'POST',
      headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    });
    assert.equal(defaultAtAcme.status, 401);

    // The browser signed in at Acme is not signed in at the default issuer.
    const { client: web } = await createTestClient(ctx, { redirectUris: [REDIRECT] });
    const atDefault = await browser.navigate(
      `${live.issuer}/oauth/authorize?${new URLSearchParams({ client_id: web.id, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256', prompt: 'none' })}`,
      live.issuer,
    );
    assert.equal(new URL(atDefault.leftTo as string).searchParams.get('error'), 'login_required');
    // Still signed in at Acme.
    const again = await signIn(browser, acme, acmePassword, false);
    assert.ok(again.callback.searchParams.get('code'));
  });
});
