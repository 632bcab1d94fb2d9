import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createProvider } from '../../src/federation/providers.js';
import { createTestUser } from '../helpers/harness.js';
import { HttpBrowser } from '../helpers/http-browser.js';
import {
  type FederationWorld,
  addGatehouseProvider,
  appAuthorizeUrl,
  codeAt,
  defaultScope,
  federationWorld,
  finishCallback,
  follow,
  pageOf,
  postIn,
  toCallback,
  upstreamUser,
} from './helpers.js';
import { type RogueOp, startRogueOp } from './rogue-op.js';

const HTML = { accept: 'text/html' };

function text(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

// What an attacker can try against the callback: replaying it, carrying a state into another
// browser, an ID token for another client or from another issuer, a mix-up of providers (RFC
// 9207 `iss`), and a return URL of their own. None signs anyone in or links anything.
describe('federation: attacks on the upstream sign-in', () => {
  let world: FederationWorld;
  let rogue: RogueOp;

  before(async () => {
    world = await federationWorld();
    await addGatehouseProvider(world, 'gh');
    rogue = await startRogueOp();
    await createProvider(await defaultScope(world), {
      id: 'rogue',
      displayName: 'Rogue',
      issuerUrl: rogue.issuer,
      clientId: rogue.clientId,
      clientSecret: 'rogue-secret',
      trustedForLinking: true,
    });
    await createTestUser(world.ctx, 'victim@example.com');
    await upstreamUser(world, 'hopper@example.com');
  });
  after(async () => {
    await rogue.close();
    await world.close();
  });

  it('spends a callback once: the same answer again signs no one in', async () => {
    const browser = new HttpBrowser();
    const { callback } = await toCallback(world, browser, 'hopper@example.com');
    await codeAt(await finishCallback(browser, callback));
    const replay = await browser.request(callback, { headers: HTML });
    assert.equal(replay.status, 400);
    assert.match(text(await replay.text()), /This sign-in has expired or was already used\. Start again\./);
  });

  it('refuses a state carried to another browser, and leaves the real sign-in intact', async () => {
    const victim = new HttpBrowser();
    const { callback } = await toCallback(world, victim, 'hopper@example.com');
    const attacker = new HttpBrowser();
    const stolen = await attacker.request(callback, { headers: HTML });
    assert.equal(stolen.status, 403);
    assert.match(text(await stolen.text()), /This sign-in was started in another browser/);
    // Another browser's cookie of its own does not help either.
    await toCallback(world, attacker, 'hopper@example.com');
    const withOwnCookie = await attacker.request(callback, { headers: HTML });
    assert.equal(withOwnCookie.status, 403);
    await codeAt(await finishCallback(victim, callback));
  });

  async function rogueCallback(browser: HttpBrowser): Promise<Response> {
    const first = appAuthorizeUrl(world).url;
    const login = await pageOf(await follow(browser, await browser.request(first), first));
    const started = await postIn(browser, login, '/upstream', { provider: 'rogue' });
    const atRogue = await follow(browser, started.res, started.url);
    assert.ok(atRogue.url.startsWith(rogue.issuer), atRogue.url);
    const back = await follow(browser, await browser.request(atRogue.url), atRogue.url, (u) => u.includes('/signin/'));
    assert.match(back.url, /\/signin\/rogue\/callback\?/);
    return browser.request(back.url, { headers: HTML });
  }

  for (const [name, next] of [
    ['an ID token for another client (aud)', { claims: { aud: 'someone-else' } }],
    ['an ID token from another issuer (iss)', { claims: { iss: 'https://evil.example' } }],
    ['an ID token with another nonce', { claims: { nonce: 'replayed-nonce' } }],
    ['an ID token signed by a key not in the JWKS', { strayKey: true }],
    ['an expired ID token', { claims: { exp: Math.floor(Date.now() / 1000) - 3600, iat: Math.floor(Date.now() / 1000) - 7200 } }],
    ['an answer naming another issuer in iss (mix-up, RFC 9207)', { iss: 'https://other-provider.example' }],
    ['an answer without iss from a provider that promises it', { iss: null }],
  ] as const) {
    it(`refuses ${name}`, async () => {
      rogue.next = next;
      try {
        const res = await rogueCallback(new HttpBrowser());
        assert.equal(res.status, 502);
        assert.match(text(await res.text()), /The sign-in at Rogue could not be completed/);
        const victim = await world.ctx.scope.repos.users.findByEmail('victim@example.com');
        assert.deepEqual(await world.ctx.scope.repos.linkedIdentities.listForUser(victim?.id ?? ''), [], 'nothing linked');
      } finally {
        rogue.next = {};
      }
    });
  }

  it('the honest rogue answer itself works (the refusals above are the attacks, not the setup)', async () => {
    const res = await rogueCallback(new HttpBrowser());
    assert.equal(res.status, 303);
    const victim = await world.ctx.scope.repos.users.findByEmail('victim@example.com');
    assert.equal((await world.ctx.scope.repos.linkedIdentities.listForUser(victim?.id ?? '')).length, 1);
  });

  it('refuses a Gatehouse answer whose iss names another issuer (mix-up)', async () => {
    const browser = new HttpBrowser();
    const { callback } = await toCallback(world, browser, 'hopper@example.com');
    const forged = new URL(callback);
    forged.searchParams.set('iss', rogue.issuer);
    const res = await browser.request(forged.href, { headers: HTML });
    assert.equal(res.status, 502);
  });

  it('refuses an answer brought to another provider’s callback', async () => {
    const browser = new HttpBrowser();
    const { callback } = await toCallback(world, browser, 'hopper@example.com');
    const elsewhere = callback.replace('/signin/gh/callback', '/signin/rogue/callback');
    const res = await browser.request(elsewhere, { headers: HTML });
    assert.equal(res.status, 400, 'no flow of that provider has this state');
    await codeAt(await finishCallback(browser, callback));
  });

  it('reads no return URL from a plain sign-in link: it ends on the account page of the issuer', async () => {
    const browser = new HttpBrowser();
    const start = `${world.issuer}/signin/gh?return=https://evil.example/&redirect_uri=https://evil.example/&returnTo=https://evil.example/`;
    const first = await browser.request(start);
    assert.equal(first.status, 303);
    const upstreamLogin = await pageOf(await follow(browser, first, start));
    const posted = await postIn(browser, upstreamLogin, '/login', { email: 'hopper@example.com', password: 'correct horse battery staple' });
    const ended = await follow(browser, posted.res, posted.url);
    assert.equal(ended.url, `${world.issuer}/account`);
    assert.equal(ended.res.status, 200);
  });
});
