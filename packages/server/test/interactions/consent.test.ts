import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { assertErrorCallback, codeFrom, exchangeCode, isConsentPage, isLoginPage } from '../helpers/authorize-pages.js';
import { ISSUER, authorizeUrl, inProcessBrowser, runFlow } from '../helpers/flow.js';
import type { HttpBrowser, Page } from '../helpers/http-browser.js';
import { type TestContext, createTestClient, createTestContext, createTestUser } from '../helpers/harness.js';
import { atRe } from '../helpers/prefix.js';

type TestClient = { id: string; secret: string | null };

// The consent page: what the user approves is what the client gets, it is remembered, and only
// a new scope (or prompt=consent) asks again. First-party clients never ask.
describe('hosted pages: consent', () => {
  let ctx: TestContext;
  let app: TestClient;
  let portal: TestClient;

  before(async () => {
    ctx = await createTestContext();
    const third = await createTestClient(ctx);
    app = { id: third.client.id, secret: third.secret };
    const first = await createTestClient(ctx, { name: 'Staff Portal', firstParty: true });
    portal = { id: first.client.id, secret: first.secret };
  });
  after(() => ctx.close());

  /** A new user signed in to `app` in a new browser, stopped on the consent page. */
  async function atConsent(scope = 'openid profile email'): Promise<{ browser: HttpBrowser; email: string; page: Page; req: ReturnType<typeof authorizeUrl> }> {
    const email = (await createTestUser(ctx)).email;
    const browser = inProcessBrowser(ctx);
    const req = authorizeUrl(app.id, { scope });
    const result = await runFlow(browser, req.url, { email });
    assert.ok(isConsentPage(result.page), `expected the consent page, got ${result.callback?.href}`);
    return { browser, email, page: result.page, req };
  }

  /** Approves `scopes` on a consent page and returns the token response. */
  async function approve(
    browser: HttpBrowser,
    page: Page,
    req: ReturnType<typeof authorizeUrl>,
    scopes: string[],
  ): Promise<{ scope: string; id_token: string }> {
    const step = await browser.submit(page, '/consent', { decision: 'approve', scope: scopes }, ISSUER);
    const res = await exchangeCode(ctx, app, codeFrom(step.leftTo, { state: req.state }), req.verifier);
    assert.equal(res.status, 200);
    return (await res.json()) as { scope: string; id_token: string };
  }

  /** Where an authorization request in this browser goes first: a page, or straight back. */
  async function next(browser: HttpBrowser, client: TestClient, extra: Record<string, string | undefined> = {}): Promise<{ page?: Page; code?: string }> {
    const req = authorizeUrl(client.id, extra);
    const step = await browser.navigate(req.url, ISSUER);
    return step.page ? { page: step.page } : { code: codeFrom(step.leftTo, { state: req.state }) };
  }

  it("shows the app's logo and its privacy and terms links only when they are registered", async () => {
    const { page } = await atConsent();
    assert.doesNotMatch(page.html, /id="app-logo"|id="app-policy"|id="app-terms"/);
    const { updateClient } = await import('../../src/services/clients.js');
    await updateClient(ctx.scope, app.id, {
      logoUri: 'https://cdn.example-business.com/logo.png',
      policyUri: 'https://example-business.com/privacy',
      tosUri: 'https://example-business.com/terms',
    });
    const shown = await atConsent();
    assert.match(shown.page.html, /<img src="https:\/\/cdn\.example-business\.com\/logo\.png" alt="[^"]+ logo"/);
    assert.match(
      shown.page.html,
      /<a href="https:\/\/example-business\.com\/privacy" rel="noopener noreferrer" target="_blank" id="app-policy">Privacy policy of /,
    );
    assert.match(
      shown.page.html,
      /<a href="https:\/\/example-business\.com\/terms" rel="noopener noreferrer" target="_blank" id="app-terms">Terms of service of /,
    );
    await updateClient(ctx.scope, app.id, { logoUri: '', policyUri: '', tosUri: '' });
    assert.doesNotMatch((await atConsent()).page.html, /id="app-logo"|id="app-policy"|id="app-terms"/, '"" removes them');
  });

  it('refuses a link that is not https, with the field named', async () => {
    const { updateClient, ClientInputError } = await import('../../src/services/clients.js');
    for (const [field, value] of [
      ['logoUri', 'http://cdn.example.com/logo.png'],
      ['policyUri', 'javascript:alert(1)'],
      ['tosUri', 'https://user:pw@example.com/terms'],
      ['policyUri', 'not a url'],
    ] as const) {
      await assert.rejects(
        updateClient(ctx.scope, app.id, { [field]: value }),
        (error: unknown) => error instanceof ClientInputError && error.field === field,
        `${field} ${value}`,
      );
    }
  });

  it('grants only the scopes left ticked: unticking all but openid gives an openid-only token', async () => {
    const { browser, page, req } = await atConsent();
    const tokens = await approve(browser, page, req, ['openid']);
    assert.equal(tokens.scope, 'openid');
    const claims = decodeJwt(tokens.id_token);
    assert.equal(claims.email, undefined, 'no email claim without the email scope');
    assert.equal(claims.name, undefined, 'no profile claims without the profile scope');
  });

  it('keeps openid even if the form leaves it out (it cannot be unticked)', async () => {
    const { browser, page, req } = await atConsent();
    assert.match(page.html, /name="scope" value="openid" checked="" disabled=""/);
    assert.equal((await approve(browser, page, req, ['email'])).scope, 'openid email');
  });

  it('never grants a scope added to the form that the request did not ask for', async () => {
    const { browser, page, req } = await atConsent('openid profile');
    assert.equal((await approve(browser, page, req, ['openid', 'profile', 'payments'])).scope, 'openid profile');
  });

  it('deny redirects access_denied with state and iss, and is not remembered', async () => {
    const { browser, page, req } = await atConsent();
    const step = await browser.submit(page, '/consent', { decision: 'deny' }, ISSUER);
    assertErrorCallback(step.leftTo, 'access_denied', { state: req.state });
    // The session stays; the next request asks again rather than failing silently.
    assert.ok(isConsentPage((await next(browser, app)).page));
  });

  it('remembers approved scopes: the same request again returns a code with no pages', async () => {
    const { browser, page, req } = await atConsent();
    await approve(browser, page, req, ['openid', 'profile', 'email']);
    const again = await next(browser, app);
    assert.ok(again.code, again.page?.html.slice(0, 200));
    // A subset of what was approved needs no page either.
    assert.ok((await next(browser, app, { scope: 'openid email' })).code);
  });

  it('asks again for a new scope, and only then', async () => {
    const { browser, page, req } = await atConsent('openid profile');
    await approve(browser, page, req, ['openid', 'profile']);
    assert.ok((await next(browser, app, { scope: 'openid profile' })).code);

    const wider = authorizeUrl(app.id, { scope: 'openid profile payments' });
    const step = await browser.navigate(wider.url, ISSUER);
    assert.ok(isConsentPage(step.page), 'a new scope shows consent');
    assert.match(step.page.html, /value="payments"/);
    await approve(browser, step.page, wider, ['openid', 'profile', 'payments']);

    assert.ok((await next(browser, app, { scope: 'openid profile payments' })).code, 'now remembered');
  });

  it('asks again for a scope the user unticked before', async () => {
    const { browser, page, req } = await atConsent();
    await approve(browser, page, req, ['openid']);
    assert.ok((await next(browser, app, { scope: 'openid' })).code);
    assert.ok(isConsentPage((await next(browser, app)).page), 'profile and email were not approved');
  });

  it('prompt=consent shows the consent page even for remembered scopes', async () => {
    const { browser, page, req } = await atConsent();
    await approve(browser, page, req, ['openid', 'profile', 'email']);
    const forced = await next(browser, app, { prompt: 'consent' });
    assert.ok(isConsentPage(forced.page), 'consent shown again');
  });

  it('remembers consent per user: another user of the same client is asked', async () => {
    const first = await atConsent();
    await approve(first.browser, first.page, first.req, ['openid', 'profile', 'email']);
    await atConsent(); // asserts the consent page for a second user
  });

  it('a first-party client never shows consent and gets every requested scope', async () => {
    const email = (await createTestUser(ctx)).email;
    const browser = inProcessBrowser(ctx);
    const req = authorizeUrl(portal.id, { scope: 'openid profile email payments' });
    const result = await runFlow(browser, req.url, { email });
    assert.ok(!result.page, 'no page after the login');
    const code = codeFrom(result.callback, { state: req.state });
    const res = await exchangeCode(ctx, portal, code, req.verifier);
    assert.equal(((await res.json()) as { scope: string }).scope, 'openid profile email payments');

    const silent = await next(browser, portal, { scope: 'openid payments' });
    assert.ok(silent.code, 'and no page at all with a session');

    // An explicit prompt=consent is still honoured for a first-party app.
    const asked = await browser.navigate(authorizeUrl(portal.id, { prompt: 'consent' }).url, ISSUER);
    assert.match(asked.page?.html ?? '', new RegExp(`action="${atRe('/interaction/')}[^"]+/consent"`));
  });

  it('a new browser is asked to log in, not shown consent, even when consent exists', async () => {
    const { browser, email, page, req } = await atConsent();
    await approve(browser, page, req, ['openid', 'profile', 'email']);
    const other = inProcessBrowser(ctx);
    const step = await other.navigate(authorizeUrl(app.id).url, ISSUER);
    assert.ok(isLoginPage(step.page));
    const again = authorizeUrl(app.id);
    const done = await runFlow(other, again.url, { email });
    codeFrom(done.callback, { state: again.state }); // login alone finishes: consent is kept per user
  });
});
