// The SDK against a real, in-process Gatehouse. The first test drives the whole flow through the
// server's own endpoints; the others answer the token endpoint with tokens minted by the
// server's TokenIssuer, to reach cases a well-behaved server never produces.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestContext, createTestClient, createTestContext, createTestUser } from '../../server/test/helpers/harness.js';
import { inProcessBrowser, runFlow } from '../../server/test/helpers/flow.js';
import { at } from '../../server/test/helpers/prefix.js';
import { decodeJwt } from 'jose';
import { BearerTokenError, IdpClient, ProtocolError, createResourceServer } from '../src/index.js';

let ctx: TestContext;
const CLIENT_ID = 'example-business';
const REDIRECT_URI = 'https://example-business.com/api/auth/callback/gatehouse';
const API = 'https://api.example-business.com';

before(async () => {
  ctx = await createTestContext();
});
after(async () => {
  await ctx.close();
});

function gatehouseFetch(tokenEndpoint?: (form: URLSearchParams) => Promise<Response>) {
  return async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    if (tokenEndpoint && request.url === `${ctx.config.issuer}/oauth/token`) {
      return tokenEndpoint(new URLSearchParams(await request.text()));
    }
    return ctx.app.fetch(request);
  };
}

async function mintTokens(alg: 'RS256' | 'ES256', nonce: string, clientId = CLIENT_ID) {
  const access = await ctx.scope.tokens.accessToken({
    clientId,
    sub: 'user-1',
    scope: 'openid profile payments',
    audience: API,
    grantId: null,
  });
  const idToken = await ctx.scope.tokens.idToken({
    clientId,
    alg,
    sub: 'user-1',
    authTime: ctx.clock(),
    nonce,
    accessToken: access.token,
    claims: { name: 'Ada Lovelace' },
  });
  return { access, idToken };
}

function client(fetch: ReturnType<typeof gatehouseFetch>) {
  return new IdpClient({ issuerUrl: ctx.config.issuer, clientId: CLIENT_ID, clientSecret: 's', redirectUri: REDIRECT_URI, fetch, clock: ctx.clock });
}

test('the whole flow through Gatehouse: login, code exchange, refresh, client credentials, revocation', async () => {
  const { client: registered, secret } = await createTestClient(ctx, {
    redirectUris: [REDIRECT_URI],
    resources: [API],
    scopes: ['openid', 'profile', 'email', 'payments'],
  });
  const user = await createTestUser(ctx);
  const fetch = gatehouseFetch();
  const idp = new IdpClient({
    issuerUrl: ctx.config.issuer,
    clientId: registered.id,
    clientSecret: secret as string,
    redirectUri: REDIRECT_URI,
    fetch,
    clock: ctx.clock,
  });
  // A sign-in's access token is for the API it names (RFC 8707); without one it is for userinfo.
  const request = await idp.createAuthorizationUrl({ scopes: ['openid', 'profile', 'email', 'payments'], resource: API });
  const result = await runFlow(inProcessBrowser(ctx), request.url, { email: user.email, approve: ['openid', 'profile', 'email', 'payments'] });
  assert.ok(result.callback, 'redirected back with a code');
  const agent = await idp.exchangeCode(result.callback, request);
  assert.equal(agent.profile.sub, user.id);
  assert.equal(agent.profile.email, user.email);

  const rs = createResourceServer({ issuerUrl: ctx.config.issuer, audience: API, fetch, clock: ctx.clock });
  assert.equal((await rs.verify(await agent.accessToken(), { scopes: ['payments'] })).sub, user.id);

  const first = agent.tokens.refreshToken;
  const rotated = await agent.refresh();
  assert.ok(rotated.refreshToken && rotated.refreshToken !== first, 'a rotated refresh token');

  const m2m = await idp.clientCredentials({ scopes: ['payments'] });
  assert.equal((await rs.verify(m2m.accessToken, { scopes: ['payments'] })).sub, registered.id);

  await idp.revoke(rotated.refreshToken);
  const found = await ctx.scope.repos.refreshTokens.find(rotated.refreshToken as string);
  assert.ok(found);
  assert.equal(await ctx.scope.repos.grants.findActive(found.grantId), undefined, 'the grant is revoked');
});

