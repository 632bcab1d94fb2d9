import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createProvider } from '../../src/federation/providers.js';
import type { IssuerScope } from '../../src/issuers/scope.js';
import { createTestUser, type TestContext } from '../helpers/harness.js';
import { twoIssuers } from '../helpers/two-issuers.js';

// Federation's rows (migration 035) bound to one issuer: providers, linked identities and
// sign-ins in flight at issuer A are unknown at issuer B, on SQLite and PostgreSQL alike.
describe('issuer isolation of federation’s rows', () => {
  let ctx: TestContext;
  let a: IssuerScope;
  let b: IssuerScope;
  before(async () => ({ ctx, a, b } = await twoIssuers()));
  after(() => ctx.close());

  it('upstream_providers: B neither sees, changes nor deletes A’s; the same id may exist at both', async () => {
    await createProvider(a, { id: 'google', preset: 'google', clientId: 'a-client', clientSecret: 'a-secret' });
    assert.equal(await b.repos.upstreamProviders.find('google'), undefined);
    assert.deepEqual(await b.repos.upstreamProviders.list(), []);
    assert.equal(await b.repos.upstreamProviders.update('google', { enabled: false }), undefined);
    assert.equal(await b.repos.upstreamProviders.delete('google'), false);
    assert.equal((await a.repos.upstreamProviders.find('google'))?.enabled, true);
    await createProvider(b, { id: 'google', preset: 'google', clientId: 'b-client', clientSecret: 'b-secret' });
    assert.equal((await a.repos.upstreamProviders.find('google'))?.clientId, 'a-client');
    assert.equal((await b.repos.upstreamProviders.find('google'))?.clientId, 'b-client');
    // A's sealed secret is bound to A's row: opened as B's it fails.
    const sealedA = (await a.repos.upstreamProviders.find('google'))?.sealedClientSecret ?? '';
    await assert.rejects(ctx.services.box.open(sealedA, `upstream-client-secret:${b.id}:google`));
  });

  it('linked_identities: B finds, lists and unlinks none of A’s; the same subject links at each', async () => {
    const user = await createTestUser(ctx);
    const linked = await a.repos.linkedIdentities.link({ userId: user.id, providerId: 'google', subject: 'sub-1', email: null, how: 'created' });
    assert.ok(linked);
    assert.equal(await b.repos.linkedIdentities.findBySubject('google', 'sub-1'), undefined);
    assert.deepEqual(await b.repos.linkedIdentities.listForUser(user.id), []);
    assert.equal(await b.repos.linkedIdentities.unlink(user.id, linked.id), false);
    const bUser = await b.repos.users.create({ email: 'b@example.com', passwordHash: null });
    assert.ok(await b.repos.linkedIdentities.link({ userId: bUser.id, providerId: 'google', subject: 'sub-1', email: null, how: 'created' }));
    await b.repos.linkedIdentities.unlinkAll(user.id);
    assert.ok(await a.repos.linkedIdentities.findBySubject('google', 'sub-1'), 'B’s unlinkAll reached no row of A');
    assert.equal((await a.repos.linkedIdentities.findBySubject('google', 'sub-1'))?.userId, user.id);
    // Deleting B's provider takes B's links with it, not A's.
    assert.equal(await b.repos.upstreamProviders.delete('google'), true);
    assert.equal(await b.repos.linkedIdentities.findBySubject('google', 'sub-1'), undefined);
    assert.ok(await a.repos.linkedIdentities.findBySubject('google', 'sub-1'));
  });

  it('upstream_flows: a state of A’s cannot be spent, held or taken at B', async () => {
    await a.repos.upstreamFlows.create(
      { stateHash: 'h1', providerId: 'google', interactionId: 'i1', browserHash: 'b1', sealedCodeVerifier: 'v', nonce: 'n' },
      600,
    );
    assert.deepEqual(await b.repos.upstreamFlows.spend('h1', 'b1', 'google'), { status: 'unknown' });
    await b.repos.upstreamFlows.holdLink('h1', { userId: 'u', subject: 's', email: null });
    assert.equal(await b.repos.upstreamFlows.pendingLink('i1'), undefined);
    assert.equal(await a.repos.upstreamFlows.pendingLink('i1'), undefined, 'B’s write reached no row of A');
    const spent = await a.repos.upstreamFlows.spend('h1', 'b1', 'google');
    assert.equal(spent.status, 'spent');
    assert.deepEqual(await a.repos.upstreamFlows.spend('h1', 'b1', 'google'), { status: 'replayed' });
    await a.repos.upstreamFlows.holdLink('h1', { userId: 'u', subject: 's', email: 'e@example.com' });
    assert.equal(await b.repos.upstreamFlows.takeLink('i1', 'u'), undefined);
    assert.equal((await a.repos.upstreamFlows.takeLink('i1', 'u'))?.link?.subject, 's');
    assert.equal(await a.repos.upstreamFlows.takeLink('i1', 'u'), undefined, 'taken once');
  });

  it('organization_sso: B neither reads, lists nor deletes A’s; membership joins stay within the issuer', async () => {
    const org = await a.repos.organizations.create({ name: 'Acme' });
    const member = await createTestUser(ctx);
    await a.repos.memberships.add(org.id, member.id, []);
    await a.repos.organizationSso.put({ organizationId: org.id, providerId: 'google', required: true, roleClaim: null, roleMap: {} });
    assert.equal(await b.repos.organizationSso.find(org.id), undefined);
    assert.deepEqual(await b.repos.organizationSso.forProvider('google'), []);
    assert.deepEqual(await b.repos.organizationSso.requiredFor(member.id), []);
    assert.equal(await b.repos.organizationSso.delete(org.id), false);
    assert.deepEqual(
      (await a.repos.organizationSso.requiredFor(member.id)).map((s) => s.organizationId),
      [org.id],
    );
  });
});
