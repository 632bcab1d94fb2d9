import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { codeFrom, exchangeCode, interactionUid, isConsentPage, isLoginPage, openLoginPage } from '../helpers/authorize-pages.js';
import { ISSUER, authorizeUrl, inProcessBrowser } from '../helpers/flow.js';
import { type TestContext, TEST_PASSWORD, createTestClient, createTestContext, createTestUser } from '../helpers/harness.js';
import { at } from '../helpers/prefix.js';

// The happy path through the hosted pages, checked as a browser and a client see it.
describe('hosted pages: login, consent and the code', () => {
  let ctx: TestContext;
  let client: { id: string; secret: string | null };
  let email: string;
  let userId: string;

  before(async () => {
    ctx = await createTestContext();
    const created = await createTestClient(ctx);
    client = { id: created.client.id, secret: created.secret };
    const user = await createTestUser(ctx);
    email = user.email;
    userId = user.id;
  });
  after(() => ctx.close());

  it('shows the login form, posted to its interaction with email, password and a hidden csrf', async () => {
    const browser = inProcessBrowser(ctx);
    const page = await openLoginPage(browser, authorizeUrl(client.id).url);
    const uid = interactionUid(page.html);
    assert.match(page.html, new RegExp(`<form method="post" action="${at(`/interaction/${uid}/login`)}"`));
    assert.match(page.html, /<input type="email" id="email" name="email"/);
    assert.match(page.html, /<input type="password" id="password" name="password"/);
    const csrf = /<input type="hidden" name="csrf" value="([^"]+)"/.exec(page.html)?.[1];
    assert.ok(csrf && csrf.length >= 22, 'a csrf token of real length');
    assert.match(page.html, /Example Business/);
    assert.match(page.html, new RegExp(`action="${at(`/interaction/${uid}/abort`)}"`));
  });

  it('answers the login page at the authorization URL, never puts the csrf token in a URL, and shows it again at /interaction/:uid', async () => {
    const browser = inProcessBrowser(ctx);
    const req = authorizeUrl(client.id);
    const page = await openLoginPage(browser, req.url);
    assert.equal(page.url, req.url, 'no redirect before the login page');
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.html)?.[1] ?? '';
    assert.ok(csrf && !page.url.includes(csrf));
    const again = await browser.navigate(`${ISSUER}/interaction/${interactionUid(page.html)}`, ISSUER);
    assert.ok(again.page && isLoginPage(again.page));
    assert.equal(/name="csrf" value="([^"]+)"/.exec(again.page.html)?.[1], csrf, 'the same interaction, the same form');
  });

  it('after login shows consent with the client, its description and a checkbox per scope; approving returns a code', async () => {
    const browser = inProcessBrowser(ctx);
    const req = authorizeUrl(client.id, { scope: 'openid profile email payments' });
    const login = await openLoginPage(browser, req.url);
    const step = await browser.submit(login, '/login', { email, password: TEST_PASSWORD }, ISSUER);
    assert.ok(isConsentPage(step.page), step.leftTo);
    const consent = step.page;
    assert.equal(consent.status, 200);
    assert.match(consent.html, /Example Business/);
    assert.match(consent.html, /Payments for small businesses/);
    assert.ok(consent.html.includes(email), 'shows who is signed in');

    const boxes = [...consent.html.matchAll(/<input type="checkbox"[^>]*name="scope" value="([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(boxes, ['openid', 'profile', 'email', 'payments']);
    assert.match(consent.html, /<button type="submit" name="decision" value="approve"/);
    assert.match(consent.html, /<button type="submit" name="decision" value="deny"/);
    assert.match(consent.html, /<input type="hidden" name="csrf" value="[^"]+"/);

    const done = await browser.submit(consent, '/consent', { decision: 'approve', scope: ['openid', 'profile', 'email', 'payments'] }, ISSUER);
    const callback = new URL(done.leftTo ?? '');
    const code = codeFrom(done.leftTo, { state: req.state });
    assert.deepEqual([...callback.searchParams.keys()].sort(), ['code', 'iss', 'state']);
    assert.equal(callback.searchParams.get('iss'), ISSUER);

    const res = await exchangeCode(ctx, client, code, req.verifier);
    assert.equal(res.status, 200, await res.clone().text());
    const tokens = (await res.json()) as { access_token: string; id_token: string; refresh_token?: string; scope: string; token_type: string };
    assert.equal(tokens.token_type, 'Bearer');
    assert.equal(tokens.scope, 'openid profile email payments');
    const claims = decodeJwt(tokens.id_token);
    assert.equal(claims.sub, userId);
    assert.equal(claims.aud, client.id);
    assert.equal(claims.nonce, req.nonce);
    // OIDC Core §5.4: with an access token for userinfo, the email is there, not in the ID token.
    assert.equal(claims.email, undefined);
    const info = await ctx.app.request(at('/oauth/userinfo'), { headers: { authorization: `Bearer ${tokens.access_token}` } });
    assert.equal(((await info.json()) as { email?: string }).email, email);
  });

  it('re-shows the login page with a message for empty fields', async () => {
    const browser = inProcessBrowser(ctx);
    const login = await openLoginPage(browser, authorizeUrl(client.id).url);
    const step = await browser.submit(login, '/login', { email: '', password: '' }, ISSUER);
    assert.equal(step.page?.status, 400);
    assert.match(step.page?.html ?? '', /Enter your email and password/);
  });
});
