import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { inProcessBrowser, signInForTokens } from '../helpers/flow.js';
import { type TestContext, createTestContext, createTestUser } from '../helpers/harness.js';
import { confidentialClient, type Confidential, basic, codeParams, obtainCode, postForm, refresh } from '../helpers/oauth-requests.js';
import { at } from '../helpers/prefix.js';

/** RFC 6749 §5.1/§5.2: JSON, and never stored by a cache. */
function assertUncacheableJson(res: Response, label: string): void {
  assert.match(res.headers.get('cache-control') ?? '', /no-store/, `${label}: Cache-Control`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/, `${label}: Content-Type`);
}

// Token responses and errors from the token endpoint carry Cache-Control: no-store and JSON.
describe('token endpoint response headers', () => {
  let ctx: TestContext;
  let client: Confidential;
  let email: string;

  before(async () => {
    ctx = await createTestContext();
    client = await confidentialClient(ctx);
    email = (await createTestUser(ctx)).email;
  });
  after(() => ctx.close());

  it('marks every successful grant response no-store JSON', async () => {
    const { tokens } = await signInForTokens(ctx, client, email, {}, inProcessBrowser(ctx));
    const refreshed = await refresh(ctx, basic(client), tokens.refresh_token as string);
    assert.equal(refreshed.status, 200);
    assertUncacheableJson(refreshed, 'refresh_token');
    const machine = await postForm(ctx, at('/oauth/token'), { grant_type: 'client_credentials', scope: 'payments' }, basic(client));
    assert.equal(machine.status, 200);
    assertUncacheableJson(machine, 'client_credentials');
  });

  it('marks the code exchange response no-store JSON', async () => {
    // signInForTokens hides the response, so exchange by hand here.
    const got = await obtainCode(inProcessBrowser(ctx), client.id, email);
    const res = await postForm(ctx, at('/oauth/token'), codeParams(got), basic(client));
    assert.equal(res.status, 200);
    assertUncacheableJson(res, 'authorization_code');
  });

  const failures: [string, () => Promise<Response>, number][] = [
    ['invalid_client', () => postForm(ctx, at('/oauth/token'), { grant_type: 'client_credentials' }, { basic: { id: client.id, secret: 'wrong' } }), 401],
    ['missing credentials', () => postForm(ctx, at('/oauth/token'), { grant_type: 'client_credentials' }), 401],
    ['invalid_grant', () => refresh(ctx, basic(client), 'ghr_nope'), 400],
    ['unsupported_grant_type', () => postForm(ctx, at('/oauth/token'), { grant_type: 'password' }, basic(client)), 400],
    ['invalid_scope', () => postForm(ctx, at('/oauth/token'), { grant_type: 'client_credentials', scope: 'openid' }, basic(client)), 400],
    ['invalid_request', () => postForm(ctx, at('/oauth/token'), {}, basic(client)), 400],
    [
      'wrong content type',
      () => Promise.resolve(ctx.app.request(at('/oauth/token'), { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' })),
      400,
    ],
    ['oversized body', () => postForm(ctx, at('/oauth/token'), { grant_type: 'client_credentials', pad: 'x'.repeat(70_000) }, basic(client)), 413],
    ['wrong method', () => Promise.resolve(ctx.app.request(at('/oauth/token'))), 405],
  ];
  for (const [label, send, status] of failures) {
    it(`marks the ${label} error no-store JSON`, async () => {
      const res = await send();
      assert.equal(res.status, status);
      assertUncacheableJson(res, label);
      const body = (await res.json()) as Record<string, unknown>;
      assert.equal(typeof body.error, 'string');
    });
  }
});
