import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ACCOUNT_URL, type ListedApp, listedApps, notice, openAccountPage, postRemoveScope, tokensFor } from '../helpers/account-pages.js';
import { assertErrorPage, isConsentPage } from '../helpers/authorize-pages.js';
import { ISSUER, authorizeUrl, inProcessBrowser } from '../helpers/flow.js';
import type { HttpBrowser } from '../helpers/http-browser.js';
import { type TestContext, createTestContext, createTestUser } from '../helpers/harness.js';
import {
  type Confidential,
  assertOAuthError,
  basic,
  codeParams,
  confidentialClient,
  introspect,
  obtainCode,
  postForm,
  refresh,
  userinfo,
} from '../helpers/oauth-requests.js';
import { at } from '../helpers/prefix.js';

const FULL = 'openid profile email payments';

interface Holder {
  browser: HttpBrowser;
  email: string;
  tokens: { access: string; refresh: string };
  app: ListedApp;
}

type Tokens = { access_token: string; refresh_token: string; scope: string };

// Removing one permission of an app narrows its grants at once: access tokens that carry the
// scope are refused, others of the same grant keep working, refreshes come back narrower, and
// the consent for that scope is asked again.
describe('account page: remove one permission of an app', () => {
  let ctx: TestContext;
  let app: Confidential;

  before(async () => {
    ctx = await createTestContext();
    app = await confidentialClient(ctx, { name: 'Payments App', scopes: ['openid', 'profile', 'email', 'payments', 'offline_access'] });
  });
  after(() => ctx.close());

  async function holder(scope = FULL, browser = inProcessBrowser(ctx), email?: string): Promise<Holder> {
    const who = email ?? (await createTestUser(ctx)).email;
    const tokens = await tokensFor(ctx, app, who, browser, scope);
    const listed = listedApps((await openAccountPage(browser)).html).find((a) => a.name === 'Payments App');
    assert.ok(listed, 'the app is listed');
    return { browser, email: who, tokens, app: listed };
  }

  async function refreshed(token: string, extra: Record<string, string> = {}): Promise<Tokens> {
    const res = await refresh(ctx, basic(app), token, extra);
    assert.equal(res.status, 200, await res.clone().text());
    return (await res.json()) as Tokens;
  }

  async function assertRefused(access: string): Promise<void> {
    assert.equal((await introspect(ctx, app, access)).active, false, 'inactive at introspection');
    const info = await userinfo(ctx, access);
    assert.equal(info.status, 401, 'refused at userinfo');
    assert.match(info.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
  }

  it('asks to confirm first, naming the permission; nothing changes until confirmed', async () => {
    const h = await holder();
    const page = await openAccountPage(h.browser);
    assert.match(page.html, /aria-label="Remove “See your email address” from Payments App"/);
    const asked = await postRemoveScope(h.browser, h.app, 'email', { confirm: undefined });
    assert.equal(asked.status, 200);
    const html = await asked.text();
    assert.match(html, /Remove this permission from Payments App\?/);
    assert.match(html, /name="scope" value="email"/);
    assert.match(html, /id="keep-scope"/);
    assert.doesNotMatch(html, /id="scope-ends-access"/, 'email is not the last scope');
    assert.equal((await introspect(ctx, app, h.tokens.access)).active, true);
    const openid = await postRemoveScope(h.browser, h.app, 'openid', { confirm: undefined });
    assert.match(await openid.text(), /id="scope-ends-access"/, 'openid: the confirmation says the whole access goes');
  });

  it('refuses exactly the tokens carrying the scope; a narrower token of the same grant keeps working', async () => {
    const h = await holder();
    // Before the removal: a token of the same grant without `email` (RFC 6749 §6 narrower refresh).
    const narrow = await refreshed(h.tokens.refresh, { scope: 'openid profile' });
    const res = await postRemoveScope(h.browser, h.app, 'email');
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `${ACCOUNT_URL}?notice=scopeRemoved`);

    await assertRefused(h.tokens.access);
    assert.equal((await introspect(ctx, app, narrow.access_token)).active, true, 'the token without email is untouched');
    assert.equal((await userinfo(ctx, narrow.access_token)).status, 200);

    // The refresh token of the grant keeps working and returns the narrowed scope.
    const next = await refreshed(narrow.refresh_token);
    assert.equal(next.scope, 'openid profile payments');
    const info = (await (await userinfo(ctx, next.access_token)).json()) as Record<string, unknown>;
    assert.equal(info.email, undefined, 'no email claim any more');
    assert.equal(typeof info.sub, 'string');
    assert.equal((await introspect(ctx, app, next.access_token)).scope, 'openid profile payments');
    assert.equal((await introspect(ctx, app, next.refresh_token, 'refresh_token')).scope, 'openid profile payments');
    // Asking for the removed scope again on refresh exceeds the grant.
    await assertOAuthError(await refresh(ctx, basic(app), next.refresh_token, { scope: 'openid email' }), 400, 'invalid_scope');

    const page = await openAccountPage(h.browser, res.headers.get('location') ?? '');
    assert.match(notice(page.html) ?? '', /^Permission removed\./);
    const listed = listedApps(page.html).find((a) => a.name === 'Payments App');
    assert.equal(listed?.scopes.length, h.app.scopes.length - 1, 'one permission fewer');
  });

  it('a custom scope goes the same way: its tokens are refused', async () => {
    const h = await holder();
    assert.equal((await postRemoveScope(h.browser, h.app, 'payments')).status, 303);
    await assertRefused(h.tokens.access);
    assert.equal((await refreshed(h.tokens.refresh)).scope, 'openid profile email');
  });

  it('records grant.scope_removed with the grant, the client and the removed scope', async () => {
    const h = await holder();
    assert.equal((await postRemoveScope(h.browser, h.app, 'profile')).status, 303);
    const events = await ctx.scope.repos.events.list({ type: 'grant.scope_removed', clientId: app.id });
    const event = events.find((e) => (e.payload as { grant_id: string }).grant_id === h.app.grant);
    assert.ok(event, 'the event names the grant');
    assert.deepEqual(event.payload, { grant_id: h.app.grant, removed: ['profile'], scope: 'openid email payments', by: 'user' });
    assert.equal(event.clientId, app.id);
  });

  it('forgets the consent for that scope only: asking for it shows consent, the rest is remembered', async () => {
    const h = await holder();
    assert.equal((await postRemoveScope(h.browser, h.app, 'email')).status, 303);
    const narrower = await h.browser.navigate(authorizeUrl(app.id, { scope: 'openid profile' }).url, ISSUER);
    assert.ok(narrower.leftTo?.includes('code='), `no consent for what is still approved (stopped on ${narrower.page?.html.slice(0, 200)})`);
    const again = await h.browser.navigate(authorizeUrl(app.id, { scope: 'openid profile email' }).url, ISSUER);
    assert.ok(again.page && isConsentPage(again.page), `the consent page, not a silent code (went to ${again.leftTo})`);
  });

  it('spends codes not yet exchanged, so none becomes a grant with the removed scope', async () => {
    const h = await holder();
    const pending = await obtainCode(h.browser, app.id, h.email, { scope: FULL });
    const fresh = listedApps((await openAccountPage(h.browser)).html).find((a) => a.name === 'Payments App') as ListedApp;
    assert.equal((await postRemoveScope(h.browser, fresh, 'email')).status, 303);
    await assertOAuthError(await postForm(ctx, at('/oauth/token'), codeParams(pending), basic(app)), 400, 'invalid_grant');
  });

  it('narrows every grant the user gave the app (signed in on two devices)', async () => {
    const user = await createTestUser(ctx);
    const first = await holder(FULL, inProcessBrowser(ctx), user.email);
    const second = await holder(FULL, inProcessBrowser(ctx), user.email);
    assert.equal((await postRemoveScope(second.browser, second.app, 'email')).status, 303);
    await assertRefused(first.tokens.access);
    await assertRefused(second.tokens.access);
    assert.equal((await refreshed(first.tokens.refresh)).scope, 'openid profile payments');
    assert.equal((await refreshed(second.tokens.refresh)).scope, 'openid profile payments');
  });

  it('removing openid removes the app: refresh is invalid_grant, the app is no longer listed', async () => {
    const h = await holder();
    const res = await postRemoveScope(h.browser, h.app, 'openid');
    assert.equal(res.headers.get('location'), `${ACCOUNT_URL}?notice=removed`);
    await assertRefused(h.tokens.access);
    await assertOAuthError(await refresh(ctx, basic(app), h.tokens.refresh), 400, 'invalid_grant');
    assert.equal(listedApps((await openAccountPage(h.browser)).html).length, 0);
    const [event] = await ctx.scope.repos.events.list({ type: 'grant.revoked', clientId: app.id, limit: 1 });
    assert.deepEqual(event?.payload, { grant_id: h.app.grant, reason: 'revoked_by_user' });
  });

  it('removing the last scope removes the app', async () => {
    const h = await holder('payments');
    const res = await postRemoveScope(h.browser, h.app, 'payments');
    assert.equal(res.headers.get('location'), `${ACCOUNT_URL}?notice=removed`);
    await assertOAuthError(await refresh(ctx, basic(app), h.tokens.refresh), 400, 'invalid_grant');
  });

  it('removing offline_access ends a grant whose session is over; it may no longer outlive it', async () => {
    const h = await holder('openid offline_access');
    // Keep the session: removing offline_access while signed in narrows the grant.
    assert.equal((await postRemoveScope(h.browser, h.app, 'offline_access')).status, 303);
    assert.equal((await refreshed(h.tokens.refresh)).scope, 'openid');

    const g = await holder('openid profile offline_access');
    const session = await ctx.scope.repos.sessions.listForUser((await ctx.scope.repos.users.findByEmail(g.email))?.id ?? '');
    // The grant's session ends (the user signed out elsewhere); the grant outlives it through offline_access.
    for (const s of session) await ctx.scope.repos.sessions.end(s.id, 'logout');
    assert.equal((await introspect(ctx, app, g.tokens.access)).active, true, 'offline_access kept the grant');
    const other = inProcessBrowser(ctx);
    const again = await holder('openid', other, g.email);
    assert.equal((await postRemoveScope(other, again.app, 'offline_access')).status, 303);
    await assertRefused(g.tokens.access);
    await assertOAuthError(await refresh(ctx, basic(app), g.tokens.refresh), 400, 'invalid_grant');
  });

  it('changes nothing for a forged, foreign, unknown or malformed form', async () => {
    const victim = await holder();
    const attacker = await holder();
    await assertErrorPage(await postRemoveScope(attacker.browser, attacker.app, 'email', { csrf: 'x'.repeat(43) }), 403);
    await assertErrorPage(await postRemoveScope(inProcessBrowser(ctx), victim.app, 'email'), 403);
    const foreign = await postRemoveScope(attacker.browser, attacker.app, 'email', { grant: victim.app.grant });
    assert.equal(foreign.headers.get('location'), `${ACCOUNT_URL}?notice=gone`);
    const unheld = await postRemoveScope(attacker.browser, attacker.app, 'kyc');
    assert.equal(unheld.headers.get('location'), `${ACCOUNT_URL}?notice=gone`);
    for (const scope of ['', 'two words', 'quote"d', 'x'.repeat(201)]) {
      await assertErrorPage(await postRemoveScope(attacker.browser, attacker.app, scope), 400);
    }
    const res = await attacker.browser.request(`${ISSUER}/account/apps/remove-scope`);
    assert.equal(res.headers.get('allow'), 'POST');
    assert.equal((await introspect(ctx, app, victim.tokens.access)).active, true, "the victim's token still works");
    assert.equal((await introspect(ctx, app, attacker.tokens.access)).active, true);
  });
});
