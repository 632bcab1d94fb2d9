import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hashPassword } from '../../src/auth/password.js';
import { createIssuer } from '../../src/issuers/service.js';
import { scopeOf } from '../../src/services.js';
import { type TestContext, TEST_REDIRECT_URI, createTestContext } from '../helpers/harness.js';

// Every domain change writes its event with it, in its transaction, under its issuer.
describe('events', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext();
  });
  after(() => ctx.close());

  const types = async (issuer = ctx.scope): Promise<string[]> => (await issuer.repos.events.list()).map((e) => e.type).reverse();

  it('records users, clients, consents, sessions and grants as they change', async () => {
    const { repos } = ctx.scope;
    const user = await repos.users.create({ email: 'ev@example.com', passwordHash: await hashPassword('a long password') });
    const { client } = await repos.clients.create({
      name: 'Ev',
      redirectUris: [TEST_REDIRECT_URI],
      grantTypes: ['authorization_code'],
      scopes: ['openid'],
      isPublic: false,
      firstParty: false,
    });
    await repos.clients.rotateSecret(client.id);
    await repos.clients.update(client.id, { name: 'Ev 2', scopes: ['openid', 'email'] });
    await repos.consents.add(user.id, client.id, ['openid']);
    const { session } = await repos.sessions.create(user.id, 3600);
    const grant = await repos.grants.create({ clientId: client.id, userId: user.id, scope: 'openid', sid: null, authTime: null, resource: null }, 3600);
    await repos.grants.revoke(grant.id, 'revoked_by_client');
    await repos.grants.revoke(grant.id, 'revoked_by_client');
    await repos.sessions.end(session.id, 'logout');
    await repos.consents.revoke(user.id, client.id);
    await repos.users.setDisabled(user.id, true);
    await repos.clients.delete(client.id);
    assert.deepEqual(
      await types(),
      [
        'user.created',
        'client.created',
        'client.secret_rotated',
        'client.updated',
        'consent.granted',
        'session.started',
        'grant.created',
        'grant.revoked',
        'session.ended',
        'consent.revoked',
        'user.disabled',
        'client.deleted',
      ],
      'a second revocation of the same grant is no second event',
    );
    assert.deepEqual((await repos.events.list({ type: 'client.updated' }))[0]?.payload, { changed: ['name', 'scopes'] });
    const [revoked] = await repos.events.list({ type: 'grant.revoked' });
    assert.deepEqual(revoked?.payload, { grant_id: grant.id, reason: 'revoked_by_client' });
    assert.equal(revoked?.userId, user.id);
    assert.equal(revoked?.clientId, client.id);
    assert.deepEqual((await repos.events.list({ userId: user.id })).length, 8);
  });

  it('writes nothing when the change is rolled back', async () => {
    const before = (await ctx.scope.repos.events.list()).length;
    await assert.rejects(
      ctx.scope.transaction(async (repos) => {
        await repos.users.create({ email: 'rolled-back@example.com', passwordHash: null });
        throw new Error('undo');
      }),
      /undo/,
    );
    assert.equal((await ctx.scope.repos.events.list()).length, before);
    assert.equal(await ctx.scope.repos.users.findByEmail('rolled-back@example.com'), undefined);
  });

  it('records key rotations and issuers under their own issuer', async () => {
    await createIssuer(ctx.services, { id: 'evbeta', name: 'Ev Beta' });
    const beta = await scopeOf(ctx.services, 'evbeta');
    await beta.keys.rotate('ES256');
    assert.deepEqual(await types(beta), ['issuer.created', 'key.rotated']);
    assert.ok(!(await types()).includes('key.rotated'), 'nothing of it at the default issuer');
    await ctx.services.scopes.issuers.update('evbeta', { name: 'Renamed' });
    assert.deepEqual((await beta.repos.events.list({ type: 'issuer.updated' }))[0]?.payload, { changed: ['name'] });
  });
});
