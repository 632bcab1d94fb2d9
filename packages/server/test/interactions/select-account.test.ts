import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { codeFrom, exchangeCode, isAccountChooser, isConsentPage, isLoginPage } from '../helpers/authorize-pages.js';
import { ISSUER, authorizeUrl, inProcessBrowser } from '../helpers/flow.js';
import type { HttpBrowser, Page } from '../helpers/http-browser.js';
import { type TestContext, TEST_PASSWORD, createTestClient, createTestContext, createTestUser } from '../helpers/harness.js';

type TestClient = { id: string; secret: string | null };

// prompt=select_account (OIDC Core §3.1.2.1): a browser signed in to several accounts of an
// issuer is asked which one to continue with; "Use another account" adds one without ending the
// others; a chosen account still meets max_age and prompt=login; logout ends them all.
describe('hosted pages: the account chooser', () => {
  let ctx: TestContext;
  let portal: TestClient;
  let thirdParty: TestClient;
  let ada: { id: string; email: string };
  let grace: { id: string; email: string };

  before(async () => {
    ctx = await createTestContext();
    const created = await createTestClient(ctx, { name: 'Staff Portal', firstParty: true });
    portal = { id: created.client.id, secret: created.secret };
    const other = await createTestClient(ctx, { name: 'Invoices Inc' });
    thirdParty = { id: other.client.id, secret: other.secret };
    ada = await createTestUser(ctx, 'ada@example.com');
    grace = await createTestUser(ctx, 'grace@example.com');
  });
  after(() => ctx.close());

  async function subOf(client: TestClient, step: { leftTo?: string }, req: { state: string; verifier: string }): Promise<string> {
    const res = await exchangeCode(ctx, client, codeFrom(step.leftTo, { state: req.state }), req.verifier);
    const body = (await res.json()) as { id_token: string };
    return String(decodeJwt(body.id_token).sub);
  }

  async function signIn(browser: HttpBrowser, email: string, extra: Record<string, string> = {}): Promise<{ leftTo?: string; page?: Page }> {
    const req = authorizeUrl(portal.id, extra);
    const step = await browser.navigate(req.url, ISSUER);
    assert.ok(isLoginPage(step.page), step.page?.html.slice(0, 300));
    return browser.submit(step.page, '/login', { email, password: TEST_PASSWORD }, ISSUER);
  }

  /** A browser signed in to Ada, then to Grace through "Use another account". */
  async function twoAccounts(): Promise<HttpBrowser> {
    const browser = inProcessBrowser(ctx);
    assert.ok((await signIn(browser, ada.email)).leftTo);
    const chooser = await browser.navigate(authorizeUrl(portal.id, { prompt: 'select_account' }).url, ISSUER);
    assert.ok(isAccountChooser(chooser.page));
    const login = await browser.submit(chooser.page, '/select_account', { account: 'another' }, ISSUER);
    assert.ok(isLoginPage(login.page), 'another account means the login page');
    assert.ok((await browser.submit(login.page, '/login', { email: grace.email, password: TEST_PASSWORD }, ISSUER)).leftTo);
    return browser;
  }

  function sidFor(page: Page, label: string): string {
    const match = new RegExp(`value="([^"]+)"[^>]*>Continue as <bdi>[^<]*</bdi><span class="account-email"><bdi>${label}</bdi>`).exec(page.html);
    assert.ok(match, `a button for ${label}: ${page.html}`);
    return match[1]!;
  }

  it('without any session, select_account goes straight to the login page', async () => {
    const step = await inProcessBrowser(ctx).navigate(authorizeUrl(portal.id, { prompt: 'select_account' }).url, ISSUER);
    assert.ok(isLoginPage(step.page));
  });

  it('with one account it offers "Continue as …" and "Use another account"; continuing needs no password', async () => {
    const browser = inProcessBrowser(ctx);
    assert.ok((await signIn(browser, ada.email)).leftTo);
    const req = authorizeUrl(portal.id, { prompt: 'select_account' });
    const chooser = await browser.navigate(req.url, ISSUER);
    assert.ok(isAccountChooser(chooser.page));
    assert.match(chooser.page.html, /Continue as <bdi>Ada Lovelace<\/bdi><span class="account-email"><bdi>ada@example\.com<\/bdi>/);
    assert.match(chooser.page.html, /Use another account/);
    const done = await browser.submit(chooser.page, '/select_account', { account: sidFor(chooser.page, 'ada@example\\.com') }, ISSUER);
    assert.equal(await subOf(portal, done, req), ada.id);
  });

  it('"Use another account" keeps the first account: both are offered, and either can be chosen', async () => {
    const browser = await twoAccounts();
    for (const user of [ada, grace]) {
      const req = authorizeUrl(portal.id, { prompt: 'select_account' });
      const chooser = await browser.navigate(req.url, ISSUER);
      assert.ok(isAccountChooser(chooser.page));
      assert.match(chooser.page.html, /ada@example\.com/);
      assert.match(chooser.page.html, /grace@example\.com/);
      const done = await browser.submit(chooser.page, '/select_account', { account: sidFor(chooser.page, user.email.replaceAll('.', '\\.')) }, ISSUER);
      assert.equal(await subOf(portal, done, req), user.id, `continued as ${user.email}`);
      // The chosen account is now the browser's: a plain request signs in as it, silently.
      const silent = authorizeUrl(portal.id, { prompt: 'none' });
      assert.equal(await subOf(portal, await browser.navigate(silent.url, ISSUER), silent), user.id);
    }
  });

  it('a plain login (no chooser) still replaces the session: no account is kept behind it', async () => {
    const browser = inProcessBrowser(ctx);
    assert.ok((await signIn(browser, ada.email)).leftTo);
    assert.ok((await signIn(browser, grace.email, { prompt: 'login' })).leftTo);
    const chooser = await browser.navigate(authorizeUrl(portal.id, { prompt: 'select_account' }).url, ISSUER);
    assert.ok(isAccountChooser(chooser.page));
    assert.doesNotMatch(chooser.page.html, /ada@example\.com/);
  });

  it('a chosen account older than max_age signs in again, with its email filled in', async () => {
    const browser = await twoAccounts();
    ctx.clock.advance(120);
    const req = authorizeUrl(portal.id, { prompt: 'select_account', max_age: '60' });
    const chooser = await browser.navigate(req.url, ISSUER);
    assert.ok(isAccountChooser(chooser.page));
    const login = await browser.submit(chooser.page, '/select_account', { account: sidFor(chooser.page, 'ada@example\\.com') }, ISSUER);
    assert.ok(isLoginPage(login.page), 'max_age is not met by choosing');
    assert.match(login.page.html, /value="ada@example\.com"/);
    const done = await browser.submit(login.page, '/login', { email: ada.email, password: TEST_PASSWORD }, ISSUER);
    assert.equal(await subOf(portal, done, req), ada.id);
  });

  it("only the browser's own sessions can be chosen: another sid is refused and the chooser shown again", async () => {
    const other = inProcessBrowser(ctx);
    assert.ok((await signIn(other, grace.email)).leftTo);
    const otherChooser = await other.navigate(authorizeUrl(portal.id, { prompt: 'select_account' }).url, ISSUER);
    assert.ok(isAccountChooser(otherChooser.page));
    const graceSid = sidFor(otherChooser.page, 'grace@example\\.com');

    const browser = inProcessBrowser(ctx);
    assert.ok((await signIn(browser, ada.email)).leftTo);
    const chooser = await browser.navigate(authorizeUrl(portal.id, { prompt: 'select_account' }).url, ISSUER);
    assert.ok(isAccountChooser(chooser.page));
    const refused = await browser.submit(chooser.page, '/select_account', { account: graceSid }, ISSUER);
    assert.ok(isAccountChooser(refused.page));
    assert.equal(refused.page.status, 400);
    assert.match(refused.page.html, /no longer signed in/);
  });

  it('"Not you?" on the consent page leads to the chooser', async () => {
    const browser = inProcessBrowser(ctx);
    assert.ok((await signIn(browser, ada.email)).leftTo);
    const consent = await browser.navigate(authorizeUrl(thirdParty.id).url, ISSUER);
    assert.ok(isConsentPage(consent.page));
    const chooser = await browser.submit(consent.page, '/switch', {}, ISSUER);
    assert.ok(isAccountChooser(chooser.page));
    const login = await browser.submit(chooser.page, '/select_account', { account: 'another' }, ISSUER);
    assert.ok(isLoginPage(login.page));
  });

  it('a second post of the login form after the chooser signs no one in', async () => {
    const browser = inProcessBrowser(ctx);
    assert.ok((await signIn(browser, ada.email)).leftTo);
    const chooser = await browser.navigate(authorizeUrl(portal.id, { prompt: 'select_account' }).url, ISSUER);
    assert.ok(isAccountChooser(chooser.page));
    const replay = await browser.submit(chooser.page, '/select_account', { account: 'nonsense' }, ISSUER);
    assert.equal(replay.page?.status, 400);
  });

  it('logout ends every account the browser holds', async () => {
    const browser = await twoAccounts();
    const logout = await browser.navigate(`${ISSUER}/oauth/logout`, ISSUER);
    assert.ok(logout.page);
    const signedOut = await browser.submit(logout.page, '/oauth/logout/confirm', { decision: 'logout' }, ISSUER);
    assert.ok(signedOut.page);
    const chooser = await browser.navigate(authorizeUrl(portal.id, { prompt: 'select_account' }).url, ISSUER);
    assert.ok(isLoginPage(chooser.page), 'no account is left');
  });
});
