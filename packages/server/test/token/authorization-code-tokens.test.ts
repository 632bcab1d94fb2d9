import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { type JSONWebKeySet, createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { ISSUER } from '../helpers/flow.js';
import { type TestContext, createTestClient } from '../helpers/harness.js';
import type { HttpBrowser } from '../helpers/http-browser.js';
import { type Confidential, basic, codeParams, json, obtainCode, postForm, grantSetup } from '../helpers/oauth-requests.js';
import type { User } from '../../src/store/repos/users.js';
import { at } from '../helpers/prefix.js';

// What a successful code exchange hands out (OIDC Core §3.1.3.3, RFC 9068, RFC 6749 §5.1).
describe('authorization_code grant: the issued tokens', () => {
  let ctx: TestContext;
  let client: Confidential;
  let user: User;
  let browser: HttpBrowser;
  let jwks: ReturnType<typeof createLocalJWKSet>;

  before(async () => {
    ({ ctx, client, user, browser } = await grantSetup());
    const res = await ctx.app.request(at('/.well-known/jwks.json'));
    jwks = createLocalJWKSet((await res.json()) as JSONWebKeySet);
  });
  after(() => ctx.close());

  async function exchange(c: Confidential): Promise<{ tokens: Record<string, unknown>; nonce: string }> {
    const got = await obtainCode(browser, c.id, user.email);
    const res = await postForm(ctx, at('/oauth/token'), codeParams(got), basic(c));
    assert.equal(res.status, 200, await res.clone().text());
    return { tokens: await json(res), nonce: got.nonce };
  }

  it('returns a Bearer token response with the granted scope', async () => {
    const { tokens } = await exchange(client);
    assert.equal(tokens.token_type, 'Bearer');
    assert.equal(tokens.expires_in, 900);
    assert.deepEqual(String(tokens.scope).split(' ').sort(), ['email', 'openid', 'profile']);
    for (const name of ['access_token', 'id_token', 'refresh_token']) assert.equal(typeof tokens[name], 'string', name);
  });

  it('issues an RS256 ID token with every required claim, verifiable against the JWKS', async () => {
    const { tokens, nonce } = await exchange(client);
    const idToken = tokens.id_token as string;
    assert.equal(decodeProtectedHeader(idToken).alg, 'RS256');
    const { payload } = await jwtVerify(idToken, jwks, { issuer: ISSUER, audience: client.id, currentDate: new Date(ctx.clock() * 1000) });
    assert.equal(payload.iss, ISSUER);
    assert.equal(payload.sub, user.id);
    assert.equal(payload.aud, client.id);
    assert.equal(payload.azp, client.id);
    assert.equal(payload.nonce, nonce);
    assert.equal(typeof payload.sid, 'string');
    assert.ok((payload.sid as string).length >= 16);
    const now = ctx.clock();
    assert.ok(typeof payload.iat === 'number' && Math.abs(payload.iat - now) <= 1);
    assert.ok(typeof payload.exp === 'number' && payload.exp > now);
    assert.ok(typeof payload.auth_time === 'number' && payload.auth_time <= now && payload.auth_time > now - 60);
    // OIDC Core §5.4: with an access token, the profile and email claims are userinfo's.
    for (const claim of ['email', 'email_verified', 'name', 'given_name', 'family_name', 'preferred_username', 'updated_at']) {
      assert.equal(payload[claim], undefined, `${claim} is not in the ID token by default`);
    }
    const info = await ctx.app.request(at('/oauth/userinfo'), { headers: { authorization: `Bearer ${tokens.access_token as string}` } });
    const claims = (await info.json()) as Record<string, unknown>;
    assert.equal(claims.email, user.email, 'userinfo has the email');
    assert.equal(claims.name, user.name, 'userinfo has the profile');
  });

  it('puts the profile and email claims in the ID token too for a client with id_token_claims', async () => {
    const made = await createTestClient(ctx, { idTokenClaims: true });
    const { tokens } = await exchange({ id: made.client.id, secret: made.secret as string });
    const payload = decodeJwt(tokens.id_token as string);
    assert.equal(payload.email, user.email, 'the email scope releases email in the ID token');
    assert.equal(payload.email_verified, true);
    assert.equal(payload.name, user.name);
    assert.equal(payload.preferred_username, 'ada');
    assert.equal(payload.sub, user.id);
  });

  it('puts them in the ID token when the access token is for an API, which userinfo refuses', async () => {
    const api = 'https://api.example-business.com/';
    const made = await createTestClient(ctx, { resources: [api] });
    const c = { id: made.client.id, secret: made.secret as string };
    const got = await obtainCode(browser, c.id, user.email, { resource: api });
    const tokens = await json(await postForm(ctx, at('/oauth/token'), codeParams(got), basic(c)));
    assert.equal(decodeJwt(tokens.access_token as string).aud, api);
    const payload = decodeJwt(tokens.id_token as string);
    assert.equal(payload.email, user.email, 'the only place the app can read it');
    assert.equal(payload.name, user.name);
    assert.equal((await ctx.app.request(at('/oauth/userinfo'), { headers: { authorization: `Bearer ${tokens.access_token as string}` } })).status, 401);
  });

  it('binds the ID token to the access token with at_hash', async () => {
    const { tokens } = await exchange(client);
    const digest = createHash('sha256')
      .update(tokens.access_token as string, 'ascii')
      .digest();
    const expected = digest.subarray(0, 16).toString('base64url');
    assert.equal(decodeJwt(tokens.id_token as string).at_hash, expected);
  });

  it('signs the ID token with ES256 for a client registered with idTokenAlg ES256', async () => {
    const made = await createTestClient(ctx, { idTokenAlg: 'ES256' });
    const es = { id: made.client.id, secret: made.secret as string };
    const { tokens } = await exchange(es);
    const idToken = tokens.id_token as string;
    assert.equal(decodeProtectedHeader(idToken).alg, 'ES256');
    const { payload } = await jwtVerify(idToken, jwks, { issuer: ISSUER, audience: es.id, algorithms: ['ES256'], currentDate: new Date(ctx.clock() * 1000) });
    assert.equal(payload.sub, user.id);
  });

  it('issues an RFC 9068 access token: at+jwt, ES256, the standard claims, 15 minutes', async () => {
    const { tokens } = await exchange(client);
    const accessToken = tokens.access_token as string;
    const header = decodeProtectedHeader(accessToken);
    assert.equal(header.typ, 'at+jwt');
    assert.equal(header.alg, 'ES256');
    const { payload } = await jwtVerify(accessToken, jwks, { issuer: ISSUER, typ: 'at+jwt', currentDate: new Date(ctx.clock() * 1000) });
    assert.equal(payload.sub, user.id);
    assert.equal(payload.client_id, client.id);
    assert.equal(payload.aud, ISSUER, 'a client without APIs gets the issuer as audience');
    assert.deepEqual(String(payload.scope).split(' ').sort(), ['email', 'openid', 'profile']);
    assert.equal(typeof payload.jti, 'string');
    assert.ok((payload.jti as string).length >= 16);
    assert.equal((payload.exp as number) - (payload.iat as number), 900);
  });

  it('gives each access token its own jti', async () => {
    const a = decodeJwt((await exchange(client)).tokens.access_token as string);
    const b = decodeJwt((await exchange(client)).tokens.access_token as string);
    assert.notEqual(a.jti, b.jti);
  });

  it('issues an opaque refresh token and stores only its hash', async () => {
    const { tokens } = await exchange(client);
    const refreshToken = tokens.refresh_token as string;
    const [chain, secret, ...rest] = refreshToken.split('.');
    assert.equal(rest.length, 0, 'not a JWT');
    assert.match(chain ?? '', /^ghr_/);
    assert.ok((secret ?? '').length >= 43, 'a secret of at least 256 bits');
    const rows = await ctx.services.store.db.selectFrom('refresh_tokens').selectAll().execute();
    assert.ok(rows.length > 0);
    assert.ok(!JSON.stringify(rows).includes(refreshToken.slice(-40)), 'no column holds the secret');
  });

  it('issues no refresh token to a client without the refresh_token grant', async () => {
    const made = await createTestClient(ctx, { grantTypes: ['authorization_code'] });
    const { tokens } = await exchange({ id: made.client.id, secret: made.secret as string });
    assert.equal(typeof tokens.access_token, 'string');
    assert.equal(typeof tokens.id_token, 'string');
    assert.equal(tokens.refresh_token, undefined);
  });

  it('issues no ID token when openid was not requested', async () => {
    const got = await obtainCode(browser, client.id, user.email, { scope: 'payments' });
    const res = await postForm(ctx, at('/oauth/token'), codeParams(got), basic(client));
    assert.equal(res.status, 200, await res.clone().text());
    const tokens = await json(res);
    assert.equal(tokens.id_token, undefined);
    assert.equal(tokens.scope, 'payments');
  });
});
