import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { createIssuer } from '../../src/issuers/service.js';
import { scopeOf } from '../../src/services.js';
import type { User } from '../../src/store/repos/users.js';
import { ISSUER, signInForTokens } from '../helpers/flow.js';
import { type TestContext, createTestContext, createTestUser } from '../helpers/harness.js';
import { type Confidential, assertOAuthError, basic, confidentialClient, json, refresh, userinfo } from '../helpers/oauth-requests.js';
import { at } from '../helpers/prefix.js';

const API = 'https://api.example/';

/** RFC 6750 §3.1: 401 with a Bearer challenge naming invalid_token. */
async function assertInvalidToken(res: Response): Promise<void> {
  assert.equal(res.status, 401, await res.clone().text());
  assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer .*error="invalid_token"/);
}

// Userinfo is a resource server of its own (RFC 9068 §4): it takes only access tokens whose
// audience is the issuer. A token for an API (RFC 8707 `resource`) is that API's alone.
describe("userinfo: the access token's audience", () => {
  let ctx: TestContext;
  let client: Confidential;
  let user: User;

  before(async () => {
    ctx = await createTestContext();
    client = await confidentialClient(ctx, { resources: [API, 'https://files.example/'] });
    user = await createTestUser(ctx);
  });
  after(() => ctx.close());

  it('a sign-in without resource gets a token for the issuer, which userinfo takes', async () => {
    const { tokens } = await signInForTokens(ctx, client, user.email, { scope: 'openid email' });
    assert.equal(decodeJwt(tokens.access_token as string).aud, ISSUER);
    assert.equal((await userinfo(ctx, tokens.access_token as string)).status, 200);
  });

  it('a token for an API is refused at userinfo with invalid_token', async () => {
    const { tokens } = await signInForTokens(ctx, client, user.email, { scope: 'openid email', resource: API });
    assert.equal(decodeJwt(tokens.access_token as string).aud, API, 'one audience: the API only');
    await assertInvalidToken(await userinfo(ctx, tokens.access_token as string));
  });

  it('a refresh keeps the API audience; with resource set to the issuer it gives a userinfo token, then the API again', async () => {
    const { tokens } = await signInForTokens(ctx, client, user.email, { scope: 'openid email', resource: API });
    const same = await json(await refresh(ctx, basic(client), tokens.refresh_token as string));
    assert.equal(decodeJwt(same.access_token as string).aud, API);
    const forUserinfo = await json(await refresh(ctx, basic(client), same.refresh_token as string, { resource: ISSUER }));
    assert.equal(decodeJwt(forUserinfo.access_token as string).aud, ISSUER);
    const info = await userinfo(ctx, forUserinfo.access_token as string);
    assert.equal(info.status, 200);
    assert.equal((await json(info)).email, user.email);
    const back = await json(await refresh(ctx, basic(client), forUserinfo.refresh_token as string, { resource: API }));
    assert.equal(decodeJwt(back.access_token as string).aud, API);
  });

  it('a refresh or code exchange for an unregistered resource is invalid_target and spends nothing', async () => {
    const { tokens } = await signInForTokens(ctx, client, user.email, { scope: 'openid email' });
    await assertOAuthError(
      await refresh(ctx, basic(client), tokens.refresh_token as string, { resource: 'https://elsewhere.example/' }),
      400,
      'invalid_target',
    );
    assert.equal((await refresh(ctx, basic(client), tokens.refresh_token as string)).status, 200, 'the refresh token still works');
  });

  it("an issuer's userinfo takes tokens for that issuer only", async () => {
    await createIssuer(ctx.services, { id: 'beta', name: 'Beta' });
    const beta = await scopeOf(ctx.services, 'beta');
    const betaUser = await beta.repos.users.create({ email: 'ada@example.com', passwordHash: null });
    const { client: betaClient } = await beta.repos.clients.create({
      name: 'B',
      redirectUris: [],
      grantTypes: ['authorization_code'],
      scopes: ['openid'],
      isPublic: false,
      firstParty: true,
    });
    const grant = await beta.repos.grants.create(
      { clientId: betaClient.id, userId: betaUser.id, scope: 'openid', sid: null, authTime: null, resource: null },
      3600,
    );
    const token = async (audience: string): Promise<string> =>
      (await beta.tokens.accessToken({ clientId: betaClient.id, sub: betaUser.id, scope: 'openid', audience, grantId: grant.id })).token;
    const userinfoAtBeta = (t: string): Promise<Response> =>
      Promise.resolve(ctx.app.request(at('/beta/oauth/userinfo'), { headers: { authorization: `Bearer ${t}` } }));
    assert.equal((await userinfoAtBeta(await token(beta.url))).status, 200);
    await assertInvalidToken(await userinfoAtBeta(await token(ctx.scope.url)));
    await assertInvalidToken(await userinfo(ctx, await token(ctx.scope.url)));
  });
});
