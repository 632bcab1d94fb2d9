import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import session from 'express-session';
import passport from 'passport';
import OpenIDConnectStrategy from 'passport-openidconnect';
import {
  type Discovery,
  ID_TOKEN_PROFILE,
  type RunningApp,
  HttpBrowser,
  TEST_PASSWORD,
  createTestClient,
  createTestUser,
  discover,
  listen,
  startLiveServer,
  throughGatehouse,
} from './helpers.js';

const CALLBACK_PATH = '/api/auth/callback/cloudentity';

/** What differs between the guide's configuration and the one docs/connecting-apps.md shows. */
interface Variant {
  scope: string[];
  nonce: boolean;
}
const GUIDE: Variant = { scope: ['profile'], nonce: false };
const DOCS: Variant = { scope: ['profile', 'email'], nonce: true };

/** passport-openidconnect's profile, as the guide's verify stores it. */
interface SeedProfile {
  id: string;
  displayName?: string;
  username?: string;
  name?: { givenName?: string; familyName?: string };
  emails?: { value: string }[];
}

/**
 * The seed guide's "Node.js with Passport and OIDC" (the todos-express-openidconnect demo's
 * routes/auth.js): the stock Strategy under its default name, the endpoints written out, a
 * relative callbackURL, scope ['profile'], the three-argument verify. No PKCE, no nonce.
 */
function mountSeedApp(app: express.Express, discovery: Discovery, client: { id: string; secret: string }, variant: Variant = GUIDE): void {
  const authenticator = new passport.Passport();
  authenticator.use(
    new OpenIDConnectStrategy(
      {
        issuer: discovery.issuer,
        authorizationURL: discovery.authorization_endpoint,
        tokenURL: discovery.token_endpoint,
        userInfoURL: discovery.userinfo_endpoint,
        clientID: client.id,
        clientSecret: client.secret,
        callbackURL: CALLBACK_PATH,
        scope: variant.scope,
        ...(variant.nonce ? { nonce: true } : {}),
      },
      // The guide's verify(issuer, profile, cb): the library takes the profile from the ID token.
      ((_issuer: string, profile: SeedProfile, cb: (err: Error | null, user?: Express.User) => void) =>
        cb(null, profile)) as unknown as OpenIDConnectStrategy.VerifyFunction,
    ),
  );
  authenticator.serializeUser((user, done) => done(null, user));
  authenticator.deserializeUser((user: Express.User, done) => done(null, user));

  app.use(session({ secret: 'keyboard cat', resave: false, saveUninitialized: false }));
  app.use(authenticator.session());
  app.get('/login/federated', authenticator.authenticate('openidconnect'));
  app.get(CALLBACK_PATH, authenticator.authenticate('openidconnect', { successReturnToOrRedirect: '/', failureRedirect: '/login', failureMessage: true }));
  app.get('/', (req, res) => {
    res.json({ user: req.user ?? null });
  });
  app.get('/login', (req, res) => {
    res.status(401).json({ messages: (req.session as unknown as { messages?: string[] }).messages ?? [] });
  });
  app.use((err: Error & { code?: string }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(500).json({ error: err.name, code: err.code ?? null, message: err.message });
  });
}

