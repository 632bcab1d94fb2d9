import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { type JSONWebKeySet, createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { closeAccount } from '../../src/account/close.js';
import { runMaintenance } from '../../src/maintenance.js';
import { changePasswordWithToken } from '../../src/password/change.js';
import { deleteUser, disableUser, endAllSessionsOfUser, endSessionOfUser, setPassword } from '../../src/services/users.js';
import type { User } from '../../src/store/repos/users.js';
import { CHROME_WINDOWS, accountPage, csrfOf, deviceBrowser, post, signInAt } from '../helpers/account-area.js';
import { tokensFor } from '../helpers/account-pages.js';
import { ISSUER, signInForTokens } from '../helpers/flow.js';
import { type TestContext, createTestContext, createTestUser } from '../helpers/harness.js';
import type { HttpBrowser } from '../helpers/http-browser.js';
import { type Confidential, basic, confidentialClient, introspect, refresh, userinfo } from '../helpers/oauth-requests.js';
import { at } from '../helpers/prefix.js';
import { type Receiver, startReceiver } from '../webhooks/receiver.js';

const POST_LOGOUT = 'https://example-business.com/';
const LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

interface AppTokens {
  access: string;
  refresh: string;
}

/** A user signed in once (one session, `sid`) to the app twice: without and with offline_access. */
interface SignedIn {
  user: User;
  browser: HttpBrowser;
  sid: string;
  idToken: string;
  online: AppTokens;
  offline: AppTokens;
}

// Every way a session ends (issue 22, docs/logout.md): the tokens the app got through it stop
// working, at the token endpoint, userinfo and introspection, but those given offline_access
// (OIDC Core §11); and the app hears of it by a logout token (Back-Channel Logout 1.0).
describe('a session that ends takes its tokens with it and tells the app', () => {
  let ctx: TestContext;
  let receiver: Receiver;
  let client: Confidential;
  let jwks: ReturnType<typeof createLocalJWKSet>;
  let address = 1;

  before(async () => {
    ctx = await createTestContext({ GATEHOUSE_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', GATEHOUSE_TRUST_PROXY: 'true' });
    receiver = await startReceiver();
    client = await confidentialClient(ctx, {
      scopes: ['openid', 'profile', 'email', 'offline_access'],
      postLogoutRedirectUris: [POST_LOGOUT],
      backchannelLogoutUri: receiver.url('/backchannel'),
      backchannelLogoutSessionRequired: true,
    });
    const res = await ctx.app.request(at('/.well-known/jwks.json'));
    jwks = createLocalJWKSet((await res.json()) as JSONWebKeySet);
  });
  after(async () => {
    await receiver.close();
    await ctx.close();
  });
  beforeEach(() => {
    receiver.received.length = 0;
    receiver.answers.length = 0;
    receiver.otherwise = { status: 200 };
  });

  async function signIn(user?: User): Promise<SignedIn> {
    const who = user ?? (await createTestUser(ctx));
    const browser = deviceBrowser(ctx, `198.51.100.${address++}`, CHROME_WINDOWS);
    const { tokens } = await signInForTokens(ctx, client, who.email, { scope: 'openid profile email' }, browser);
    const online = { access: tokens.access_token as string, refresh: tokens.refresh_token as string };
    const offline = await tokensFor(ctx, client, who.email, browser, 'openid offline_access');
    const idToken = tokens.id_token as string;
    const sid = decodeJwt(idToken).sid;
    assert.equal(typeof sid, 'string', 'the ID token of a client with back-channel logout carries sid');
    return { user: who, browser, sid: sid as string, idToken, online, offline };
  }

  async function assertEnded(tokens: AppTokens, what: string): Promise<void> {
    const refreshed = await refresh(ctx, basic(client), tokens.refresh);
    assert.equal(refreshed.status, 400, `${what}: refresh refused`);
    assert.equal(((await refreshed.json()) as { error: string }).error, 'invalid_grant');
    const info = await userinfo(ctx, tokens.access);
    assert.equal(info.status, 401, `${what}: userinfo refuses the access token`);
    assert.match(info.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
    assert.equal((await introspect(ctx, client, tokens.access)).active, false, `${what}: the access token is inactive`);
    assert.equal((await introspect(ctx, client, tokens.refresh)).active, false, `${what}: the refresh token is inactive`);
  }

  async function assertLive(tokens: AppTokens, what: string): Promise<void> {
    assert.equal((await userinfo(ctx, tokens.access)).status, 200, `${what}: userinfo still answers`);
    assert.equal((await introspect(ctx, client, tokens.access)).active, true, `${what}: the access token is active`);
    assert.equal((await refresh(ctx, basic(client), tokens.refresh)).status, 200, `${what}: refresh still works`);
  }

  /** Delivers what is due and returns the logout tokens the app got, verified with jose (not the SDK). */
  async function logoutTokens(): Promise<Record<string, unknown>[]> {
    ctx.services.backchannel.kick();
    await ctx.services.background.settled();
    const verified: Record<string, unknown>[] = [];
    for (const request of receiver.received.filter((r) => r.path === '/backchannel')) {
      assert.equal(request.headers['content-type'], 'application/x-www-form-urlencoded');
      const token = new URLSearchParams(request.body).get('logout_token');
      assert.ok(token, 'the body is logout_token=…');
      assert.equal(decodeProtectedHeader(token).typ, 'logout+jwt');
      const { payload } = await jwtVerify(token, jwks, {
        issuer: ISSUER,
        audience: client.id,
        typ: 'logout+jwt',
        maxTokenAge: 300,
        currentDate: new Date(ctx.clock() * 1000),
      });
      assert.deepEqual(payload.events, { [LOGOUT_EVENT]: {} });
      assert.equal(payload.nonce, undefined, 'a logout token never has a nonce');
      assert.equal(typeof payload.jti, 'string');
      assert.ok((payload.exp ?? 0) - (payload.iat ?? 0) <= 300, 'short-lived');
      verified.push(payload);
    }
    return verified;
  }

  async function assertLoggedOut(s: SignedIn): Promise<void> {
    const tokens = await logoutTokens();
    const mine = tokens.filter((t) => t.sid === s.sid);
    assert.equal(mine.length, 1, `one logout token for the session, got ${JSON.stringify(tokens)}`);
    assert.equal(mine[0]?.sub, s.user.id);
  }

  it('RP-initiated logout', async () => {
    const s = await signIn();
    const res = await s.browser.request(`${ISSUER}/oauth/logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ id_token_hint: s.idToken, post_logout_redirect_uri: POST_LOGOUT }).toString(),
    });
    assert.equal(res.status, 303);
    await assertEnded(s.online, 'logout');
    await assertLive(s.offline, 'logout');
    await assertLoggedOut(s);
  });

  it('the account page: "sign out" of one session, from another browser', async () => {
    const s = await signIn();
    const laptop = deviceBrowser(ctx, `198.51.100.${address++}`);
    await signInAt(laptop, ISSUER, `${ISSUER}/account`, s.user.email);
    const page = await accountPage(laptop, `${ISSUER}/account/sessions`);
    const res = await post(laptop, `${ISSUER}/account/sessions/end`, { csrf: csrfOf(page), sid: s.sid });
    assert.equal(res.status, 303);
    await assertEnded(s.online, 'sign out one');
    await assertLive(s.offline, 'sign out one');
    await assertLoggedOut(s);
  });

  it('the account page: "sign out others"', async () => {
    const s = await signIn();
    const laptop = deviceBrowser(ctx, `198.51.100.${address++}`);
    await signInAt(laptop, ISSUER, `${ISSUER}/account`, s.user.email);
    const page = await accountPage(laptop, `${ISSUER}/account/sessions`);
    assert.equal((await post(laptop, `${ISSUER}/account/sessions/end-others`, { csrf: csrfOf(page) })).status, 303);
    await assertEnded(s.online, 'sign out others');
    await assertLive(s.offline, 'sign out others');
    await assertLoggedOut(s);
  });

  it('a password change (Admin API, console, CLI: setPassword)', async () => {
    const s = await signIn();
    await setPassword(ctx.scope, s.user, 'a brand new password, long enough');
    await assertEnded(s.online, 'password change');
    await assertLive(s.offline, 'password change');
    await assertLoggedOut(s);
  });

  it('a password reset by mailed link', async () => {
    const s = await signIn();
    const token = await ctx.scope.repos.passwordResets.create(s.user.id, 3600);
    assert.equal(await changePasswordWithToken(ctx.scope, token, 'another new password, long enough'), true);
    await assertEnded(s.online, 'password reset');
    await assertLive(s.offline, 'password reset');
    await assertLoggedOut(s);
  });

  it('an administrator ending one session, then every session (Admin API, console, CLI)', async () => {
    const s = await signIn();
    assert.equal(await endSessionOfUser(ctx.scope, s.user.id, s.sid), true);
    await assertEnded(s.online, 'admin ends the session');
    await assertLive(s.offline, 'admin ends the session');
    await assertLoggedOut(s);
    receiver.received.length = 0;
    const again = await signIn(s.user);
    await endAllSessionsOfUser(ctx.scope, s.user.id);
    await assertEnded(again.online, 'admin ends every session');
    await assertLive(again.offline, 'admin ends every session');
    await assertLoggedOut(again);
  });

  it('the session lifetime running out', async () => {
    const s = await signIn();
    const [session] = await ctx.scope.repos.sessions.listForUser(s.user.id);
    assert.ok(session);
    ctx.clock.advance(session.expiresAt - ctx.clock() + 1);
    await runMaintenance(ctx.services);
    await assertEnded(s.online, 'lifetime');
    // Its access token outlived by the clock move: only the refresh token says offline access survived.
    assert.equal((await refresh(ctx, basic(client), s.offline.refresh)).status, 200, 'offline_access outlives the session');
    await assertLoggedOut(s);
  });

  it('disabling the user ends every grant, offline ones too, and tells the app', async () => {
    const s = await signIn();
    await disableUser(ctx.scope, s.user);
    await assertEnded(s.online, 'disabled');
    await assertEnded(s.offline, 'disabled (offline too)');
    await assertLoggedOut(s);
  });

  it('closing the account ends every grant and tells the app', async () => {
    const s = await signIn();
    await closeAccount(ctx.scope, s.user, 'not_using', null);
    await assertEnded(s.online, 'closed');
    await assertEnded(s.offline, 'closed (offline too)');
    await assertLoggedOut(s);
  });

  it('an administrator deleting the user (Admin API, console, CLI) tells the app; the tokens go with the user', async () => {
    const s = await signIn();
    await deleteUser(ctx.scope, s.user);
    await assertEnded(s.online, 'deleted');
    await assertEnded(s.offline, 'deleted (offline too)');
    await assertLoggedOut(s);
  });
});