test('profile and email come from userinfo when the ID token leaves them out, and stay after createAgent and refresh', async () => {
  const { client: registered, secret } = await createTestClient(ctx, { redirectUris: [REDIRECT_URI], scopes: ['openid', 'profile', 'email'] });
  const user = await createTestUser(ctx);
  const paths: string[] = [];
  const traced = gatehouseFetch();
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    paths.push(new URL(new Request(input, init).url).pathname);
    return traced(input, init);
  };
  const idp = new IdpClient({
    issuerUrl: ctx.config.issuer,
    clientId: registered.id,
    clientSecret: secret as string,
    redirectUri: REDIRECT_URI,
    fetch,
    clock: ctx.clock,
  });
  const request = await idp.createAuthorizationUrl({ scopes: ['openid', 'profile', 'email'] });
  const result = await runFlow(inProcessBrowser(ctx), request.url, { email: user.email, approve: ['openid', 'profile', 'email'] });
  assert.ok(result.callback);
  const agent = await idp.exchangeCode(result.callback, request);
  assert.equal(decodeJwt(agent.tokens.idToken as string).email, undefined, 'Gatehouse leaves email out of the ID token (OIDC Core §5.4)');
  assert.equal(paths.filter((p) => p === at('/oauth/userinfo')).length, 1, 'userinfo is read once');
  assert.equal(agent.profile.sub, user.id);
  assert.equal(agent.profile.email, user.email);
  assert.equal(agent.profile.name, 'Ada Lovelace');
  assert.equal(agent.tokens.userinfo?.email, user.email, 'kept in the tokens to store');

  const restored = await idp.createAgent(JSON.parse(JSON.stringify(agent.tokens)));
  assert.equal(restored.profile.email, user.email, 'createAgent needs no request for it');
  await restored.refresh();
  assert.equal(restored.profile.email, user.email, 'a refreshed ID token keeps the userinfo claims');
  assert.equal(restored.tokens.userinfo?.email, user.email);
  assert.equal(paths.filter((p) => p === at('/oauth/userinfo')).length, 1, 'and reads userinfo no more');

  // A client configured to get them in the ID token does not read userinfo.
  const { client: compat, secret: compatSecret } = await createTestClient(ctx, {
    redirectUris: [REDIRECT_URI],
    scopes: ['openid', 'profile', 'email'],
    idTokenClaims: true,
  });
  const idp2 = new IdpClient({
    issuerUrl: ctx.config.issuer,
    clientId: compat.id,
    clientSecret: compatSecret as string,
    redirectUri: REDIRECT_URI,
    fetch,
    clock: ctx.clock,
  });
  const request2 = await idp2.createAuthorizationUrl({ scopes: ['openid', 'profile', 'email'] });
  const result2 = await runFlow(inProcessBrowser(ctx), request2.url, { email: user.email, approve: ['openid', 'profile', 'email'] });
  assert.ok(result2.callback);
  const agent2 = await idp2.exchangeCode(result2.callback, request2);
  assert.equal(agent2.profile.email, user.email);
  assert.equal(agent2.tokens.userinfo, undefined);
  assert.equal(paths.filter((p) => p === at('/oauth/userinfo')).length, 1);
});

test('discovery against Gatehouse: authorization URL and logout URL use its endpoints', async () => {
  const idp = client(gatehouseFetch());
  const metadata = await idp.discover();
  assert.equal(metadata.issuer, ctx.config.issuer);
  const { url } = await idp.createAuthorizationUrl();
  assert.ok(url.startsWith(`${ctx.config.issuer}/oauth/authorize?`));
  assert.ok(idp.logoutUrl({ state: 'x' }).startsWith(`${ctx.config.issuer}/oauth/logout?`));
});

for (const alg of ['RS256', 'ES256'] as const) {
  test(`an ${alg} ID token from Gatehouse's TokenIssuer verifies (signature, nonce, at_hash)`, async () => {
    let nonce = '';
    const idp = client(
      gatehouseFetch(async () => {
        const { access, idToken } = await mintTokens(alg, nonce);
        return Response.json({
          access_token: access.token,
          token_type: 'Bearer',
          expires_in: access.expiresIn,
          id_token: idToken,
          scope: 'openid profile payments',
        });
      }),
    );
    const request = await idp.createAuthorizationUrl();
    nonce = request.nonce;
    const callback = `${REDIRECT_URI}?code=c&state=${request.state}&iss=${encodeURIComponent(ctx.config.issuer)}`;
    const agent = await idp.exchangeCode(callback, request);
    assert.equal(agent.profile.sub, 'user-1');
    assert.equal(agent.profile.name, 'Ada Lovelace');
    assert.equal(typeof agent.profile.at_hash, 'string');
  });
}

test('a Gatehouse ID token for another client is refused', async () => {
  let nonce = '';
  const idp = client(
    gatehouseFetch(async () => {
      const { access, idToken } = await mintTokens('RS256', nonce, 'someone-else');
      return Response.json({ access_token: access.token, token_type: 'Bearer', expires_in: 900, id_token: idToken });
    }),
  );
  const request = await idp.createAuthorizationUrl();
  nonce = request.nonce;
  const callback = `${REDIRECT_URI}?code=c&state=${request.state}&iss=${encodeURIComponent(ctx.config.issuer)}`;
  await assert.rejects(idp.exchangeCode(callback, request), ProtocolError);
});

test('the resource server accepts a Gatehouse access token and refuses its ID token', async () => {
  const rs = createResourceServer({ issuerUrl: ctx.config.issuer, audience: API, fetch: gatehouseFetch(), clock: ctx.clock });
  const { access, idToken } = await mintTokens('ES256', 'n');
  const claims = await rs.verify(new Request(`${API}/charges`, { headers: { authorization: `Bearer ${access.token}` } }), { scopes: ['payments'] });
  assert.equal(claims.sub, 'user-1');
  assert.equal(claims.client_id, CLIENT_ID);
  assert.equal(claims.jti, access.jti);
  await assert.rejects(rs.verify(idToken), (e: unknown) => e instanceof BearerTokenError && e.status === 401);
  await assert.rejects(rs.verify(access.token, { scopes: ['admin'] }), (e: unknown) => e instanceof BearerTokenError && e.status === 403);
  const other = createResourceServer({ issuerUrl: ctx.config.issuer, audience: 'https://other.example', fetch: gatehouseFetch(), clock: ctx.clock });
  await assert.rejects(other.verify(access.token), (e: unknown) => e instanceof BearerTokenError && e.error === 'invalid_token');
});