describe('stock passport-openidconnect, configured as the seed guide writes it, against Gatehouse', () => {
  let live: Awaited<ReturnType<typeof startLiveServer>>;
  let optionalApp: RunningApp;
  let requiredApp: RunningApp;
  let docsApp: RunningApp;
  let user: { email: string; password: string; sub: string };

  before(async () => {
    live = await startLiveServer();
    const discovery = await discover(live.issuer);
    const created = await createTestUser(live.ctx);
    user = { email: created.email, password: TEST_PASSWORD, sub: created.id };

    // One app per client; each registers the callback at its own port.
    const start = async (pkce: 'optional' | 'required', variant: Variant = GUIDE): Promise<RunningApp> => {
      const app = express();
      const running = await listen(app);
      const { client, secret } = await createTestClient(live.ctx, { ...ID_TOKEN_PROFILE, pkce, redirectUris: [`${running.origin}${CALLBACK_PATH}`] });
      mountSeedApp(app, discovery, { id: client.id, secret: secret as string }, variant);
      return running;
    };
    optionalApp = await start('optional');
    requiredApp = await start('required');
    docsApp = await start('optional', DOCS);
  });

  after(async () => {
    await optionalApp?.close();
    await requiredApp?.close();
    await docsApp?.close();
    await live?.close();
  });

  async function toGatehouse(browser: HttpBrowser, app: RunningApp, variant: Variant = GUIDE): Promise<URL> {
    const start = await browser.navigate(`${app.origin}/login/federated`, app.origin);
    assert.ok(start.leftTo, 'the app redirected to Gatehouse');
    const authorize = new URL(start.leftTo);
    assert.equal(`${authorize.origin}${authorize.pathname}`, `${live.issuer}/oauth/authorize`);
    assert.equal(authorize.searchParams.get('redirect_uri'), `${app.origin}${CALLBACK_PATH}`);
    assert.equal(authorize.searchParams.get('scope'), ['openid', ...variant.scope].join(' '));
    assert.ok(authorize.searchParams.get('state'));
    assert.equal(authorize.searchParams.get('code_challenge'), null);
    assert.equal(Boolean(authorize.searchParams.get('nonce')), variant.nonce);
    return authorize;
  }

  it('with a --pkce optional client: sign-in, callback, profile from the ID token, a session', async () => {
    const browser = new HttpBrowser();
    const authorize = await toGatehouse(browser, optionalApp);
    const { callback, shown } = await throughGatehouse(browser, authorize.href, live.issuer, user, ['openid', 'profile']);
    assert.deepEqual(shown, ['login', 'consent']);
    assert.equal(`${callback.origin}${callback.pathname}`, `${optionalApp.origin}${CALLBACK_PATH}`);
    assert.ok(callback.searchParams.get('code'));

    const done = await browser.navigate(callback.href, optionalApp.origin);
    assert.ok(done.page, `the app finished the sign-in (${done.leftTo})`);
    assert.equal(done.page.url, `${optionalApp.origin}/`, done.page.html);
    assert.equal(done.page.status, 200);
    const profile = (JSON.parse(done.page.html) as { user: SeedProfile | null }).user;
    assert.equal(profile?.id, user.sub);
    assert.equal(profile?.displayName, 'Ada Lovelace');
    assert.equal(profile?.username, 'ada');
    assert.deepEqual(profile?.name, { givenName: 'Ada', familyName: 'Lovelace' });
    // The guide asks for 'profile' only.
    assert.equal(profile?.emails, undefined);

    const again = await browser.navigate(`${optionalApp.origin}/`, optionalApp.origin);
    assert.equal((JSON.parse(again.page?.html ?? '{}') as { user: SeedProfile | null }).user?.id, user.sub);
  });

  it('with a PKCE-required client: Gatehouse refuses, and the library hands the app an AuthorizationError', async () => {
    const browser = new HttpBrowser();
    const authorize = await toGatehouse(browser, requiredApp);
    const refused = await browser.navigate(authorize.href, live.issuer);
    assert.ok(refused.leftTo, 'Gatehouse sent the error back to the app, no login page');
    const error = new URL(refused.leftTo);
    assert.equal(`${error.origin}${error.pathname}`, `${requiredApp.origin}${CALLBACK_PATH}`);
    assert.equal(error.searchParams.get('error'), 'invalid_request');
    assert.equal(error.searchParams.get('error_description'), 'PKCE is required: send code_challenge with code_challenge_method=S256');

    // Not a failure (failureRedirect is for access_denied): next(err) with the description.
    const res = await browser.navigate(refused.leftTo, requiredApp.origin);
    assert.equal(res.page?.status, 500);
    assert.deepEqual(JSON.parse(res.page?.html ?? '{}'), {
      error: 'AuthorizationError',
      code: 'invalid_request',
      message: 'PKCE is required: send code_challenge with code_challenge_method=S256',
    });
  });

  it('as docs/connecting-apps.md configures it (scope profile email, nonce): the email too, the nonce checked', async () => {
    const browser = new HttpBrowser();
    const authorize = await toGatehouse(browser, docsApp, DOCS);
    const { callback } = await throughGatehouse(browser, authorize.href, live.issuer, user, ['openid', 'profile', 'email']);
    const done = await browser.navigate(callback.href, docsApp.origin);
    assert.equal(done.page?.url, `${docsApp.origin}/`, done.page?.html);
    const profile = (JSON.parse(done.page?.html ?? '{}') as { user: SeedProfile | null }).user;
    assert.equal(profile?.id, user.sub);
    assert.equal(profile?.displayName, 'Ada Lovelace');
    assert.deepEqual(profile?.emails, [{ value: user.email }]);
  });
});
