import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { authorizeUrl, inProcessBrowser, runFlow, signInForTokens, tokenRequest } from '../helpers/flow.js';
import { TEST_REDIRECT_URI, type TestContext, createTestClient, createTestContext, createTestUser } from '../helpers/harness.js';
import { at } from '../helpers/prefix.js';

// No OAuth parameter may hold a NUL, and PostgreSQL refuses one in a text parameter: it is
// refused where requests are parsed, with the protocol's error or a page, never a server error,
// and what the request named (a refresh token, a code) is left as it was.
describe('NUL characters in parameters', () => {
  let ctx: TestContext;
  let client: { id: string; secret: string | null };
  let email: string;
  before(async () => {
    ctx = await createTestContext();
    const made = await createTestClient(ctx);
    client = { id: made.client.id, secret: made.secret };
    email = (await createTestUser(ctx)).email;
  });
  after(() => ctx.close());

  async function errorOf(res: Response, status: number): Promise<string> {
    const text = await res.text();
    assert.equal(res.status, status, text);
    return (JSON.parse(text) as { error: string }).error;
  }

  it('refuses a refresh with a NUL in scope, and the refresh token still works', async () => {
    const { tokens } = await signInForTokens(ctx, client, email);
    const refresh = tokens.refresh_token as string;
    assert.equal(
      await errorOf(await tokenRequest(ctx, client.id, client.secret, { grant_type: 'refresh_token', refresh_token: refresh, scope: 'openid\u0000' }), 400),
      'invalid_request',
    );
    assert.equal((await tokenRequest(ctx, client.id, client.secret, { grant_type: 'refresh_token', refresh_token: refresh })).status, 200);
  });

  it('refuses a code exchange with a NUL in redirect_uri, and the code still works', async () => {
    const request = authorizeUrl(client.id);
    const result = await runFlow(inProcessBrowser(ctx), request.url, { email, approve: ['openid', 'profile', 'email'] });
    const code = result.callback?.searchParams.get('code') ?? '';
    const exchange = (redirectUri: string): Promise<Response> =>
      tokenRequest(ctx, client.id, client.secret, { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: request.verifier });
    assert.equal(await errorOf(await exchange(`${TEST_REDIRECT_URI}\u0000`), 400), 'invalid_request');
    assert.equal((await exchange(TEST_REDIRECT_URI)).status, 200);
  });

  it('refuses a NUL in a client id, in the body or in Basic credentials', async () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    assert.equal(
      await errorOf(
        await ctx.app.request(at('/oauth/token'), { method: 'POST', headers: form, body: 'grant_type=client_credentials&client_id=a%00b&client_secret=x' }),
        400,
      ),
      'invalid_request',
    );
    const basic = `Basic ${Buffer.from('a%00b:x').toString('base64')}`;
    assert.equal(
      await errorOf(
        await ctx.app.request(at('/oauth/token'), { method: 'POST', headers: { ...form, authorization: basic }, body: 'grant_type=client_credentials' }),
        401,
      ),
      'invalid_client',
    );
  });

  it('shows a page, not a server error, for a NUL in an authorization request or a sign-in form', async () => {
    const page = await ctx.app.request(at('/oauth/authorize?client_id=a%00b&redirect_uri=x'));
    assert.equal(page.status, 400);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    const result = await runFlow(inProcessBrowser(ctx), authorizeUrl(client.id).url, { email: `${email}\u0000`, password: 'x' });
    assert.equal(result.callback, undefined);
    assert.ok(result.page, 'the browser stays on a page of ours');
    assert.equal(result.page.status, 400, result.page.html.slice(0, 300));
  });
});
