import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { IssuerScope } from '../../src/issuers/scope.js';
import { createTestContext, secondIssuer, type TestContext } from '../helpers/harness.js';

// What issue 19 added to repositories (organizations.page, a conditional organizations.update,
// keys.retire)
// neither sees nor changes another issuer's rows, on SQLite and PostgreSQL alike.
describe('issuer isolation of the Admin API’s organization methods', () => {
  let ctx: TestContext;
  let a: IssuerScope;
  let b: IssuerScope;
  before(async () => {
    ctx = await createTestContext();
    a = ctx.scope;
    b = await secondIssuer(ctx, 'gamma');
    await a.repos.organizations.create({ id: 'shared-id', name: 'At A' });
  });
  after(() => ctx.close());

  it('organizations.page lists and searches only the issuer’s own', async () => {
    assert.deepEqual(await b.repos.organizations.page({ limit: 10 }), []);
    assert.deepEqual(await b.repos.organizations.page({ limit: 10, q: 'shared' }), []);
    await b.repos.organizations.create({ id: 'shared-id', name: 'At B' });
    assert.deepEqual(
      (await b.repos.organizations.page({ limit: 10 })).map((o) => o.name),
      ['At B'],
    );
    assert.deepEqual(
      (await a.repos.organizations.page({ limit: 10, q: 'shared' })).map((o) => o.name),
      ['At A'],
    );
  });

  it('organizations.update with a revision changes only the issuer’s own row', async () => {
    assert.equal(await b.repos.organizations.update('shared-id', { name: 'Changed by B' }, 1), true);
    assert.equal((await a.repos.organizations.find('shared-id'))?.name, 'At A');
    assert.equal((await a.repos.organizations.find('shared-id'))?.revision, 1);
    assert.equal(await b.repos.organizations.update('only-at-a', { name: 'X' }, 1), false);
  });

  it('keys.retire at one issuer cannot retire another’s key', async () => {
    const [keyOfA] = (await a.keys.list()).filter((k) => k.alg === 'ES256');
    assert.ok(keyOfA);
    await a.keys.rotate('ES256');
    assert.deepEqual(await b.keys.retire(keyOfA.kid), { outcome: 'not_found' });
    assert.equal((await a.keys.list()).find((k) => k.kid === keyOfA.kid)?.status, 'signing');
    const [keyOfB] = (await b.keys.list()).filter((k) => k.alg === 'ES256');
    assert.deepEqual(await b.keys.retire(keyOfB?.kid ?? ''), { outcome: 'only_key', alg: 'ES256' }, 'A’s pending key is no replacement at B');
  });

  it('memberships.page reads only the issuer’s own members, of an organization with the same id', async () => {
    const ada = await a.repos.users.create({ email: 'member-at-a@example.com', passwordHash: null });
    await a.repos.memberships.add('shared-id', ada.id, []);
    assert.deepEqual(await b.repos.memberships.page('shared-id', { limit: 10 }), []);
    assert.deepEqual(
      (await a.repos.memberships.page('shared-id', { limit: 10 })).map((m) => m.email),
      ['member-at-a@example.com'],
    );
  });
});
