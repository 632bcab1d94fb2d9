import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestContext, createTestClient } from '../helpers/harness.js';
import type { HttpBrowser } from '../helpers/http-browser.js';
import { pkcePair } from '../helpers/pkce.js';
import {
  type Confidential,
  assertOAuthError,
  basic,
  codeParams,
  introspect,
  json,
  obtainCode,
  postForm,
  refresh,
  userinfo,
  grantSetup,
} from '../helpers/oauth-requests.js';
import { at } from '../helpers/prefix.js';

// RFC 6749 §4.1.3 / §5.2 and RFC 7636 §4.6: every way a code exchange must fail, and how.
describe('authorization_code grant: refused exchanges', () => {
  let ctx: TestContext;
  let client: Confidential;
  let email: string;
  let browser: HttpBrowser;

  before(async () => {
    const setup = await grantSetup();
    ({ ctx, client, browser } = setup);
    email = setup.user.email;
  });
  after(() => ctx.close());

  const token = (params: Record<string, string>, c: Confidential = client): Promise<Response> => postForm(ctx, at('/oauth/token'), params, basic(c));

  it('refuses a redirect_uri other than the one the code was issued for', async () => {
    const got = await obtainCode(browser, client.id, email);
    const res = await token(codeParams(got, { redirect_uri: 'https://example-business.com/other' }));
    await assertOAuthError(res, 400, 'invalid_grant');
  });

  it('refuses a code_verifier that does not match the code_challenge', async () => {
    const got = await obtainCode(browser, client.id, email);
    await assertOAuthError(await token(codeParams(got, { code_verifier: pkcePair().verifier })), 400, 'invalid_grant');
  });

  it('refuses an exchange without code_verifier (PKCE is required)', async () => {
    const got = await obtainCode(browser, client.id, email);
    const { code_verifier: _, ...params } = codeParams(got);
    await assertOAuthError(await token(params), 400, 'invalid_request');
  });

  it('refuses a malformed code_verifier', async () => {
    const got = await obtainCode(browser, client.id, email);
    for (const verifier of ['short', 'x'.repeat(129), `${'a'.repeat(42)}!`, `${got.verifier} `.repeat(2)]) {
      await assertOAuthError(await token(codeParams(got, { code_verifier: verifier })), 400, 'invalid_request');
    }
  });

  it('refuses an exchange without code or redirect_uri', async () => {
    const got = await obtainCode(browser, client.id, email);
    const { code: _c, ...noCode } = codeParams(got);
    await assertOAuthError(await token(noCode), 400, 'invalid_request');
    const { redirect_uri: _r, ...noRedirect } = codeParams(got);
    await assertOAuthError(await token(noRedirect), 400, 'invalid_request');
  });

  it('refuses an unknown code', async () => {
    await assertOAuthError(await token(codeParams({ code: 'not-a-code', verifier: pkcePair().verifier })), 400, 'invalid_grant');
    await assertOAuthError(await token(codeParams({ code: 'c'.repeat(5000), verifier: pkcePair().verifier })), 400, 'invalid_grant');
  });

  it("refuses another client's code without burning it for its owner", async () => {
    const other = await createTestClient(ctx);
    const got = await obtainCode(browser, client.id, email);
    await assertOAuthError(await token(codeParams(got), { id: other.client.id, secret: other.secret as string }), 400, 'invalid_grant');
    const res = await token(codeParams(got));
    assert.equal(res.status, 200, await res.text());
  });

  it('refuses an expired code', async () => {
    const got = await obtainCode(browser, client.id, email);
    ctx.clock.advance(ctx.config.codeTtl + 1);
    await assertOAuthError(await token(codeParams(got)), 400, 'invalid_grant');
  });

  it('refuses a reused code and revokes what the first exchange issued', async () => {
    const got = await obtainCode(browser, client.id, email);
    const first = await token(codeParams(got));
    assert.equal(first.status, 200);
    const tokens = await json(first);
    const accessToken = tokens.access_token as string;
    const refreshToken = tokens.refresh_token as string;
    assert.equal((await introspect(ctx, client, accessToken)).active, true, 'active before the replay');

    await assertOAuthError(await token(codeParams(got)), 400, 'invalid_grant');

    assert.deepEqual(await introspect(ctx, client, accessToken), { active: false });
    assert.deepEqual(await introspect(ctx, client, refreshToken), { active: false });
    assert.equal((await userinfo(ctx, accessToken)).status, 401);
    await assertOAuthError(await refresh(ctx, basic(client), refreshToken), 400, 'invalid_grant');
  });

  it('answers unauthorized_client to a client not registered for the code grant', async () => {
    const made = await createTestClient(ctx, { grantTypes: ['client_credentials'] });
    const machine = { id: made.client.id, secret: made.secret as string };
    const got = await obtainCode(browser, client.id, email);
    await assertOAuthError(await token(codeParams(got), machine), 400, 'unauthorized_client');
  });

  it('answers unauthorized_client to a client not registered for refresh_token', async () => {
    const made = await createTestClient(ctx, { grantTypes: ['authorization_code'] });
    await assertOAuthError(
      await token({ grant_type: 'refresh_token', refresh_token: 'x' }, { id: made.client.id, secret: made.secret as string }),
      400,
      'unauthorized_client',
    );
  });

  it('answers unsupported_grant_type to password, implicit and made-up grants', async () => {
    for (const grantType of ['password', 'implicit', 'urn:ietf:params:oauth:grant-type:device_code', 'toString', '__proto__']) {
      await assertOAuthError(await token({ grant_type: grantType, username: 'a', password: 'b' }), 400, 'unsupported_grant_type');
    }
  });

  it('answers invalid_request when grant_type is missing', async () => {
    await assertOAuthError(await token({ code: 'x' }), 400, 'invalid_request');
    await assertOAuthError(await token({ grant_type: '' }), 400, 'invalid_request');
  });
});
