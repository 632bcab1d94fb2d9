import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { type TestContext, basicAuth, createTestClient } from '../helpers/harness.js';
import type { HttpBrowser } from '../helpers/http-browser.js';
import { type Confidential, assertOAuthError, codeParams, grantSetup, introspect, json, obtainCode, refresh, basic } from '../helpers/oauth-requests.js';
import { at } from '../helpers/prefix.js';

// An extension: the token, revocation and introspection endpoints also take a JSON object of
// strings, as integration guides written for Auth0 post it, with client_id and client_secret in
// the body standing for client_secret_post.
describe('JSON request bodies at the token, revocation and introspection endpoints', () => {
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

  function postJson(path: string, body: Record<string, string>, headers: Record<string, string> = {}, type = 'application/json'): Promise<Response> {
    return Promise.resolve(ctx.app.request(at(path), { method: 'POST', headers: { 'content-type': type, ...headers }, body: JSON.stringify(body) }));
  }

  const withSecret = (body: Record<string, string>): Record<string, string> => ({ ...body, client_id: client.id, client_secret: client.secret });

  async function tokensFromJson(): Promise<Record<string, unknown>> {
    const got = await obtainCode(browser, client.id, email);
    const res = await postJson('/oauth/token', withSecret(codeParams(got)));
    assert.equal(res.status, 200, await res.clone().text());
    const tokens = await json(res);
    assert.equal(decodeJwt(tokens.id_token as string).nonce, got.nonce);
    return tokens;
  }

  it('exchanges a code with client_id and client_secret in a JSON body', async () => {
    const tokens = await tokensFromJson();
    assert.equal(tokens.token_type, 'Bearer');
    assert.equal(typeof tokens.access_token, 'string');
    assert.equal(typeof tokens.refresh_token, 'string');
  });

  it('refreshes with a JSON body, and the rotated token works as a form again', async () => {
    const first = await tokensFromJson();
    const res = await postJson('/oauth/token', withSecret({ grant_type: 'refresh_token', refresh_token: first.refresh_token as string }));
    assert.equal(res.status, 200, await res.clone().text());
    const second = await json(res);
    assert.notEqual(second.refresh_token, first.refresh_token);
    assert.equal((await refresh(ctx, basic(client), second.refresh_token as string)).status, 200);
    // The spent token is reuse, whichever encoding carries it.
    await assertOAuthError(
      await postJson('/oauth/token', withSecret({ grant_type: 'refresh_token', refresh_token: first.refresh_token as string })),
      400,
      'invalid_grant',
    );
  });

  it('accepts the JSON type with a UTF-8 charset in any case, and with Basic authentication', async () => {
    for (const type of ['application/json; charset=utf-8', 'Application/JSON;charset="UTF-8"']) {
      const res = await postJson('/oauth/token', withSecret({ grant_type: 'client_credentials', scope: 'payments' }), {}, type);
      assert.equal(res.status, 200, `${type}: ${await res.text()}`);
    }
    const res = await postJson('/oauth/token', { grant_type: 'client_credentials' }, { authorization: basicAuth(client.id, client.secret) });
    assert.equal(res.status, 200, await res.text());
  });

  it('revokes with a JSON body: the grant ends', async () => {
    const tokens = await tokensFromJson();
    const res = await postJson('/oauth/revoke', withSecret({ token: tokens.refresh_token as string, token_type_hint: 'refresh_token' }));
    assert.equal(res.status, 200, await res.clone().text());
    await assertOAuthError(await refresh(ctx, basic(client), tokens.refresh_token as string), 400, 'invalid_grant');
    assert.equal((await introspect(ctx, client, tokens.access_token as string)).active, false);
  });

  it('introspects with a JSON body', async () => {
    const tokens = await tokensFromJson();
    const res = await postJson('/oauth/introspect', withSecret({ token: tokens.access_token as string }));
    assert.equal(res.status, 200, await res.clone().text());
    const body = await json(res);
    assert.equal(body.active, true);
    assert.equal(body.client_id, client.id);
    const refreshToken = await postJson('/oauth/introspect', withSecret({ token: tokens.refresh_token as string, token_type_hint: 'refresh_token' }));
    assert.equal((await json(refreshToken)).active, true);
  });

  it('authenticates the client from a JSON body exactly as client_secret_post', async () => {
    const cc = { grant_type: 'client_credentials', scope: 'payments' };
    const wrong = await postJson('/oauth/token', { ...cc, client_id: client.id, client_secret: `${client.secret}x` });
    await assertOAuthError(wrong, 401, 'invalid_client');
    assert.equal(wrong.headers.get('www-authenticate'), null, 'no Basic challenge for credentials in the body');
    await assertOAuthError(await postJson('/oauth/token', cc), 401, 'invalid_client');
    const both = await postJson('/oauth/token', withSecret(cc), { authorization: basicAuth(client.id, client.secret) });
    await assertOAuthError(both, 400, 'invalid_request');
    await assertOAuthError(await postJson('/oauth/introspect', { token: 'x', client_id: client.id }), 401, 'invalid_client');
  });

  it('lets a public client exchange its code with client_id alone in a JSON body', async () => {
    const publicId = (await createTestClient(ctx, { isPublic: true, grantTypes: ['authorization_code', 'refresh_token'] })).client.id;
    const got = await obtainCode(browser, publicId, email);
    const res = await postJson('/oauth/token', { ...codeParams(got), client_id: publicId });
    assert.equal(res.status, 200, await res.clone().text());
    await assertOAuthError(await postJson('/oauth/token', { ...codeParams(got), client_id: publicId, client_secret: 'x' }), 401, 'invalid_client');
  });

  it('counts an empty string as an absent parameter, as in a form', async () => {
    await assertOAuthError(await postJson('/oauth/token', withSecret({ grant_type: '' })), 400, 'invalid_request');
    const res = await postJson('/oauth/token', withSecret({ grant_type: 'client_credentials', scope: '', resource: '' }));
    assert.equal(res.status, 200, await res.text());
  });
});
