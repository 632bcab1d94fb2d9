import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import type { ClaimsService } from '../../src/claims/service.js';
import type { User } from '../../src/store/repos/users.js';
import { signInForTokens } from '../helpers/flow.js';
import { type TestContext, createTestContext, createTestUser } from '../helpers/harness.js';
import { type Confidential, confidentialClient, introspect } from '../helpers/oauth-requests.js';
import { testAccount } from '../wallets/helpers.js';
import { PAYMENTS_API, SEED_SCOPES, configureSeed } from './helpers.js';

const VERIFIED = { status: 'verified', level: 2, verified_at: '2026-11-02T10:00:00Z' };
const WALLET = testAccount(43);

// RFC 7662 introspection of an API's access token answers the custom claims the token carries
// (its API's configured claims), as they were issued; never Gatehouse's own grant id.
describe('claims: introspection of an API access token', () => {
  let ctx: TestContext;
  let claims: ClaimsService;
  let client: Confidential;
  let user: User;

  before(async () => {
    ctx = await createTestContext();
    claims = await configureSeed(ctx);
    client = await confidentialClient(ctx, { scopes: SEED_SCOPES, resources: [PAYMENTS_API] });
    user = await createTestUser(ctx);
    await claims.setAttribute('user', user.id, 'kyc', VERIFIED);
    await ctx.scope.repos.wallets.link({ userId: user.id, address: WALLET.address, chainId: 1, label: null });
  });
  after(() => ctx.close());

  it('answers the claims the token carries, not the attribute’s value of now', async () => {
    const { tokens } = await signInForTokens(ctx, client, user.email, { scope: 'openid email payments', resource: PAYMENTS_API });
    const access = decodeJwt(tokens.access_token as string);
    assert.deepEqual(access.kyc, VERIFIED, 'the token carries kyc');
    assert.equal(typeof access.gid, 'string');

    // The attribute changes after issuance: the token (and so its introspection) keeps what it was issued with.
    await claims.setAttribute('user', user.id, 'kyc', { status: 'rejected', level: 0 });
    const answer = await introspect(ctx, client, tokens.access_token as string);
    assert.equal(answer.active, true);
    assert.equal(answer.aud, PAYMENTS_API);
    assert.equal(answer.scope, 'payments');
    assert.deepEqual(answer.kyc, VERIFIED);
    assert.deepEqual(answer.wallets, access.wallets);
    assert.deepEqual(answer.wallets, [WALLET.address]);
    assert.equal(answer.email, user.email);
    assert.equal(answer.gid, undefined, 'the grant id is Gatehouse’s own');
    assert.equal(answer.token_type, 'Bearer');
  });

  it('a userinfo token carries no API claims, and its introspection shows none', async () => {
    const { tokens } = await signInForTokens(ctx, client, user.email, { scope: 'openid email kyc' });
    const answer = await introspect(ctx, client, tokens.access_token as string);
    assert.equal(answer.active, true);
    assert.equal(answer.aud, ctx.config.issuer);
    assert.equal(answer.kyc, undefined);
    assert.equal(answer.wallets, undefined);
    assert.equal(answer.email, undefined);
  });
});
