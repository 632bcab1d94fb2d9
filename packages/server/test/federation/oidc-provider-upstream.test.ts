import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createProvider } from '../../src/federation/providers.js';
import { DEFAULT_ISSUER_ID } from '../../src/issuers/ids.js';
import { updateIssuer } from '../../src/issuers/service.js';
import { HttpBrowser } from '../helpers/http-browser.js';
import { type FederationWorld, appAuthorizeUrl, codeAt, defaultScope, exchange, federationWorld, follow, jwtClaims, pageOf, postIn } from './helpers.js';
import { type PanvaOp, startPanvaOp } from './panva-op.js';

const HTML = { accept: 'text/html' };

// panva's oidc-provider, independent of Gatehouse, as the upstream: discovery, PKCE, nonce, the
// RFC 9207 iss, the ID token by its JWKS, the email from userinfo; and its amr counting toward
// the MFA policy only where the operator trusts it.
describe('federation: sign-in through oidc-provider', () => {
  let world: FederationWorld;
  let op: PanvaOp;

  before(async () => {
    world = await federationWorld();
    op = await startPanvaOp([
      { id: 'gatehouse', secret: 'panva-secret-1', redirectUri: `${world.issuer}/signin/panva/callback` },
      { id: 'gatehouse-amr', secret: 'panva-secret-2', redirectUri: `${world.issuer}/signin/panva-amr/callback` },
    ]);
    const scope = await defaultScope(world);
    await createProvider(scope, { id: 'panva', displayName: 'Panva', issuerUrl: op.issuer, clientId: 'gatehouse', clientSecret: 'panva-secret-1' });
    await createProvider(scope, {
      id: 'panva-amr',
      displayName: 'Panva MFA',
      issuerUrl: op.issuer,
      clientId: 'gatehouse-amr',
      clientSecret: 'panva-secret-2',
      trustAmr: true,
    });
    op.accounts.set('u-1', { sub: 'u-1', email: 'lovelace@example.com', email_verified: true, name: 'Ada Lovelace', amr: ['pwd', 'otp'] });
    op.accounts.set('u-3', { sub: 'u-3', email: 'johnson@example.com', email_verified: true, name: 'Katherine Johnson', amr: ['pwd', 'otp'] });
    op.accounts.set('u-2', { sub: 'u-2', email: 'unverified@example.com', email_verified: false, name: 'Not Sure' });
  });
  after(async () => {
    await op.close();
    await world.close();
  });

  /** The app's request, the provider's button, oidc-provider's form: where the browser then ends. */
  async function signIn(browser: HttpBrowser, provider: string, sub: string, request = appAuthorizeUrl(world)): Promise<{ url: string; res: Response }> {
    const login = await pageOf(await follow(browser, await browser.request(request.url), request.url));
    const started = await postIn(browser, login, '/upstream', { provider });
    const atOp = await follow(browser, started.res, started.url);
    assert.ok(atOp.url.startsWith(op.issuer), atOp.url);
    const form = await pageOf(await follow(browser, await browser.request(atOp.url), atOp.url));
    const posted = await postIn(browser, form, '/login', { login: sub });
    const back = await follow(browser, posted.res, posted.url, (u) => u.startsWith(world.issuer));
    assert.match(back.url, new RegExp(`/signin/${provider}/callback\\?.*iss=`), back.url);
    return follow(browser, await browser.request(back.url, { headers: HTML }), back.url);
  }

  it('creates the user from the verified email in userinfo, then signs the same user in again', async () => {
    const request = appAuthorizeUrl(world);
    const ended = await signIn(new HttpBrowser(), 'panva', 'u-1', request);
    const tokens = await exchange(world, await codeAt(ended), request.verifier);
    const user = await world.ctx.scope.repos.users.findByEmail('lovelace@example.com');
    assert.ok(user);
    assert.deepEqual([user.name, user.emailVerified], ['Ada Lovelace', true]);
    const claims = jwtClaims(tokens.id_token);
    assert.equal(claims.sub, user.id);
    assert.deepEqual(claims.amr, ['fed'], 'the upstream amr is not trusted for this provider');

    const again = appAuthorizeUrl(world);
    const tokens2 = await exchange(world, await codeAt(await signIn(new HttpBrowser(), 'panva', 'u-1', again)), again.verifier);
    assert.equal(jwtClaims(tokens2.id_token).sub, user.id);
    assert.deepEqual(
      (await world.ctx.scope.repos.linkedIdentities.listForUser(user.id)).map((l) => [l.providerId, l.subject]),
      [['panva', 'u-1']],
    );
  });

  it('makes no account from an unverified email', async () => {
    const ended = await signIn(new HttpBrowser(), 'panva', 'u-2');
    assert.equal(ended.res.status, 400);
    assert.equal(await world.ctx.scope.repos.users.findByEmail('unverified@example.com'), undefined);
  });

  it('counts the upstream amr toward the MFA policy only for a provider trusted with it', async () => {
    await updateIssuer(world.ctx.services, DEFAULT_ISSUER_ID, { settings: { mfa: 'required' } });
    try {
      const untrusted = await signIn(new HttpBrowser(), 'panva', 'u-1');
      assert.match(await untrusted.res.text(), /\/interaction\/[^/"]+\/mfa"/, 'one factor here: the second is asked');

      const request = appAuthorizeUrl(world);
      const trusted = await signIn(new HttpBrowser(), 'panva-amr', 'u-3', request);
      const tokens = await exchange(world, await codeAt(trusted), request.verifier);
      const claims = jwtClaims(tokens.id_token);
      assert.deepEqual(claims.amr, ['fed', 'pwd', 'otp', 'mfa']);
      assert.equal(claims.acr, 'urn:gatehouse:acr:2fa');
    } finally {
      await updateIssuer(world.ctx.services, DEFAULT_ISSUER_ID, { settings: { mfa: 'off' } });
    }
  });
});
