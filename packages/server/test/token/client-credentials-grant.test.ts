import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type JSONWebKeySet, createLocalJWKSet, jwtVerify } from 'jose';
import { ISSUER } from '../helpers/flow.js';
import { type TestContext, createTestClient, createTestContext } from '../helpers/harness.js';
import { confidentialClient, type Confidential, assertOAuthError, basic, introspect, json, postForm, userinfo } from '../helpers/oauth-requests.js';
import { at } from '../helpers/prefix.js';

// RFC 6749 §4.4: a confidential client acting on its own behalf.
describe('client_credentials grant', () => {
  let ctx: TestContext;
  let client: Confidential;

  before(async () => {
    ctx = await createTestContext();
    client = await confidentialClient(ctx, { scopes: ['openid', 'profile', 'email', 'payments', 'reports'] });
  });
  after(() => ctx.close());

  const grant = (scope?: string, c: Confidential = client): Promise<Response> =>
    postForm(ctx, at('/oauth/token'), scope === undefined ? { grant_type: 'client_credentials' } : { grant_type: 'client_credentials', scope }, basic(c));

  it('issues an access token for an allowed scope, with the client as subject', async () => {
    const res = await grant('payments');
    assert.equal(res.status, 200, await res.clone().text());
    const body = await json(res);
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.scope, 'payments');
    assert.equal(body.expires_in, 900);
    const jwks = createLocalJWKSet((await (await ctx.app.request(at('/.well-known/jwks.json'))).json()) as JSONWebKeySet);
    const { payload } = await jwtVerify(body.access_token as string, jwks, { issuer: ISSUER, typ: 'at+jwt', currentDate: new Date(ctx.clock() * 1000) });
    assert.equal(payload.sub, client.id);
    assert.equal(payload.client_id, client.id);
    assert.equal(payload.scope, 'payments');
  });

  it('issues neither a refresh token nor an ID token', async () => {
    const body = await json(await grant('payments'));
    assert.equal(body.refresh_token, undefined);
    assert.equal(body.id_token, undefined);
  });

  it("grants all of the client's non-user scopes when none are asked for", async () => {
    const body = await json(await grant());
    assert.deepEqual(String(body.scope).split(' ').sort(), ['payments', 'reports']);
  });

  it('is active at introspection with the client as sub', async () => {
    const body = await json(await grant('payments reports'));
    const info = await introspect(ctx, client, body.access_token as string);
    assert.equal(info.active, true);
    assert.equal(info.sub, client.id);
    assert.equal(info.client_id, client.id);
    assert.equal(info.scope, 'payments reports');
  });

  it('refuses user scopes such as openid, profile, email and offline_access', async () => {
    for (const scope of ['openid', 'payments openid', 'profile', 'email', 'offline_access']) {
      await assertOAuthError(await grant(scope), 400, 'invalid_scope');
    }
  });

  it('refuses a scope the client is not allowed', async () => {
    await assertOAuthError(await grant('admin'), 400, 'invalid_scope');
    await assertOAuthError(await grant('payments admin'), 400, 'invalid_scope');
  });

  it('refuses a scope parameter with no scope in it, like the refresh grant does', async () => {
    await assertOAuthError(await grant('   '), 400, 'invalid_scope');
  });

  it('refuses public clients with unauthorized_client', async () => {
    const pub = await createTestClient(ctx, { isPublic: true });
    assert.ok(pub.client.grantTypes.includes('client_credentials'), 'registered for it, yet still refused');
    const res = await postForm(ctx, at('/oauth/token'), { grant_type: 'client_credentials', scope: 'payments' }, { publicId: pub.client.id });
    await assertOAuthError(res, 400, 'unauthorized_client');
  });

  it('refuses a confidential client not registered for client_credentials', async () => {
    const made = await createTestClient(ctx, { grantTypes: ['authorization_code', 'refresh_token'] });
    await assertOAuthError(await grant('payments', { id: made.client.id, secret: made.secret as string }), 400, 'unauthorized_client');
  });

  it('gives a token that userinfo refuses, since there is no user', async () => {
    const body = await json(await grant('payments'));
    const res = await userinfo(ctx, body.access_token as string);
    assert.equal(res.status, 401);
  });
});
