import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertInteractionPage, codeFrom, exchangeCode, isConsentPage, openLoginPage, postForm, setCookie } from '../helpers/authorize-pages.js';
import { authorizeUrl, inProcessBrowser } from '../helpers/flow.js';
import { type TestContext, TEST_PASSWORD, createTestClient, createTestContext, createTestUser } from '../helpers/harness.js';
import { INTERACTION_COOKIE, issuerAt, SESSION_COOKIE, TEST_PREFIX } from '../helpers/prefix.js';

const ISSUER = issuerAt('https://id.example.com');
// At the root of the host the session cookie is pinned to it (__Host-: Path=/); under a path
// (TEST_ISSUER_PREFIX) it is scoped to that path and named for the issuer, still Secure.
const SESSION = TEST_PREFIX === '' ? '__Host-gh_session' : '__Secure-gh_session_default';

/** authorizeUrl, but addressed to this context's https issuer. */
function httpsAuthorizeUrl(clientId: string, extra: Record<string, string | undefined> = {}): ReturnType<typeof authorizeUrl> {
  const req = authorizeUrl(clientId, extra);
  const url = new URL(req.url);
  return { ...req, url: `${new URL(ISSUER).origin}${url.pathname}${url.search}` };
}

function attributes(header: string | undefined): string[] {
  assert.ok(header, 'the cookie is set');
  return header
    .split(';')
    .slice(1)
    .map((a) => a.trim().toLowerCase());
}

// Behind https, cookies must never travel in clear and the session cookie must be pinned to this
// host (the __Host- prefix: Secure, Path=/, no Domain), so a sibling domain cannot plant one.
describe('hosted pages: cookies with an https issuer', () => {
  let ctx: TestContext;
  let client: { id: string; secret: string | null };
  let email: string;

  before(async () => {
    ctx = await createTestContext({ GATEHOUSE_ISSUER: ISSUER });
    const created = await createTestClient(ctx);
    client = { id: created.client.id, secret: created.secret };
    email = (await createTestUser(ctx)).email;
  });
  after(() => ctx.close());

  it(`sets the session cookie as ${SESSION} with Secure, HttpOnly, SameSite=Lax, Path=${TEST_PREFIX}/ and no Domain`, async () => {
    const browser = inProcessBrowser(ctx);
    const page = await openLoginPage(browser, httpsAuthorizeUrl(client.id).url, ISSUER);
    const posted = await postForm(browser, page, '/login', { email, password: TEST_PASSWORD });
    assert.equal(setCookie(posted, SESSION_COOKIE), undefined, 'no session cookie without the Secure prefix');
    const attrs = attributes(setCookie(posted, SESSION));
    for (const want of ['secure', 'httponly', 'samesite=lax', `path=${TEST_PREFIX.toLowerCase()}/`])
      assert.ok(attrs.includes(want), `${want} in ${attrs.join('; ')}`);
    assert.ok(!attrs.some((a) => a.startsWith('domain=')));
  });

  it('sets the interaction cookie Secure, with the __Secure- prefix', async () => {
    const start = await ctx.app.request(httpsAuthorizeUrl(client.id).url);
    await assertInteractionPage(start);
    const attrs = attributes(setCookie(start, `__Secure-${INTERACTION_COOKIE}`));
    for (const want of ['secure', 'httponly', 'samesite=lax']) assert.ok(attrs.includes(want), `${want} in ${attrs.join('; ')}`);
  });

  it('sends Strict-Transport-Security on the hosted pages', async () => {
    const res = await ctx.app.request(httpsAuthorizeUrl(client.id).url);
    assert.match(res.headers.get('strict-transport-security') ?? '', /max-age=\d{7,}/);
  });

  it('runs the whole flow with the prefixed cookies, and the redirect names the https issuer', async () => {
    const browser = inProcessBrowser(ctx);
    const req = httpsAuthorizeUrl(client.id);
    const page = await openLoginPage(browser, req.url, ISSUER);
    const consent = await browser.submit(page, '/login', { email, password: TEST_PASSWORD }, ISSUER);
    assert.ok(isConsentPage(consent.page), 'the session cookie is read back under its prefixed name');
    const done = await browser.submit(consent.page, '/consent', { decision: 'approve', scope: ['openid', 'profile', 'email'] }, ISSUER);
    const code = codeFrom(done.leftTo, { state: req.state, issuer: ISSUER });
    assert.equal((await exchangeCode(ctx, client, code, req.verifier)).status, 200);

    // Single sign-on works from the prefixed session cookie too.
    const again = httpsAuthorizeUrl(client.id);
    codeFrom((await browser.navigate(again.url, ISSUER)).leftTo, { state: again.state, issuer: ISSUER });
  });
});
