import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import session from 'express-session';
import passport from 'passport';
import OpenIDConnectStrategy from 'passport-openidconnect';
import { PkceOpenIDConnectStrategy } from '../src/passport-pkce.js';
import {
  type Discovery,
  type RunningApp,
  HttpBrowser,
  TEST_PASSWORD,
  createTestClient,
  createTestUser,
  discover,
  introspect,
  listen,
  startLiveServer,
  throughGatehouse,
} from './helpers.js';

/** What the app keeps about a signed-in user (the Passport `user`). */
interface AppUser {
  sub: string;
  email: string | undefined;
  name: string | undefined;
  /** Where each came from: the ID token and the userinfo response. */
  idTokenSub: string;
  userinfo: Record<string, unknown> | undefined;
  accessToken: string;
  refreshToken: string | undefined;
}

interface GatehouseSettings {
  discovery: Discovery;
  clientId: string;
  clientSecret: string;
}

/**
 * An ordinary Express app signing users in with passport + passport-openidconnect, configured
 * from Gatehouse's discovery document. `/login` uses the PKCE subclass; `/login-stock` uses the
 * library's own Strategy unchanged, to show what Gatehouse does with a request without PKCE.
 * (Routes are added to an app that already listens, as its callback URL needs its port.)
 */
function mountPassportApp(app: express.Express, gatehouse: GatehouseSettings, origin: string): void {
  const { discovery, clientId, clientSecret } = gatehouse;
  const authenticator = new passport.Passport();

  const verify: OpenIDConnectStrategy.VerifyFunction = (issuer, uiProfile, idProfile, _context, _idToken, accessToken, refreshToken, _params, done) => {
    const user: AppUser = {
      sub: uiProfile.id,
      email: uiProfile.emails?.[0]?.value,
      name: uiProfile.displayName,
      idTokenSub: idProfile.id,
      userinfo: uiProfile._json,
      accessToken,
      refreshToken,
    };
    assert.equal(issuer, discovery.issuer);
    done(null, user);
  };

  const settings = (callbackPath: string): OpenIDConnectStrategy.StrategyOptions => ({
    issuer: discovery.issuer,
    authorizationURL: discovery.authorization_endpoint,
    tokenURL: discovery.token_endpoint,
    userInfoURL: discovery.userinfo_endpoint,
    clientID: clientId,
    clientSecret,
    callbackURL: `${origin}${callbackPath}`,
    scope: ['openid', 'profile', 'email'],
    nonce: true,
  });
  authenticator.use('gatehouse', new PkceOpenIDConnectStrategy(settings('/callback'), verify));
  authenticator.use('gatehouse-stock', new OpenIDConnectStrategy(settings('/callback-stock'), verify));
  authenticator.serializeUser((user, done) => done(null, user));
  authenticator.deserializeUser((user: Express.User, done) => done(null, user));

  app.use(session({ name: 'rp.sid', secret: 'interop-test-session-secret', resave: false, saveUninitialized: false }));
  app.use(authenticator.session());
  app.get('/login', authenticator.authenticate('gatehouse'));
  app.get('/callback', authenticator.authenticate('gatehouse', { failureRedirect: '/failed', failureMessage: true }), (_req, res) => res.redirect('/me'));
  app.get('/login-stock', authenticator.authenticate('gatehouse-stock'));
  app.get('/callback-stock', authenticator.authenticate('gatehouse-stock', { failureRedirect: '/failed', failureMessage: true }), (_req, res) =>
    res.redirect('/me'),
  );
  app.get('/me', (req, res) => {
    res.json({ user: req.user ?? null });
  });
  app.get('/failed', (req, res) => {
    res.status(401).json({ messages: (req.session as unknown as { messages?: string[] }).messages ?? [] });
  });
  app.use((err: Error & { code?: string }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(500).json({ error: err.name, code: err.code ?? null, message: err.message });
  });
}

