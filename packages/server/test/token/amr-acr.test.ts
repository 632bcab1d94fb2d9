import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { signInForTokens, tokenRequest } from '../helpers/flow.js';
import { type TestContext, createTestClient, createTestContext, createTestUser } from '../helpers/harness.js';
import { ACR_ONE_FACTOR } from '../../src/signin/assurance.js';
import { at } from '../helpers/prefix.js';

// The session records how the user signed in (RFC 8176 amr) and the level (acr); every ID token
// of the sign-in states them, the first one and those of each refresh.
describe('ID tokens: amr and acr', () => {
  let ctx: TestContext;
  let client: { id: string; secret: string | null };
  let email: string;

  before(async () => {
    ctx = await createTestContext();
    const created = await createTestClient(ctx, { firstParty: true, scopes: ['openid', 'profile', 'email', 'offline_access'] });
    client = { id: created.client.id, secret: created.secret };
    email = (await createTestUser(ctx)).email;
  });
  after(() => ctx.close());

  it('a password sign-in is amr ["pwd"] at the one-factor level, at the code exchange and after a refresh', async () => {
    const { tokens } = await signInForTokens(ctx, client, email);
    const first = decodeJwt(String(tokens.id_token));
    assert.deepEqual(first.amr, ['pwd']);
    assert.equal(first.acr, ACR_ONE_FACTOR);
    assert.ok(tokens.refresh_token, 'the client may refresh');
    const res = await tokenRequest(ctx, client.id, client.secret, { grant_type: 'refresh_token', refresh_token: String(tokens.refresh_token) });
    assert.equal(res.status, 200);
    const refreshed = decodeJwt(String(((await res.json()) as { id_token: string }).id_token));
    assert.deepEqual(refreshed.amr, ['pwd']);
    assert.equal(refreshed.acr, ACR_ONE_FACTOR);
    assert.equal(refreshed.auth_time, first.auth_time);
  });

  it('discovery lists the levels and both claims', async () => {
    const meta = (await (await ctx.app.request(at('/.well-known/openid-configuration'))).json()) as {
      acr_values_supported: string[];
      claims_supported: string[];
    };
    assert.ok(meta.acr_values_supported.includes(ACR_ONE_FACTOR));
    assert.ok(meta.claims_supported.includes('amr') && meta.claims_supported.includes('acr'));
  });

  it('the session row keeps them', async () => {
    const user = await createTestUser(ctx);
    const { session } = await ctx.scope.repos.sessions.create(user.id, 3600);
    const found = await ctx.scope.repos.sessions.findById(session.id);
    assert.deepEqual(found?.amr, ['pwd']);
    assert.equal(found?.acr, ACR_ONE_FACTOR);
  });
});
