import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sha256 } from '../../src/tokens/random.js';
import { createProvider, updateProvider } from '../../src/federation/providers.js';
import { HttpBrowser } from '../helpers/http-browser.js';
import { createTestUser } from '../helpers/harness.js';
import {
  type FederationWorld,
  addGatehouseProvider,
  appAuthorizeUrl,
  codeAt,
  defaultScope,
  exchange,
  federationWorld,
  finishCallback,
  jwtClaims,
  toCallback,
  upstreamUser,
} from './helpers.js';

// Another Gatehouse issuer of the same server, over real HTTP on 127.0.0.1, as the upstream
// OpenID Provider: first sign-in (a user just in time), return sign-in, and the tokens the app gets.
describe('federation: sign-in through another Gatehouse issuer', () => {
  let world: FederationWorld;

  before(async () => {
    world = await federationWorld();
    await addGatehouseProvider(world);
  });
  after(() => world.close());

  it('shows a button per enabled provider on the sign-in page', async () => {
    const browser = new HttpBrowser();
    const { url } = appAuthorizeUrl(world);
    const res = await browser.request(url);
    const page = await (await browser.request(new URL(res.headers.get('location') ?? '', url).href)).text();
    assert.match(page, /<button type="submit" class="secondary" name="provider" value="gh" id="upstream-gh">Continue with Upstream<\/button>/);
  });

  it('creates the user at the first sign-in, and signs the same user in again after', async () => {
    await upstreamUser(world, 'grace@example.com', { name: 'Grace Hopper' });
    const browser = new HttpBrowser();
    const request = appAuthorizeUrl(world);
    const { callback } = await toCallback(world, browser, 'grace@example.com', 'gh', request.url);
    const callbackUrl = new URL(callback);
    assert.equal(callbackUrl.searchParams.get('iss'), world.upstream.url, 'the upstream says who answered (RFC 9207)');
    const done = await finishCallback(browser, callback);
    const tokens = await exchange(world, await codeAt(done), request.verifier);

    const user = await world.ctx.scope.repos.users.findByEmail('grace@example.com');
    assert.ok(user);
    assert.equal(user.emailVerified, true);
    assert.equal(user.name, 'Grace Hopper');
    assert.equal(user.picture, 'https://pictures.example/grace.png');
    assert.equal(user.passwordHash, null, 'no password: the upstream is how this user signs in');
    const claims = jwtClaims(tokens.id_token);
    assert.equal(claims.sub, user.id);
    assert.equal(claims.iss, world.issuer);
    assert.deepEqual(claims.amr, ['fed']);
    // Nothing of the upstream's tokens reaches the app.
    const upstreamSub = (await world.upstream.repos.users.findByEmail('grace@example.com'))?.id;
    assert.ok(upstreamSub);
    assert.doesNotMatch(JSON.stringify(tokens), new RegExp(upstreamSub));
    const linked = await world.ctx.scope.repos.linkedIdentities.listForUser(user.id);
    assert.deepEqual(
      linked.map((l) => [l.providerId, l.subject, l.email]),
      [['gh', upstreamSub, 'grace@example.com']],
    );
    const events = await world.ctx.scope.repos.events.page({ types: ['identity.linked'], userId: user.id, limit: 5 });
    assert.deepEqual(
      events.map((e) => e.payload),
      [{ identity_id: linked[0]?.id, provider_id: 'gh', how: 'created' }],
    );

    // Again, in another browser: the same user, no second one.
    const again = new HttpBrowser();
    const second = appAuthorizeUrl(world);
    const back = await toCallback(world, again, 'grace@example.com', 'gh', second.url);
    const ended = await finishCallback(again, back.callback);
    const tokens2 = await exchange(world, await codeAt(ended), second.verifier);
    assert.equal(jwtClaims(tokens2.id_token).sub, user.id);
    assert.equal((await world.ctx.scope.repos.linkedIdentities.listForUser(user.id)).length, 1);
  });

  it('follows idp_hint to the provider at once, once; an unknown or malformed hint is passed over', async () => {
    await upstreamUser(world, 'hinted@example.com');
    const browser = new HttpBrowser();
    const request = appAuthorizeUrl(world, { idp_hint: 'gh' });
    const res = await browser.request(request.url);
    assert.equal(res.status, 303);
    const location = new URL(res.headers.get('location') ?? '');
    assert.equal(`${location.origin}${location.pathname}`, `${world.upstream.url}/oauth/authorize`);
    // Back at the sign-in (the back button): the page with every way in, not the provider again.
    const flow = await world.ctx.services.store.db
      .selectFrom('upstream_flows')
      .select('interaction_id')
      .where('state_hash', '=', sha256(location.searchParams.get('state') ?? ''))
      .executeTakeFirst();
    const interaction = flow?.interaction_id;
    assert.ok(interaction);
    const again = await browser.request(`${world.issuer}/interaction/${interaction}`);
    assert.equal(again.status, 200);
    assert.match(await again.text(), /id="upstream-gh"/);

    for (const hint of ['nope', 'Bad Hint!']) {
      const other = new HttpBrowser();
      const shown = await other.request(appAuthorizeUrl(world, { idp_hint: hint }).url);
      assert.notEqual(shown.status, 303, hint);
    }
  });

  it('signs in a user who already has a password account only through a link (never by the email alone here)', async () => {
    const existing = await createTestUser(world.ctx, 'ada@example.com');
    await upstreamUser(world, 'ada@example.com');
    const browser = new HttpBrowser();
    const { callback } = await toCallback(world, browser, 'ada@example.com');
    const res = await browser.request(callback);
    assert.equal(res.status, 303);
    assert.match(
      res.headers.get('location') ?? '',
      /\/interaction\/[^/]+\/upstream\/link$/,
      'the provider is not trusted for linking: the account proves itself',
    );
    assert.deepEqual(await world.ctx.scope.repos.linkedIdentities.listForUser(existing.id), []);
  });

  it('sends <issuer>/signin, and with `always` sign-ins without login_hint, to the issuer default provider', async () => {
    const scope = await defaultScope(world);
    const signin = `${world.issuer}/signin`;
    const none = await new HttpBrowser().request(signin);
    assert.equal(none.headers.get('location'), `${world.issuer}/account`, 'no default: the account sign-in');

    await updateProvider(scope, 'gh', { defaultSignIn: 'link' });
    const linked = await new HttpBrowser().request(signin);
    assert.equal(linked.status, 303);
    assert.ok(linked.headers.get('location')?.startsWith(`${world.upstream.url}/oauth/authorize?`));
    assert.notEqual((await new HttpBrowser().request(appAuthorizeUrl(world).url)).status, 303, 'link: the sign-in page still shows');

    await updateProvider(scope, 'gh', { defaultSignIn: 'always' });
    const always = await new HttpBrowser().request(appAuthorizeUrl(world).url);
    assert.equal(always.status, 303);
    assert.ok(always.headers.get('location')?.startsWith(`${world.upstream.url}/oauth/authorize?`));
    const hinted = await new HttpBrowser().request(appAuthorizeUrl(world, { login_hint: 'someone@example.com' }).url);
    assert.notEqual(hinted.status, 303, 'a login_hint shows the sign-in page');

    // One default per issuer: another one made the default ends this one's.
    await createProvider(scope, { id: 'second', issuerUrl: world.upstream.url, clientId: 'x', clientSecret: 'y', defaultSignIn: 'link' });
    assert.equal((await scope.repos.upstreamProviders.find('gh'))?.defaultSignIn, 'off');
    assert.equal((await scope.repos.upstreamProviders.findDefault())?.id, 'second');
    await updateProvider(scope, 'second', { enabled: false });
    assert.equal(await scope.repos.upstreamProviders.findDefault(), undefined, 'a disabled provider is no default');
  });
});
