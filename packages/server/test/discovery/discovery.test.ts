import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { type TestContext, createTestContext } from '../helpers/harness.js';
import { ISSUER, TEST_PREFIX, at } from '../helpers/prefix.js';

describe('discovery and JWKS', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext();
  });
  after(() => ctx.close());

  for (const path of ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server']) {
    it(`${path} describes exactly the endpoints Gatehouse serves`, async () => {
      const res = await ctx.app.request(at(path));
      assert.equal(res.status, 200);
      const meta = (await res.json()) as Record<string, unknown>;
      assert.equal(meta.issuer, ISSUER);
      assert.equal(meta.authorization_endpoint, `${ISSUER}/oauth/authorize`);
      assert.equal(meta.token_endpoint, `${ISSUER}/oauth/token`);
      assert.equal(meta.jwks_uri, `${ISSUER}/.well-known/jwks.json`);
      assert.equal(meta.end_session_endpoint, `${ISSUER}/oauth/logout`);
      assert.deepEqual(meta.response_types_supported, ['code']);
      assert.deepEqual(meta.code_challenge_methods_supported, ['S256']);
      assert.equal(meta.authorization_response_iss_parameter_supported, true);
      assert.ok(!(meta.grant_types_supported as string[]).includes('implicit'));
      assert.ok(!(meta.grant_types_supported as string[]).includes('password'));
      assert.deepEqual(meta.scopes_supported, ['openid', 'profile', 'email', 'organizations', 'wallets']);
      assert.ok((meta.claims_supported as string[]).includes('organizations'), 'the organizations claim');
      const claims = meta.claims_supported as string[];
      assert.deepEqual(claims, [...new Set(claims)], 'each claim once');
      assert.equal(claims[0], 'sub');
    });
  }

  it("serves the metadata at RFC 8414's URL too: the well-known suffix before the issuer's path", async () => {
    const res = await ctx.app.request(`/.well-known/oauth-authorization-server${TEST_PREFIX}`);
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { issuer: string }).issuer, ISSUER);
  });

  it('publishes RS256, ES256 and EdDSA public keys and no private parts', async () => {
    const res = await ctx.app.request(at('/.well-known/jwks.json'));
    assert.equal(res.status, 200);
    const { keys } = (await res.json()) as { keys: Record<string, unknown>[] };
    assert.deepEqual(keys.map((k) => k.alg).sort(), ['ES256', 'EdDSA', 'RS256']);
    for (const key of keys) {
      assert.equal(key.use, 'sig');
      assert.equal(typeof key.kid, 'string');
      for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi']) assert.equal(key[secret], undefined);
    }
  });

  it('signs tokens that verify against the published JWKS', async () => {
    const jwks = createLocalJWKSet((await (await ctx.app.request(at('/.well-known/jwks.json'))).json()) as never);
    const { token } = await ctx.scope.tokens.accessToken({
      clientId: 'c1',
      sub: 'u1',
      scope: 'openid',
      audience: ISSUER,
      grantId: null,
    });
    const { payload, protectedHeader } = await jwtVerify(token, jwks, { issuer: ISSUER, typ: 'at+jwt' });
    assert.equal(protectedHeader.alg, 'ES256');
    assert.equal(payload.client_id, 'c1');
  });

  it('stores private keys encrypted, not as plain JWK', async () => {
    const rows = await ctx.services.store.db.selectFrom('signing_keys').select(['private_jwk']).execute();
    assert.equal(rows.length, 3);
    for (const row of rows) {
      assert.equal(row.private_jwk.split('.').length, 5, 'compact JWE');
      assert.ok(!row.private_jwk.includes('"d"'));
    }
  });
});
