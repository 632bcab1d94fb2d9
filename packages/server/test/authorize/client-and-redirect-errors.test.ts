import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertErrorPage, assertErrorRedirect, assertInteractionPage, codeFrom, exchangeCode, isLoginPage } from '../helpers/authorize-pages.js';
import { ISSUER, authorizeUrl, inProcessBrowser, runFlow } from '../helpers/flow.js';
import { type TestContext, TEST_REDIRECT_URI, createTestClient, createTestContext, createTestUser } from '../helpers/harness.js';
import { at } from '../helpers/prefix.js';

const LOOPBACK = 'http://127.0.0.1/callback';

// RFC 6749 §4.1.2.1 and §10.15: until the client and its redirect URI are known to belong
// together, an error is shown to the user and never sent to the URI the request names.
describe('authorize: errors before the client and redirect URI are established', () => {
  let ctx: TestContext;
  let clientId: string;
  let loopback: { id: string; secret: string | null };
  let otherClientUri: string;
  let email: string;

  before(async () => {
    ctx = await createTestContext();
    clientId = (await createTestClient(ctx)).client.id;
    const native = await createTestClient(ctx, { name: 'Desktop App', redirectUris: [LOOPBACK], isPublic: true, grantTypes: ['authorization_code'] });
    loopback = { id: native.client.id, secret: native.secret };
    otherClientUri = 'https://other-app.example/callback';
    await createTestClient(ctx, { redirectUris: [otherClientUri] });
    email = (await createTestUser(ctx)).email;
  });
  after(() => ctx.close());

  const get = (url: string): Promise<Response> => Promise.resolve(ctx.app.request(url));

  it('shows a page for an unknown client_id', async () => {
    const html = await assertErrorPage(await get(authorizeUrl('gh_no_such_client').url));
    assert.match(html, /not registered/);
  });

  it('shows a page for a missing client_id', async () => {
    await assertErrorPage(await get(authorizeUrl(clientId, { client_id: undefined }).url));
  });

  it('shows a page for an overlong client_id', async () => {
    await assertErrorPage(await get(authorizeUrl(`gh_${'a'.repeat(300)}`).url));
  });

  it('shows a page for a missing redirect_uri', async () => {
    await assertErrorPage(await get(authorizeUrl(clientId, { redirect_uri: undefined }).url));
  });

  it('shows a page for an unregistered redirect_uri', async () => {
    const html = await assertErrorPage(await get(authorizeUrl(clientId, { redirect_uri: 'https://attacker.example/callback' }).url));
    assert.match(html, /redirect_uri is not registered/);
  });

  it("shows a page for another client's redirect_uri", async () => {
    await assertErrorPage(await get(authorizeUrl(clientId, { redirect_uri: otherClientUri }).url));
  });

  // Exact string matching (RFC 9700 §4.1.1): nothing is normalised or matched by prefix.
  const nearMisses: [string, string][] = [
    ['a trailing slash', `${TEST_REDIRECT_URI}/`],
    ['a different case in the path', TEST_REDIRECT_URI.replace('/gatehouse', '/Gatehouse')],
    ['a different case in the host', TEST_REDIRECT_URI.replace('example-business', 'Example-Business')],
    ['an added query', `${TEST_REDIRECT_URI}?next=/admin`],
    ['a fragment', `${TEST_REDIRECT_URI}#x`],
    ['a longer path', `${TEST_REDIRECT_URI}/../../evil`],
    ['http instead of https', TEST_REDIRECT_URI.replace('https:', 'http:')],
    ['an explicit port on a non-loopback host', TEST_REDIRECT_URI.replace('example-business.com', 'example-business.com:8443')],
    ['an explicit default port', TEST_REDIRECT_URI.replace('example-business.com', 'example-business.com:443')],
    ['a sub-domain', TEST_REDIRECT_URI.replace('example-business.com', 'evil.example-business.com')],
    ['user info before the host', TEST_REDIRECT_URI.replace('https://', 'https://example-business.com@')],
  ];
  for (const [what, uri] of nearMisses) {
    it(`shows a page for a redirect_uri with ${what}`, async () => {
      await assertErrorPage(await get(authorizeUrl(clientId, { redirect_uri: uri }).url));
    });
  }

  it('shows a page, not a redirect, when the client is unknown and other parameters are wrong too', async () => {
    await assertErrorPage(await get(authorizeUrl('gh_no_such_client', { response_type: 'token', code_challenge: undefined }).url));
    await assertErrorPage(await get(authorizeUrl(clientId, { redirect_uri: 'https://attacker.example/cb', scope: 'admin' }).url));
  });

  it('shows a page for malformed percent-encoding', async () => {
    await assertErrorPage(await get(`${authorizeUrl(clientId).url}&x=%zz`));
  });

  // Repeated parameters: the client and redirect URI are read from a parse of the whole query,
  // which refuses any repeat, so which of two values is "the" redirect URI is never guessed.
  it('shows a page for a repeated state', async () => {
    const html = await assertErrorPage(await get(`${authorizeUrl(clientId).url}&state=second`));
    assert.match(html, /repeated/);
  });

  it('shows a page for a repeated redirect_uri, even when one of them is registered', async () => {
    const url = new URL(authorizeUrl(clientId).url);
    url.searchParams.append('redirect_uri', 'https://attacker.example/callback');
    await assertErrorPage(await get(url.href));
  });

  it('shows a page for a repeated client_id', async () => {
    await assertErrorPage(await get(`${authorizeUrl(clientId).url}&client_id=${encodeURIComponent(clientId)}`));
  });

  it('shows a page for a repeated parameter in a POST body', async () => {
    const body = `${new URL(authorizeUrl(clientId).url).search.slice(1)}&scope=openid`;
    const res = await ctx.app.request(at('/oauth/authorize'), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    await assertErrorPage(res);
  });

  // Loopback redirect URIs (RFC 8252 §7.3): native apps pick the port at run time.
  it('accepts any port on a registered http loopback URI, and sends the code there', async () => {
    const redirectUri = 'http://127.0.0.1:51234/callback';
    const req = authorizeUrl(loopback.id, { redirect_uri: redirectUri });
    assert.ok(isLoginPage({ url: req.url, status: 200, html: await assertInteractionPage(await ctx.app.request(req.url)) }), 'on to the hosted pages');

    const result = await runFlow(inProcessBrowser(ctx), req.url, { email, approve: ['openid', 'profile', 'email'] });
    const code = codeFrom(result.callback, { state: req.state, redirectUri });
    const res = await exchangeCode(ctx, loopback, code, req.verifier, redirectUri);
    assert.equal(res.status, 200, await res.clone().text());
  });

  it('sends later errors to the loopback URI with the port the request named', async () => {
    const redirectUri = 'http://127.0.0.1:40001/callback';
    const req = authorizeUrl(loopback.id, { redirect_uri: redirectUri, code_challenge_method: 'plain' });
    assertErrorRedirect(await get(req.url), 'invalid_request', { state: req.state, redirectUri });
  });

  // RFC 9700 §2.1: the port rule is for native (public) apps; a web client's URI matches exactly.
  it('gives a confidential client with a loopback URI no other port, and no missing one', async () => {
    const web = await createTestClient(ctx, { name: 'Local web app', redirectUris: ['http://127.0.0.1:4999/cb'] });
    for (const uri of ['http://127.0.0.1:5000/cb', 'http://127.0.0.1:80/cb', 'http://127.0.0.1/cb']) {
      await assertErrorPage(await get(authorizeUrl(web.client.id, { redirect_uri: uri }).url));
    }
    const exact = await get(authorizeUrl(web.client.id, { redirect_uri: 'http://127.0.0.1:4999/cb' }).url);
    assert.ok(isLoginPage({ url: '', status: 200, html: await assertInteractionPage(exact) }), 'the registered URI itself works');
  });

  const refused: [string, string][] = [
    ['a different path', 'http://127.0.0.1:51234/other'],
    ['a different path case', 'http://127.0.0.1:51234/Callback'],
    ['a trailing slash', 'http://127.0.0.1:51234/callback/'],
    ['an added query', 'http://127.0.0.1:51234/callback?x=1'],
    ['a different loopback name', 'http://localhost:51234/callback'],
    ['https instead of http', 'https://127.0.0.1:51234/callback'],
    ['user info', 'http://user@127.0.0.1:51234/callback'],
    ['a fragment', 'http://127.0.0.1:51234/callback#x'],
    ['a non-loopback host', 'http://127.0.0.1.nip.io:51234/callback'],
  ];
  for (const [what, uri] of refused) {
    it(`shows a page for a loopback URI with ${what}`, async () => {
      await assertErrorPage(await get(authorizeUrl(loopback.id, { redirect_uri: uri }).url));
    });
  }

  it('still shows the login page for a well-formed request (the checks above are not blanket refusals)', async () => {
    const step = await inProcessBrowser(ctx).navigate(authorizeUrl(clientId).url, ISSUER);
    assert.ok(isLoginPage(step.page));
  });
});
