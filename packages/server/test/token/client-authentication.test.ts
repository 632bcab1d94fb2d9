import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { inProcessBrowser } from '../helpers/flow.js';
import { type TestContext, createTestClient, createTestContext, createTestUser } from '../helpers/harness.js';
import type { HttpBrowser } from '../helpers/http-browser.js';
import { confidentialClient, type Confidential, assertOAuthError, basic, codeParams, json, obtainCode, postForm } from '../helpers/oauth-requests.js';
import { sha256 } from '../../src/tokens/random.js';
import { at } from '../helpers/prefix.js';

// RFC 6749 §2.3 at the token endpoint: who may exchange a code, and how they must prove it.
describe('token endpoint client authentication', () => {
  let ctx: TestContext;
  let confidential: Confidential;
  let publicId: string;
  let email: string;
  let browser: HttpBrowser;

  before(async () => {
    ctx = await createTestContext();
    confidential = await confidentialClient(ctx);
    publicId = (await createTestClient(ctx, { isPublic: true, grantTypes: ['authorization_code', 'refresh_token'] })).client.id;
    email = (await createTestUser(ctx)).email;
    browser = inProcessBrowser(ctx);
  });
  after(() => ctx.close());

  const ccParams = { grant_type: 'client_credentials', scope: 'payments' };

  it('accepts client_secret_basic for the code grant', async () => {
    const got = await obtainCode(browser, confidential.id, email);
    const res = await postForm(ctx, at('/oauth/token'), codeParams(got), basic(confidential));
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(typeof (await json(res)).access_token, 'string');
  });

  it('accepts client_secret_post for the code grant', async () => {
    const got = await obtainCode(browser, confidential.id, email);
    const res = await postForm(ctx, at('/oauth/token'), codeParams(got), { post: confidential });
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(typeof (await json(res)).access_token, 'string');
  });

  it('accepts a public client identified by client_id alone (auth method none)', async () => {
    const got = await obtainCode(browser, publicId, email);
    const res = await postForm(ctx, at('/oauth/token'), codeParams(got), { publicId });
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(typeof (await json(res)).access_token, 'string');
  });

  it('refuses a wrong secret with 401 invalid_client and a Basic challenge', async () => {
    const res = await postForm(ctx, at('/oauth/token'), ccParams, { basic: { id: confidential.id, secret: `${confidential.secret}x` } });
    await assertOAuthError(res, 401, 'invalid_client');
    assert.match(res.headers.get('www-authenticate') ?? '', /^Basic /);
  });

  it('refuses a wrong secret sent with client_secret_post', async () => {
    const res = await postForm(ctx, at('/oauth/token'), ccParams, { post: { id: confidential.id, secret: 'ghs_not-the-secret' } });
    await assertOAuthError(res, 401, 'invalid_client');
  });

  it('refuses an unknown client, over Basic and in the body', async () => {
    const viaBasic = await postForm(ctx, at('/oauth/token'), ccParams, { basic: { id: 'gh_nobody', secret: confidential.secret } });
    await assertOAuthError(viaBasic, 401, 'invalid_client');
    assert.match(viaBasic.headers.get('www-authenticate') ?? '', /^Basic /);
    await assertOAuthError(await postForm(ctx, at('/oauth/token'), ccParams, { post: { id: 'gh_nobody', secret: 'x' } }), 401, 'invalid_client');
    await assertOAuthError(await postForm(ctx, at('/oauth/token'), ccParams, { publicId: 'gh_nobody' }), 401, 'invalid_client');
  });

  it('refuses a request with no client credentials at all', async () => {
    await assertOAuthError(await postForm(ctx, at('/oauth/token'), ccParams), 401, 'invalid_client');
  });

  it('refuses a confidential client that sends only its client_id', async () => {
    await assertOAuthError(await postForm(ctx, at('/oauth/token'), ccParams, { publicId: confidential.id }), 401, 'invalid_client');
  });

  it('refuses Basic and client_secret_post together with 400 invalid_request', async () => {
    const res = await postForm(ctx, at('/oauth/token'), { ...ccParams, client_id: confidential.id, client_secret: confidential.secret }, basic(confidential));
    await assertOAuthError(res, 400, 'invalid_request');
  });

  it('refuses a body client_id that contradicts the Basic credentials', async () => {
    const other = await createTestClient(ctx);
    const res = await postForm(ctx, at('/oauth/token'), { ...ccParams, client_id: other.client.id }, basic(confidential));
    await assertOAuthError(res, 400, 'invalid_request');
  });

  it('refuses a public client that presents a secret', async () => {
    await assertOAuthError(await postForm(ctx, at('/oauth/token'), ccParams, { basic: { id: publicId, secret: 'anything' } }), 401, 'invalid_client');
    await assertOAuthError(await postForm(ctx, at('/oauth/token'), ccParams, { post: { id: publicId, secret: 'anything' } }), 401, 'invalid_client');
  });

  // RFC 6749 §5.2: a client that used the Authorization header MUST get 401 with WWW-Authenticate.
  it('refuses malformed or unsupported Authorization credentials with 401 and a Basic challenge', async () => {
    const headers = [
      'Basic !!!not-base64!!!',
      `Basic ${Buffer.from('no-colon-here').toString('base64')}`,
      'Basic ',
      'Digest abc',
      `Bearer ${confidential.secret}`,
    ];
    for (const header of headers) {
      const res = await postForm(ctx, at('/oauth/token'), ccParams, 'none', { authorization: header });
      await assertOAuthError(res, 401, 'invalid_client');
      assert.match(res.headers.get('www-authenticate') ?? '', /^Basic /, header);
    }
  });

  it('form-urldecodes the client id and secret inside Basic credentials (RFC 6749 §2.3.1)', async () => {
    const made = await createTestClient(ctx);
    const id = 'partner app/ü:1';
    const secret = 'p@ss:w%rd+/ =&é';
    await ctx.services.store.db
      .updateTable('clients')
      .set({ id, secret_hash: sha256(secret) })
      .where('id', '=', made.client.id)
      .execute();
    // application/x-www-form-urlencoded: space as "+", everything else outside unreserved as %XX.
    const encode = (s: string): string => encodeURIComponent(s).replace(/%20/g, '+');
    const header = `Basic ${Buffer.from(`${encode(id)}:${encode(secret)}`).toString('base64')}`;
    const res = await postForm(ctx, at('/oauth/token'), ccParams, 'none', { authorization: header });
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal((await json(res)).scope, 'payments');
    // "+" stands for a space and "%2B" for a plus: mixing them up must not authenticate.
    const raw = `Basic ${Buffer.from(`${encode(id)}:${encode(secret).replace(/\+/g, '%2B')}`).toString('base64')}`;
    await assertOAuthError(await postForm(ctx, at('/oauth/token'), ccParams, 'none', { authorization: raw }), 401, 'invalid_client');
  });

  it('stores client secrets only as hashes, and makes them at least 256 bits', async () => {
    const { client, secret } = await createTestClient(ctx);
    assert.ok(secret);
    assert.match(secret, /^ghs_[A-Za-z0-9_-]{43,}$/);
    const rows = await ctx.services.store.db.selectFrom('clients').selectAll().where('id', '=', client.id).execute();
    assert.equal(rows.length, 1);
    assert.notEqual(rows[0]?.secret_hash, secret);
    assert.ok(!JSON.stringify(rows).includes(secret.slice(4)), 'no column holds the secret');
  });

  it('never puts a client secret in an error response', async () => {
    const wrong = `${confidential.secret}-typo`;
    for (const creds of [{ basic: { id: confidential.id, secret: wrong } }, { post: { id: confidential.id, secret: wrong } }]) {
      const text = await (await postForm(ctx, at('/oauth/token'), { grant_type: 'password' }, creds)).text();
      assert.ok(!text.includes(wrong) && !text.includes(confidential.secret));
    }
  });
});
