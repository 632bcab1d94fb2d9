import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { updateProvider } from '../../src/federation/providers.js';
import { DEFAULT_ISSUER_ID } from '../../src/issuers/ids.js';
import { updateIssuer } from '../../src/issuers/service.js';
import { TEST_PASSWORD, createTestUser } from '../helpers/harness.js';
import { enrolTotp, totpCode } from '../factors/helpers.js';
import { HttpBrowser } from '../helpers/http-browser.js';
import {
  type FederationWorld,
  addGatehouseProvider,
  appAuthorizeUrl,
  codeAt,
  defaultScope,
  exchange,
  federationWorld,
  finishCallback,
  follow,
  jwtClaims,
  pageOf,
  postIn,
  toCallback,
  upstreamUser,
} from './helpers.js';

const HTML = { accept: 'text/html' };

function text(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

// Linking an upstream identity to an account that exists already: at once only for a verified
// email from a provider the operator trusts for linking; otherwise after the account proves
// itself (its password, then its second factor as the sign-in asks it); never by an unverified email.
describe('federation: linking to existing accounts', () => {
  let world: FederationWorld;

  before(async () => {
    world = await federationWorld();
    await addGatehouseProvider(world, 'gh');
    await addGatehouseProvider(world, 'other', { displayName: 'Trusted upstream', trustedForLinking: true });
  });
  after(() => world.close());

  it('links at once by a verified email when the provider is trusted for linking', async () => {
    const existing = await createTestUser(world.ctx, 'turing@example.com');
    await upstreamUser(world, 'turing@example.com');
    const browser = new HttpBrowser();
    const request = appAuthorizeUrl(world);
    const { callback } = await toCallback(world, browser, 'turing@example.com', 'other', request.url);
    const tokens = await exchange(world, await codeAt(await finishCallback(browser, callback)), request.verifier);
    assert.equal(jwtClaims(tokens.id_token).sub, existing.id);
    const linked = await world.ctx.scope.repos.linkedIdentities.listForUser(existing.id);
    assert.deepEqual(
      linked.map((l) => l.providerId),
      ['other'],
    );
    const [event] = await world.ctx.scope.repos.events.page({ types: ['identity.linked'], userId: existing.id, limit: 5 });
    assert.equal((event?.payload as { how?: string } | undefined)?.how, 'verified_email');
  });

  it('never links by an unverified email, even from a trusted provider; no account is made from one either', async () => {
    const existing = await createTestUser(world.ctx, 'lamarr@example.com');
    await upstreamUser(world, 'lamarr@example.com', { verified: false });
    const browser = new HttpBrowser();
    const { callback } = await toCallback(world, browser, 'lamarr@example.com', 'other');
    const res = await browser.request(callback, { headers: HTML });
    assert.equal(res.status, 303);
    assert.match(res.headers.get('location') ?? '', /\/interaction\/[^/]+\/upstream\/link$/, 'the account must prove itself');
    assert.deepEqual(await world.ctx.scope.repos.linkedIdentities.listForUser(existing.id), []);

    await upstreamUser(world, 'nobody-yet@example.com', { verified: false });
    const other = new HttpBrowser();
    const second = await toCallback(world, other, 'nobody-yet@example.com', 'other');
    const refused = await other.request(second.callback, { headers: HTML });
    assert.equal(refused.status, 400);
    assert.match(text(await refused.text()), /Trusted upstream has not confirmed your email address, so no account can be created with it/);
    assert.equal(await world.ctx.scope.repos.users.findByEmail('nobody-yet@example.com'), undefined);
  });

  it('links after the existing account proves itself with its password, and not before', async () => {
    const existing = await createTestUser(world.ctx, 'noether@example.com');
    await upstreamUser(world, 'noether@example.com');
    const browser = new HttpBrowser();
    const request = appAuthorizeUrl(world);
    const { callback } = await toCallback(world, browser, 'noether@example.com', 'gh', request.url);
    const prove = await pageOf(await follow(browser, await browser.request(callback, { headers: HTML }), callback));
    assert.equal(prove.status, 200);
    assert.match(text(prove.html), /An account for noether@example\.com already exists here\. To link your Upstream account to it/);

    const wrong = await postIn(browser, prove, '/upstream/link', { password: 'not the password' });
    assert.equal(wrong.res.status, 401);
    assert.match(text(await wrong.res.text()), /That password is not right\./);
    assert.deepEqual(await world.ctx.scope.repos.linkedIdentities.listForUser(existing.id), []);

    const right = await postIn(browser, prove, '/upstream/link', { password: TEST_PASSWORD });
    const ended = await follow(browser, right.res, right.url);
    const tokens = await exchange(world, await codeAt(ended), request.verifier);
    assert.equal(jwtClaims(tokens.id_token).sub, existing.id);
    assert.deepEqual(jwtClaims(tokens.id_token).amr, ['pwd'], 'this sign-in was the password');
    const linked = await world.ctx.scope.repos.linkedIdentities.listForUser(existing.id);
    assert.deepEqual(
      linked.map((l) => l.providerId),
      ['gh'],
    );
    const [event] = await world.ctx.scope.repos.events.page({ types: ['identity.linked'], userId: existing.id, limit: 5 });
    assert.equal((event?.payload as { how?: string } | undefined)?.how, 'proved_account');

    // The pending link is spent: the form again links nothing more and finds nothing to link.
    const again = await postIn(browser, prove, '/upstream/link', { password: TEST_PASSWORD });
    assert.notEqual(again.res.status, 303);

    // From now on the upstream identity signs in to that account directly.
    const next = new HttpBrowser();
    const second = appAuthorizeUrl(world);
    const back = await toCallback(world, next, 'noether@example.com', 'gh', second.url);
    const tokens2 = await exchange(world, await codeAt(await finishCallback(next, back.callback)), second.verifier);
    assert.equal(jwtClaims(tokens2.id_token).sub, existing.id);
    assert.deepEqual(jwtClaims(tokens2.id_token).amr, ['fed']);
  });

  it('asks the second factor of the account before linking, and links once it is proved (the MFA policy applies)', async () => {
    await updateIssuer(world.ctx.services, DEFAULT_ISSUER_ID, { settings: { mfa: 'required' } });
    try {
      const existing = await createTestUser(world.ctx, 'hamilton@example.com');
      const secret = await enrolTotp(world.ctx, existing.id);
      await upstreamUser(world, 'hamilton@example.com');
      const browser = new HttpBrowser();
      const { callback } = await toCallback(world, browser, 'hamilton@example.com', 'gh');
      const prove = await pageOf(await follow(browser, await browser.request(callback, { headers: HTML }), callback));
      const right = await postIn(browser, prove, '/upstream/link', { password: TEST_PASSWORD });
      const next = await pageOf(await follow(browser, right.res, right.url));
      assert.match(next.html, /\/interaction\/[^/"]+\/mfa"/, 'the second factor is next');
      assert.deepEqual(await world.ctx.scope.repos.linkedIdentities.listForUser(existing.id), [], 'nothing is linked before the factor');
      const flow = await (await defaultScope(world)).repos.upstreamFlows.pendingLink(/\/interaction\/([^/"]+)\/mfa"/.exec(next.html)?.[1] ?? '');
      assert.equal(flow?.link?.userId, existing.id, 'the link waits for the factor');

      const proved = await postIn(browser, next, '/mfa', { code: totpCode(world.ctx, secret) });
      const ended = await follow(browser, proved.res, proved.url);
      await codeAt(ended);
      assert.deepEqual(
        (await world.ctx.scope.repos.linkedIdentities.listForUser(existing.id)).map((l) => l.providerId),
        ['gh'],
        'linked once the factor is proved',
      );
    } finally {
      await updateIssuer(world.ctx.services, DEFAULT_ISSUER_ID, { settings: { mfa: 'off' } });
    }
  });

  it('signs in through the upstream with the MFA policy applied: a second factor is still asked here', async () => {
    await upstreamUser(world, 'johnson@example.com');
    const first = new HttpBrowser();
    const r1 = appAuthorizeUrl(world);
    const c1 = await toCallback(world, first, 'johnson@example.com', 'gh', r1.url);
    await codeAt(await finishCallback(first, c1.callback));
    await updateIssuer(world.ctx.services, DEFAULT_ISSUER_ID, { settings: { mfa: 'required' } });
    try {
      const browser = new HttpBrowser();
      const { callback } = await toCallback(world, browser, 'johnson@example.com', 'gh');
      const next = await pageOf(await follow(browser, await browser.request(callback, { headers: HTML }), callback));
      assert.match(next.html, /\/interaction\/[^/"]+\/mfa"/, 'one upstream factor is one factor: the policy asks the second here');
    } finally {
      await updateIssuer(world.ctx.services, DEFAULT_ISSUER_ID, { settings: { mfa: 'off' } });
    }
  });

  it('offers no button, no start and no callback for a disabled provider, and links nothing through it', async () => {
    await upstreamUser(world, 'curie@example.com');
    const browser = new HttpBrowser();
    const { callback, page } = await toCallback(world, browser, 'curie@example.com', 'other');
    await updateProvider(await defaultScope(world), 'other', { enabled: false });
    try {
      const res = await browser.request(callback, { headers: HTML });
      assert.equal(res.status, 404);
      assert.match(text(await res.text()), /This sign-in option is not available\./);
      const start = await postIn(browser, page, '/upstream', { provider: 'other' });
      assert.equal(start.res.status, 404);
      const plain = await browser.request(`${world.issuer}/signin/other`, { headers: HTML });
      assert.equal(plain.status, 404);
      const login = await pageOf(await follow(browser, await browser.request(appAuthorizeUrl(world).url), appAuthorizeUrl(world).url));
      assert.doesNotMatch(login.html, /upstream-other/);
      assert.match(login.html, /upstream-gh/);
      assert.equal(await world.ctx.scope.repos.users.findByEmail('curie@example.com'), undefined);
    } finally {
      await updateProvider(await defaultScope(world), 'other', { enabled: true });
    }
  });

  it('refuses new accounts when sign-up is off, and says so', async () => {
    await updateIssuer(world.ctx.services, DEFAULT_ISSUER_ID, { settings: { signUp: 'off' } });
    try {
      await upstreamUser(world, 'babbage@example.com');
      const browser = new HttpBrowser();
      const { callback } = await toCallback(world, browser, 'babbage@example.com', 'gh');
      const res = await browser.request(callback, { headers: HTML });
      assert.equal(res.status, 403);
      assert.match(text(await res.text()), /There is no account here for babbage@example\.com, and new accounts cannot be created this way/);
      assert.equal(await world.ctx.scope.repos.users.findByEmail('babbage@example.com'), undefined);
    } finally {
      await updateIssuer(world.ctx.services, DEFAULT_ISSUER_ID, { settings: { signUp: 'open' } });
    }
  });
});
