import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TEST_PASSWORD, createTestUser } from '../helpers/harness.js';
import { HttpBrowser } from '../helpers/http-browser.js';
import { type FederationWorld, addGatehouseProvider, federationWorld, follow, pageOf, postIn, upstreamUser } from './helpers.js';

const HTML = { accept: 'text/html' };

// The account security page lists the identities linked to the account; unlinking one needs a
// recent sign-in, as every factor change does, and never removes the last way to sign in.
describe('federation: linked accounts on the account page', () => {
  let world: FederationWorld;

  before(async () => {
    world = await federationWorld();
    await addGatehouseProvider(world, 'gh', { trustedForLinking: true });
  });
  after(() => world.close());

  /** A plain sign-in link through the upstream: it ends on the account page, signed in. */
  async function signedInThroughUpstream(email: string): Promise<HttpBrowser> {
    const browser = new HttpBrowser();
    const start = `${world.issuer}/signin/gh`;
    const upstreamLogin = await pageOf(await follow(browser, await browser.request(start), start));
    const posted = await postIn(browser, upstreamLogin, '/login', { email, password: TEST_PASSWORD });
    const ended = await follow(browser, posted.res, posted.url);
    assert.equal(ended.url, `${world.issuer}/account`);
    return browser;
  }

  async function securityPage(browser: HttpBrowser): Promise<{ url: string; status: number; html: string }> {
    const url = `${world.issuer}/account/security`;
    return pageOf({ url, res: await browser.request(url, { headers: HTML }) });
  }

  it('lists the linked identity and refuses to unlink the only way to sign in', async () => {
    await upstreamUser(world, 'only-upstream@example.com');
    const browser = await signedInThroughUpstream('only-upstream@example.com');
    const page = await securityPage(browser);
    assert.equal(page.status, 200);
    assert.match(page.html, /<h2 id="linked-identities-heading">Linked accounts<\/h2>/);
    assert.match(page.html, /<strong>Upstream<\/strong> only-upstream@example\.com/);
    const refused = await postIn(browser, page, '/linked/unlink', {});
    assert.equal(refused.res.status, 409);
    assert.match(await refused.res.text(), /This is the only way you can sign in, so it cannot be unlinked/);
    const user = await world.ctx.scope.repos.users.findByEmail('only-upstream@example.com');
    assert.equal((await world.ctx.scope.repos.linkedIdentities.listForUser(user?.id ?? '')).length, 1);
  });

  it('unlinks for a user who has a password, with a recent sign-in only', async () => {
    const user = await createTestUser(world.ctx, 'both-ways@example.com');
    await upstreamUser(world, 'both-ways@example.com');
    const browser = await signedInThroughUpstream('both-ways@example.com');
    const page = await securityPage(browser);
    const [linked] = await world.ctx.scope.repos.linkedIdentities.listForUser(user.id);
    assert.ok(linked);

    // Later than a recent sign-in: the button is gone, a fresh sign-in is offered, a late post refused.
    world.ctx.clock.advance(600);
    const stale = await securityPage(browser);
    assert.match(stale.html, /id="linked-identities-reauth"/);
    assert.doesNotMatch(stale.html, /\/linked\/unlink/);
    const late = await postIn(browser, page, '/linked/unlink', {});
    assert.equal(late.res.status, 403);
    assert.equal((await world.ctx.scope.repos.linkedIdentities.listForUser(user.id)).length, 1);
    world.ctx.clock.advance(-600);

    const done = await postIn(browser, page, '/linked/unlink', {});
    assert.equal(done.res.status, 303);
    assert.equal(done.res.headers.get('location'), `${world.issuer}/account/security`);
    assert.deepEqual(await world.ctx.scope.repos.linkedIdentities.listForUser(user.id), []);
    const [event] = await world.ctx.scope.repos.events.page({ types: ['identity.unlinked'], userId: user.id, limit: 1 });
    assert.deepEqual(event?.payload, { identity_id: linked.id, provider_id: 'gh' });
    assert.doesNotMatch((await securityPage(browser)).html, /linked-identities-heading/);
  });
});
