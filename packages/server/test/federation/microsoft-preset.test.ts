import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createProvider } from '../../src/federation/providers.js';
import { HttpBrowser } from '../helpers/http-browser.js';
import { type FederationWorld, appAuthorizeUrl, codeAt, defaultScope, federationWorld, follow, pageOf, postIn } from './helpers.js';
import { type EntraLike, TENANT_B, startEntraLike } from './entra-like.js';

const HTML = { accept: 'text/html' };

// The Microsoft preset on the multi-tenant endpoint, against a local Entra-shaped provider:
// each ID token's issuer must be the template filled with its own tid; the email counts as
// verified only with the xms_edov claim.
describe('federation: the Microsoft multi-tenant preset', () => {
  let world: FederationWorld;
  let entra: EntraLike;

  before(async () => {
    world = await federationWorld();
    entra = await startEntraLike();
    await createProvider(await defaultScope(world), {
      id: 'microsoft',
      preset: 'microsoft',
      issuerUrl: entra.issuerUrl,
      clientId: entra.clientId,
      clientSecret: 'entra-secret',
    });
  });
  after(async () => {
    await entra.close();
    await world.close();
  });

  async function signIn(next: Record<string, unknown>): Promise<{ url: string; res: Response }> {
    entra.next = next;
    const browser = new HttpBrowser();
    const request = appAuthorizeUrl(world);
    const page = await pageOf(await follow(browser, await browser.request(request.url), request.url));
    assert.match(page.html, /Continue with Microsoft/);
    const started = await postIn(browser, page, '/upstream', { provider: 'microsoft' });
    const atEntra = await follow(browser, started.res, started.url);
    assert.ok(atEntra.url.startsWith(`${entra.origin}/common/oauth2/v2.0/authorize?`), atEntra.url);
    const back = await follow(browser, await browser.request(atEntra.url), atEntra.url, (u) => u.startsWith(world.issuer));
    return follow(browser, await browser.request(back.url, { headers: HTML }), back.url);
  }

  it('signs in a user of any tenant whose token names its own tenant, with the email verified by xms_edov', async () => {
    await codeAt(await signIn({ xms_edov: true }));
    const user = await world.ctx.scope.repos.users.findByEmail('someone@contoso.example');
    assert.ok(user);
    assert.equal(user.name, 'Someone at Contoso');
  });

  it('refuses a token whose issuer is another tenant than its tid, or whose tid is no tenant id', async () => {
    for (const next of [
      { iss: `${entra.origin}/${TENANT_B}/v2.0`, email: 'x1@contoso.example', xms_edov: true },
      { tid: 'not-a-tenant', iss: `${entra.origin}/not-a-tenant/v2.0`, email: 'x2@contoso.example', xms_edov: true },
      { iss: `${entra.origin}/{tenantid}/v2.0`, email: 'x3@contoso.example', xms_edov: true },
    ]) {
      const ended = await signIn(next);
      assert.equal(ended.res.status, 502, JSON.stringify(next));
    }
    for (const email of ['x1@contoso.example', 'x2@contoso.example', 'x3@contoso.example']) {
      assert.equal(await world.ctx.scope.repos.users.findByEmail(email), undefined);
    }
  });

  it('makes no account from an email Entra does not mark verified (no xms_edov)', async () => {
    const ended = await signIn({ email: 'unverified@contoso.example', sub: 'other-sub', tid: TENANT_B, iss: `${entra.origin}/${TENANT_B}/v2.0` });
    assert.equal(ended.res.status, 400);
    assert.equal(await world.ctx.scope.repos.users.findByEmail('unverified@contoso.example'), undefined);
  });
});
