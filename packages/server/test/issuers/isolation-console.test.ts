import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { IssuerScope } from '../../src/issuers/scope.js';
import { createTestUser, type TestContext } from '../helpers/harness.js';
import { twoIssuers } from '../helpers/two-issuers.js';

// The console's repositories, like every other, see only their own issuer's rows.
describe('issuer isolation of the console’s repositories', () => {
  let ctx: TestContext;
  let a: IssuerScope;
  let b: IssuerScope;
  before(async () => ({ ctx, a, b } = await twoIssuers()));
  after(() => ctx.close());

  it('setup links: one issuer’s link is unknown at another, and spending one there spends nothing here', async () => {
    await a.repos.consoleSetupLinks.create('shared-hash', 3600);
    assert.equal(await b.repos.consoleSetupLinks.isLive('shared-hash'), false);
    assert.equal(await b.repos.consoleSetupLinks.consume('shared-hash'), false);
    await b.repos.consoleSetupLinks.create('b-hash', 3600);
    assert.equal(await b.repos.consoleSetupLinks.consume('b-hash'), true);
    assert.equal(await a.repos.consoleSetupLinks.isLive('shared-hash'), true, 'B’s owner does not spend A’s links');
  });

  it('event counts and the user count are the issuer’s own', async () => {
    const user = await createTestUser(ctx, 'iso-stats@example.com');
    await a.repos.events.record({ type: 'session.started', userId: user.id, payload: { sid: 's' } });
    await a.repos.events.record({ type: 'sign_in.failed', userId: user.id, address: '192.0.2.7', payload: { reason: 'wrong_password' } });
    assert.deepEqual(await b.repos.eventStats.daily(['session.started', 'sign_in.failed'], 7), []);
    assert.equal(await b.repos.eventStats.distinctUsers('session.started', 3600), 0);
    assert.deepEqual(await b.repos.eventStats.recent(['sign_in.failed'], 10), []);
    assert.ok((await a.repos.eventStats.recent(['sign_in.failed'], 10)).length >= 1);
    assert.equal(await b.repos.users.count(), 0);
    await a.repos.clients.create({ name: 'A only', redirectUris: [], grantTypes: ['client_credentials'], scopes: ['x'], isPublic: false, firstParty: false });
    assert.equal(await b.repos.clients.count(), 0);
    assert.ok((await a.repos.clients.count()) >= 1);
    assert.ok((await a.repos.users.count()) >= 1);
  });
});