describe('passport-openidconnect against Gatehouse', () => {
  let live: Awaited<ReturnType<typeof startLiveServer>>;
  let rp: RunningApp;
  let discovery: Discovery;
  let clientId: string;
  let clientSecret: string;
  let user: { email: string; password: string; sub: string };
  let origin = '';

  before(async () => {
    live = await startLiveServer();
    const app = express();
    rp = await listen(app);
    origin = rp.origin;

    const { client, secret } = await createTestClient(live.ctx, {
      redirectUris: [`${origin}/callback`, `${origin}/callback-stock`],
      postLogoutRedirectUris: [`${origin}/`],
    });
    clientId = client.id;
    clientSecret = secret as string;
    const created = await createTestUser(live.ctx);
    user = { email: created.email, password: TEST_PASSWORD, sub: created.id };
    discovery = await discover(live.issuer);
    mountPassportApp(app, { discovery, clientId, clientSecret }, origin);
  });

  after(async () => {
    await rp?.close();
    await live?.close();
  });

  it('signs in through the hosted login and consent pages: code + PKCE → tokens → userinfo → profile', async () => {
    const browser = new HttpBrowser();
    const start = await browser.navigate(`${origin}/login`, origin);
    assert.ok(start.leftTo, 'the app redirected to Gatehouse');
    const authorize = new URL(start.leftTo);
    assert.equal(authorize.searchParams.get('client_id'), clientId);
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
    assert.match(authorize.searchParams.get('code_challenge') ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.ok(authorize.searchParams.get('state'));
    assert.ok(authorize.searchParams.get('nonce'));

    const { callback, shown } = await throughGatehouse(browser, start.leftTo, live.issuer, user);
    assert.deepEqual(shown, ['login', 'consent']);
    assert.equal(`${callback.origin}${callback.pathname}`, `${origin}/callback`);
    assert.equal(callback.searchParams.get('iss'), live.issuer);
    assert.ok(callback.searchParams.get('code'));

    const done = await browser.navigate(callback.href, origin);
    assert.ok(done.page, `the app finished the sign-in (${done.leftTo})`);
    assert.equal(done.page.status, 200, done.page.html);
    assert.equal(new URL(done.page.url).pathname, '/me');
    const me = (JSON.parse(done.page.html) as { user: AppUser }).user;
    assert.equal(me.sub, user.sub);
    assert.equal(me.idTokenSub, user.sub);
    assert.equal(me.email, user.email);
    assert.equal(me.name, 'Ada Lovelace');
    // The profile came from the userinfo endpoint, not only the ID token.
    assert.equal(me.userinfo?.sub, user.sub);
    assert.equal(me.userinfo?.email, user.email);
    assert.equal(me.userinfo?.email_verified, true);
    assert.equal(me.userinfo?.iss, undefined);

    const access = await introspect(discovery, clientId, clientSecret, me.accessToken);
    assert.equal(access.active, true);
    assert.equal(access.sub, user.sub);
    assert.ok(me.refreshToken, 'a refresh token was issued (the library hands it to verify, it does not refresh)');

    // The session cookie keeps the user signed in to the app.
    const again = await browser.navigate(`${origin}/me`, origin);
    assert.equal((JSON.parse(again.page?.html ?? '{}') as { user: AppUser | null }).user?.sub, user.sub);
  });

  it('rejects a callback whose state does not match the session', async () => {
    const browser = new HttpBrowser();
    const start = await browser.navigate(`${origin}/login`, origin);
    assert.ok(start.leftTo);
    const { callback } = await throughGatehouse(browser, start.leftTo, live.issuer, user);
    callback.searchParams.set('state', 'forged');
    const res = await browser.navigate(callback.href, origin);
    assert.equal(new URL(res.page?.url ?? '').pathname, '/failed');
    assert.equal(res.page?.status, 401);
    assert.match(res.page?.html ?? '', /Invalid authorization request state/);
  });

  it('shows why the subclass is needed: the stock Strategy sends no code_challenge and Gatehouse refuses it', async () => {
    const browser = new HttpBrowser();
    const start = await browser.navigate(`${origin}/login-stock`, origin);
    assert.ok(start.leftTo);
    assert.equal(new URL(start.leftTo).searchParams.get('code_challenge'), null);
    const back = await browser.navigate(start.leftTo, live.issuer);
    assert.ok(back.leftTo, 'Gatehouse redirected the error back to the app');
    const error = new URL(back.leftTo);
    assert.equal(`${error.origin}${error.pathname}`, `${origin}/callback-stock`);
    assert.equal(error.searchParams.get('error'), 'invalid_request');
    assert.match(error.searchParams.get('error_description') ?? '', /PKCE is required/);
    const res = await browser.navigate(back.leftTo, origin);
    assert.equal(res.page?.status, 500);
    assert.match(res.page?.html ?? '', /"code":"invalid_request"/);
  });
});
