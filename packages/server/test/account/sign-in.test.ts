import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ACCOUNT_URL, listedApps, openAccountPage, signInOnAccountPage, tokensFor } from '../helpers/account-pages.js';
import { FORM_HEADERS, assertErrorPage, codeFrom, interactionUid, isLoginPage, loginError, setCookie } from '../helpers/authorize-pages.js';
import { ISSUER, authorizeUrl, inProcessBrowser, runFlow } from '../helpers/flow.js';
import { type TestContext, TEST_PASSWORD, createTestContext, createTestUser } from '../helpers/harness.js';
import { type Confidential, confidentialClient } from '../helpers/oauth-requests.js';
import { at, atRe, INTERACTION_COOKIE, SESSION_COOKIE } from '../helpers/prefix.js';

/** The attributes of a Set-Cookie header, lower-cased, without the name=value pair. */
function attributes(header: string | undefined): string[] {
  assert.ok(header, 'the cookie is set');
  return header
    .split(';')
    .slice(1)
    .map((a) => a.trim().toLowerCase());
}

// Opening the account page without a session shows the hosted sign-in; it ends on the account
// page and nowhere else, and it cannot be finished as (or mistaken for) an authorization request.
describe('account page: signing in', () => {
  let ctx: TestContext;
  let client: Confidential;

  before(async () => {
    ctx = await createTestContext();
    client = await confidentialClient(ctx);
  });
  after(() => ctx.close());

  it('no session → the sign-in form → back on the page, signed in', async () => {
    const user = await createTestUser(ctx);
    const browser = inProcessBrowser(ctx);
    const first = await browser.request(ACCOUNT_URL);
    const html = await first.text();
    assert.equal(first.status, 200);
    assert.ok(isLoginPage({ url: ACCOUNT_URL, status: 200, html }), 'the sign-in form');
    assert.match(html, /to see and manage the apps that can use your account/);
    assert.doesNotMatch(html, /\/abort"/, 'no app to cancel back to');
    const uid = interactionUid(html);
    const interactionCookie = attributes(setCookie(first, INTERACTION_COOKIE));
    for (const want of ['httponly', 'samesite=lax', `path=${at(`/interaction/${uid}`).toLowerCase()}`])
      assert.ok(interactionCookie.includes(want), `${want} in ${interactionCookie.join('; ')}`);

    const posted = await signInOnAccountPage(browser, user.email);
    assert.equal(posted.status, 303);
    assert.equal(posted.headers.get('location'), ACCOUNT_URL);
    const session = attributes(setCookie(posted, SESSION_COOKIE));
    for (const want of ['httponly', 'samesite=lax', `path=${at('/').toLowerCase()}`]) assert.ok(session.includes(want), `${want} in ${session.join('; ')}`);
    assert.match(setCookie(posted, INTERACTION_COOKIE) ?? '', /Max-Age=0/i, 'the interaction cookie is cleared');

    await openAccountPage(browser);
    // The session is the single sign-on one: an app's sign-in no longer asks for a password.
    const step = await browser.navigate(authorizeUrl(client.id).url, ISSUER);
    assert.ok(step.page && !isLoginPage(step.page), 'signed in for apps too');
  });

  it('goes back to the fixed account path whatever the request says', async () => {
    const user = await createTestUser(ctx);
    const browser = inProcessBrowser(ctx);
    const url = `${ACCOUNT_URL}?redirect_uri=https://evil.example/&next=https://evil.example/&return_to=//evil.example`;
    const posted = await signInOnAccountPage(browser, user.email, undefined, url);
    assert.equal(posted.status, 303);
    assert.equal(posted.headers.get('location'), ACCOUNT_URL);
  });

  it('a wrong password shows the form again and signs no one in', async () => {
    const user = await createTestUser(ctx);
    const browser = inProcessBrowser(ctx);
    const posted = await signInOnAccountPage(browser, user.email, 'wrong password');
    assert.equal(posted.status, 401);
    assert.equal(setCookie(posted, SESSION_COOKIE), undefined);
    assert.equal(loginError(await posted.text()), 'The email or password is incorrect.');
    assert.ok(isLoginPage({ url: ACCOUNT_URL, status: 200, html: await (await browser.request(ACCOUNT_URL)).text() }));
  });

  it('ends the session another tab started while the form was open, so one browser holds one session', async () => {
    const user = await createTestUser(ctx);
    const browser = inProcessBrowser(ctx);
    const form = await (await browser.request(ACCOUNT_URL)).text();
    const action = new RegExp(`action="(${atRe('/interaction/')}[^"]+/login)"`).exec(form)?.[1] ?? '';
    const csrf = /name="csrf" value="([^"]*)"/.exec(form)?.[1] ?? '';
    await tokensFor(ctx, client, user.email, browser);
    const sessions = async (): Promise<{ ended_at: number | null }[]> =>
      ctx.services.store.db.selectFrom('sessions').select('ended_at').where('user_id', '=', user.id).execute();
    assert.deepEqual(
      (await sessions()).map((s) => s.ended_at),
      [null],
      'the other tab signed in',
    );

    const posted = await browser.request(new URL(action, ISSUER).href, {
      method: 'POST',
      headers: FORM_HEADERS,
      body: new URLSearchParams({ csrf, email: user.email, password: TEST_PASSWORD }).toString(),
    });
    assert.equal(posted.status, 303);
    const after = await sessions();
    assert.equal(after.length, 2);
    assert.equal(after.filter((s) => s.ended_at === null).length, 1, 'the earlier session ended when this one began');
    await openAccountPage(browser);
  });

  it('a browser already signed in to an app sees the page at once', async () => {
    const user = await createTestUser(ctx);
    const browser = inProcessBrowser(ctx);
    await tokensFor(ctx, client, user.email, browser);
    assert.equal(listedApps((await openAccountPage(browser)).html).length, 1);
  });

  it('cannot be finished as an authorization request: consent and cancel refuse it with a page', async () => {
    const browser = inProcessBrowser(ctx);
    const html = await (await browser.request(ACCOUNT_URL)).text();
    const uid = interactionUid(html);
    const csrf = /name="csrf" value="([^"]*)"/.exec(html)?.[1] ?? '';
    for (const step of ['consent', 'abort']) {
      const res = await browser.request(`${ISSUER}/interaction/${uid}/${step}`, {
        method: 'POST',
        headers: FORM_HEADERS,
        body: new URLSearchParams({ csrf, decision: 'approve' }).toString(),
      });
      await assertErrorPage(res, 404);
    }
    // Still the sign-in form it was.
    const again = await browser.request(`${ISSUER}/interaction/${uid}`);
    assert.ok(isLoginPage({ url: ACCOUNT_URL, status: again.status, html: await again.text() }));
  });

  it('an authorization request cannot pass itself off as an account sign-in', async () => {
    const user = await createTestUser(ctx);
    const req = authorizeUrl(client.id, { purpose: 'account' });
    const result = await runFlow(inProcessBrowser(ctx), req.url, { email: user.email, approve: ['openid', 'profile', 'email'] });
    codeFrom(result.callback, { state: req.state });
  });

  it('the sign-out button signs out (after the logout confirmation), and the page asks to sign in again', async () => {
    const user = await createTestUser(ctx);
    const browser = inProcessBrowser(ctx);
    await signInOnAccountPage(browser, user.email);
    const page = await openAccountPage(browser);
    const confirm = await browser.submit(page, '/oauth/logout', {}, ISSUER);
    assert.ok(confirm.page, 'the confirmation page');
    const done = await browser.submit(confirm.page, '/oauth/logout/confirm', { decision: 'logout' }, ISSUER);
    assert.match(done.page?.html ?? '', /You have signed out/);
    const after = await browser.request(ACCOUNT_URL);
    assert.ok(isLoginPage({ url: ACCOUNT_URL, status: after.status, html: await after.text() }));
  });

  it('behind https, the account sign-in sets the __Host- session cookie', async () => {
    const https = await createTestContext({ GATEHOUSE_ISSUER: 'https://id.example.com' });
    try {
      const user = await createTestUser(https);
      const browser = inProcessBrowser(https);
      const url = 'https://id.example.com/account/apps';
      const first = await browser.request(url);
      for (const want of ['secure', 'httponly', 'samesite=lax']) assert.ok(attributes(setCookie(first, '__Secure-gh_interaction')).includes(want), want);
      const html = await first.text();
      const action = /action="(\/interaction\/[^"]+\/login)"/.exec(html)?.[1] ?? '';
      const csrf = /name="csrf" value="([^"]*)"/.exec(html)?.[1] ?? '';
      const posted = await browser.request(`https://id.example.com${action}`, {
        method: 'POST',
        headers: FORM_HEADERS,
        body: new URLSearchParams({ csrf, email: user.email, password: TEST_PASSWORD }).toString(),
      });
      assert.equal(posted.headers.get('location'), url);
      const attrs = attributes(setCookie(posted, '__Host-gh_session'));
      for (const want of ['secure', 'httponly', 'samesite=lax', 'path=/']) assert.ok(attrs.includes(want), `${want} in ${attrs.join('; ')}`);
      assert.match(https.services.config.issuer, /^https:/);
    } finally {
      await https.close();
    }
  });
});
