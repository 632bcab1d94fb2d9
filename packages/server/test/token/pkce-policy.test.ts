import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { assertErrorRedirect, openLoginPage } from '../helpers/authorize-pages.js';
import { authorizeUrl, inProcessBrowser } from '../helpers/flow.js';
import { TEST_REDIRECT_URI, type TestContext, createTestContext, createTestUser } from '../helpers/harness.js';
import { pkcePair } from '../helpers/pkce.js';
import { type Confidential, assertOAuthError, basic, codeParams, confidentialClient, json, obtainCode, postForm } from '../helpers/oauth-requests.js';
import { at } from '../helpers/prefix.js';

const NO_PKCE = { code_challenge: undefined, code_challenge_method: undefined };

// PKCE per client: required by default and always for public clients; a confidential client
// with PKCE optional may send plain OIDC Core requests, and a code is exchanged exactly as it
// was asked for: with its verifier when it had a challenge, with none when it had none.
describe('PKCE policy per client', () => {
  let ctx: TestContext;
  let optional: Confidential;
  let required: Confidential;
  let email: string;

  before(async () => {
    ctx = await createTestContext();
    optional = await confidentialClient(ctx, { pkce: 'optional' });
    required = await confidentialClient(ctx);
    email = (await createTestUser(ctx)).email;
  });
  after(() => ctx.close());

  const token = (client: Confidential, params: Record<string, string>): Promise<Response> => postForm(ctx, at('/oauth/token'), params, basic(client));
  const withoutVerifier = (got: { code: string }): Record<string, string> => ({
    grant_type: 'authorization_code',
    code: got.code,
    redirect_uri: TEST_REDIRECT_URI,
  });

  it('optional: a request without code_challenge signs in, and its code is exchanged without a verifier', async () => {
    const got = await obtainCode(inProcessBrowser(ctx), optional.id, email, NO_PKCE);
    const res = await token(optional, withoutVerifier(got));
    assert.equal(res.status, 200, await res.clone().text());
    const body = await json(res);
    assert.equal(decodeJwt(body.id_token as string).nonce, got.nonce, 'the nonce is what binds this sign-in to the app now');
  });

  it('optional: a code issued without a challenge refuses a code_verifier, and is spent', async () => {
    const got = await obtainCode(inProcessBrowser(ctx), optional.id, email, NO_PKCE);
    const body = await assertOAuthError(await token(optional, { ...withoutVerifier(got), code_verifier: pkcePair().verifier }), 400, 'invalid_grant');
    assert.match(String(body.error_description), /code issued without code_challenge/);
    await assertOAuthError(await token(optional, withoutVerifier(got)), 400, 'invalid_grant');
  });

  it('optional: a request with a challenge is checked strictly (no downgrade)', async () => {
    const browser = inProcessBrowser(ctx);
    const dropped = await obtainCode(browser, optional.id, email);
    const body = await assertOAuthError(await token(optional, withoutVerifier(dropped)), 400, 'invalid_grant');
    assert.match(String(body.error_description), /code_verifier is required/);
    const wrong = await obtainCode(browser, optional.id, email);
    await assertOAuthError(await token(optional, codeParams(wrong, { code_verifier: pkcePair().verifier })), 400, 'invalid_grant');
    const right = await obtainCode(browser, optional.id, email);
    assert.equal((await token(optional, codeParams(right))).status, 200);
  });

  it('optional: the plain method is still refused', async () => {
    const req = authorizeUrl(optional.id, { code_challenge_method: 'plain' });
    assertErrorRedirect(await ctx.app.request(req.url), 'invalid_request', { state: req.state });
    const bare = authorizeUrl(optional.id, { code_challenge: undefined, code_challenge_method: 'S256' });
    assertErrorRedirect(await ctx.app.request(bare.url), 'invalid_request', { state: bare.state });
  });

  it('required (the default): no code_challenge is refused at the authorization request', async () => {
    const req = authorizeUrl(required.id, NO_PKCE);
    assertErrorRedirect(await ctx.app.request(req.url), 'invalid_request', { state: req.state });
  });

  it('a public client always needs PKCE, even if its row says optional', async () => {
    const { client } = await ctx.scope.repos.clients.create({
      name: 'Native',
      redirectUris: [TEST_REDIRECT_URI],
      grantTypes: ['authorization_code'],
      scopes: ['openid'],
      isPublic: true,
      firstParty: true,
      pkce: 'optional',
    });
    assert.equal(client.pkce, 'required');
    const req = authorizeUrl(client.id, NO_PKCE);
    assertErrorRedirect(await ctx.app.request(req.url), 'invalid_request', { state: req.state });
    await openLoginPage(inProcessBrowser(ctx), authorizeUrl(client.id, { scope: 'openid' }).url);
  });
});
