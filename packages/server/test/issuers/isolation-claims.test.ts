import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { ClaimsService } from '../../src/claims/service.js';
import type { IssuerScope } from '../../src/issuers/scope.js';
import { ClaimAttributeRepository } from '../../src/store/repos/claim-attributes.js';
import { ClaimConfigRepository } from '../../src/store/repos/claim-config.js';
import { createTestUser, type TestContext } from '../helpers/harness.js';
import { twoIssuers } from '../helpers/two-issuers.js';
import { json, userinfo } from '../helpers/oauth-requests.js';
import { at } from '../helpers/prefix.js';
import { signInForTokens } from '../helpers/flow.js';
import { KYC_SCHEMA, PAYMENTS_API } from '../claims/helpers.js';

// Scopes, APIs and attributes (migration 036) belong to one issuer: issuer B neither reads nor
// changes A's definitions or values, its discovery does not list them, and its tokens do not
// carry them; on SQLite and PostgreSQL alike.
describe('issuer isolation of scopes, APIs and attributes', () => {
  let ctx: TestContext;
  let a: IssuerScope;
  let b: IssuerScope;
  before(async () => ({ ctx, a, b } = await twoIssuers()));
  after(() => ctx.close());

  it('claim_config: B loads none of A’s definitions and cannot delete them', async () => {
    const claims = new ClaimsService(ctx.services, a.id);
    await claims.putAttribute({ name: 'kyc', schema: KYC_SCHEMA });
    await claims.putScope({ name: 'kyc', descriptions: { en: 'KYC' }, claims: ['kyc'] });
    await claims.putApi({ identifier: PAYMENTS_API, name: 'Payments', scopes: ['payments'] });
    const theirs = new ClaimConfigRepository(ctx.services.store.db, ctx.clock, b.id);
    assert.deepEqual(await theirs.load(), { apis: [], scopes: [], attributes: [], hooks: [] });
    assert.equal(await theirs.delete('api', PAYMENTS_API), false);
    assert.equal(await theirs.delete('scope', 'kyc'), false);
    const mine = await new ClaimConfigRepository(ctx.services.store.db, ctx.clock, a.id).load();
    assert.deepEqual(
      [mine.apis.map((x) => x.identifier), mine.scopes.map((x) => x.name), mine.attributes.map((x) => x.name)],
      [[PAYMENTS_API], ['kyc'], ['kyc']],
    );
    // B's own definition of the same names is its own.
    await new ClaimsService(ctx.services, b.id).putApi({ identifier: PAYMENTS_API, name: 'B payments', scopes: ['pay'] });
    assert.equal((await new ClaimConfigRepository(ctx.services.store.db, ctx.clock, a.id).load()).apis[0]?.name, 'Payments');
  });

  it('stripe connection: B neither sees nor disconnects A’s', async () => {
    await new ClaimsService(ctx.services, a.id).connectStripe({ webhookSecret: 'whsec_isolation_0123456789' });
    const theirs = new ClaimsService(ctx.services, b.id);
    assert.equal(await theirs.stripeConnection(), undefined);
    await assert.rejects(theirs.disconnectStripe(), /not connected to Stripe/);
    assert.deepEqual(await new ClaimsService(ctx.services, a.id).stripeConnection(), { target: 'user' });
  });

  it('claim_attributes: B reads, sets and clears none of A’s values', async () => {
    const user = await createTestUser(ctx);
    const repoA = new ClaimAttributeRepository(ctx.services.store.db, ctx.clock, a.id);
    const repoB = new ClaimAttributeRepository(ctx.services.store.db, ctx.clock, b.id);
    await repoA.set('user', user.id, 'kyc', { status: 'verified', level: 3 });
    assert.deepEqual(await repoB.of('user', user.id), {});
    assert.deepEqual((await repoB.readForUser(user.id)).user, {});
    assert.equal(await repoB.unset('user', user.id, 'kyc'), false);
    await repoB.clear('user', user.id);
    assert.deepEqual(await repoA.of('user', user.id), { kyc: { status: 'verified', level: 3 } });
    // The service refuses A's user at B: it is no user of B.
    await assert.rejects(new ClaimsService(ctx.services, b.id).setAttribute('user', user.id, 'kyc', { status: 'none', level: 0 }), /No attribute kyc|No user/);
  });

  it('stripe: B’s webhook refuses without a connection of its own, and its events never touch A’s rows', async () => {
    const res = await ctx.app.request(`${b.url}/integrations/stripe/webhook`.replace(/^https?:\/\/[^/]+/, ''), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=00' },
      body: '{}',
    });
    assert.equal(res.status, 404);
    const now = ctx.clock();
    await ctx.services.store.db.insertInto('stripe_events').values({ issuer_id: a.id, event_id: 'evt_same', received_at: now }).execute();
    // The same event id at B is B's own: not a duplicate of A's.
    await ctx.services.store.db.insertInto('stripe_events').values({ issuer_id: b.id, event_id: 'evt_same', received_at: now }).execute();
    const rows = await ctx.services.store.db.selectFrom('stripe_events').select('issuer_id').where('event_id', '=', 'evt_same').orderBy('issuer_id').execute();
    assert.deepEqual(rows.map((r) => r.issuer_id).sort(), [a.id, b.id].sort());
  });

  it('discovery and tokens: B advertises and releases nothing of A’s', async () => {
    const docB = await json(await ctx.app.request(`${b.url}/.well-known/openid-configuration`.replace(/^https?:\/\/[^/]+/, '')));
    assert.ok(!(docB.scopes_supported as string[]).includes('kyc'));
    assert.ok(!(docB.claims_supported as string[]).includes('kyc'));
    const docA = await json(await ctx.app.request(at('/.well-known/openid-configuration')));
    assert.ok((docA.scopes_supported as string[]).includes('kyc'));
    const user = await createTestUser(ctx);
    await new ClaimsService(ctx.services, a.id).setAttribute('user', user.id, 'kyc', { status: 'pending', level: 1 });
    const made = await a.repos.clients.create({
      name: 'A app',
      redirectUris: ['https://example-business.com/api/auth/callback/gatehouse'],
      grantTypes: ['authorization_code'],
      scopes: ['openid', 'kyc'],
      isPublic: false,
      firstParty: true,
    });
    const { tokens } = await signInForTokens(ctx, { id: made.client.id, secret: made.secret }, user.email, { scope: 'openid kyc' });
    assert.deepEqual(decodeJwt(tokens.id_token as string).kyc, undefined, 'kyc is not configured for the ID token');
    assert.deepEqual((await json(await userinfo(ctx, tokens.access_token as string))).kyc, { status: 'pending', level: 1 });
    // B's copy of the user id has no value: B's read finds none of A's rows.
    assert.deepEqual(await new ClaimAttributeRepository(ctx.services.store.db, ctx.clock, b.id).readForUser(user.id), { user: {}, organizations: {} });
  });
});
