import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hashPassword } from '../../src/auth/password.js';
import { createIssuer } from '../../src/issuers/service.js';
import type { IssuerScope } from '../../src/issuers/scope.js';
import { scopeOf } from '../../src/services.js';
import type { User } from '../../src/store/repos/users.js';
import { type TestContext, createTestContext } from '../helpers/harness.js';

// The second-factor repositories (migration 025): what they promise, and that a repository of
// one issuer neither sees nor changes another issuer's rows, on SQLite and PostgreSQL alike.
describe('second-factor repositories', () => {
  let ctx: TestContext;
  let a: IssuerScope;
  let b: IssuerScope;
  let userA: User;

  before(async () => {
    ctx = await createTestContext();
    await createIssuer(ctx.services, { id: 'beta', name: 'Beta' });
    a = ctx.scope;
    b = await scopeOf(ctx.services, 'beta');
    userA = await a.repos.users.create({ email: 'ada@example.com', emailVerified: true, passwordHash: await hashPassword('a password of A') });
  });
  after(() => ctx.close());

  it('authenticator apps: a pending enrolment is replaced, a confirmed one is not; each step is accepted once, in order', async () => {
    const { totpFactors } = a.repos;
    assert.equal(await totpFactors.startEnrolment(userA.id, 'sealed-1'), true);
    assert.equal(await totpFactors.startEnrolment(userA.id, 'sealed-2'), true, 'a pending one is replaced');
    assert.equal((await totpFactors.find(userA.id))?.secretSealed, 'sealed-2');
    assert.equal(await totpFactors.acceptStep(userA.id, 100, false), false, 'an unconfirmed app answers no sign-in');
    assert.equal(await totpFactors.acceptStep(userA.id, 100, true), true, 'the first code confirms it');
    assert.equal(await totpFactors.hasConfirmed(userA.id), true);
    assert.equal(await totpFactors.acceptStep(userA.id, 100, false), false, 'the same step twice');
    assert.equal(await totpFactors.acceptStep(userA.id, 99, false), false, 'an earlier step');
    const both = await Promise.all([totpFactors.acceptStep(userA.id, 101, false), totpFactors.acceptStep(userA.id, 101, false)]);
    assert.deepEqual(both.sort(), [false, true], 'two posts of one code at once: one wins');
    assert.equal(await totpFactors.startEnrolment(userA.id, 'sealed-3'), false, 'a confirmed app is not replaced');
  });

  it('recovery codes: a new set replaces the old; each is consumed once', async () => {
    const { recoveryCodes } = a.repos;
    await recoveryCodes.replace(userA.id, ['h1', 'h2']);
    await recoveryCodes.replace(userA.id, ['h3', 'h4', 'h5']);
    assert.equal(await recoveryCodes.remaining(userA.id), 3);
    assert.equal(await recoveryCodes.consume(userA.id, 'h1'), false, 'the old set is gone');
    const both = await Promise.all([recoveryCodes.consume(userA.id, 'h3'), recoveryCodes.consume(userA.id, 'h3')]);
    assert.deepEqual(both.sort(), [false, true]);
    assert.equal(await recoveryCodes.remaining(userA.id), 2);
  });

  it('organizations’ policies: the strictest of the user’s organizations', async () => {
    const strict = await a.repos.organizations.create({ name: 'Strict' });
    const relaxed = await a.repos.organizations.create({ name: 'Relaxed' });
    await a.repos.memberships.add(relaxed.id, userA.id, []);
    assert.equal(await a.repos.mfaPolicies.strictestForMember(userA.id), 'off');
    await a.repos.mfaPolicies.setOrganizationPolicy(relaxed.id, 'optional');
    assert.equal(await a.repos.mfaPolicies.strictestForMember(userA.id), 'optional');
    await a.repos.mfaPolicies.setOrganizationPolicy(strict.id, 'required');
    assert.equal(await a.repos.mfaPolicies.strictestForMember(userA.id), 'optional', 'not a member of Strict');
    await a.repos.memberships.add(strict.id, userA.id, []);
    assert.equal(await a.repos.mfaPolicies.strictestForMember(userA.id), 'required');
    assert.equal(await a.repos.mfaPolicies.organizationPolicy(strict.id), 'required');
  });

  it('issuer isolation: another issuer sees and changes none of these rows', async () => {
    assert.equal(await b.repos.totpFactors.find(userA.id), undefined);
    assert.equal(await b.repos.totpFactors.hasConfirmed(userA.id), false);
    assert.equal(await b.repos.totpFactors.acceptStep(userA.id, 10_000, false), false);
    assert.equal(await b.repos.totpFactors.remove(userA.id), false);
    assert.equal(await a.repos.totpFactors.hasConfirmed(userA.id), true, 'A’s app is still there');
    assert.equal(await b.repos.recoveryCodes.remaining(userA.id), 0);
    assert.equal(await b.repos.recoveryCodes.consume(userA.id, 'h4'), false);
    await b.repos.recoveryCodes.removeAll(userA.id);
    assert.equal(await a.repos.recoveryCodes.remaining(userA.id), 2, 'A’s codes are still there');
    assert.equal(await b.repos.mfaPolicies.strictestForMember(userA.id), 'off');
    const orgs = await a.repos.organizations.list();
    for (const org of orgs) {
      assert.equal(await b.repos.mfaPolicies.organizationPolicy(org.id), undefined);
      assert.equal(await b.repos.mfaPolicies.setOrganizationPolicy(org.id, 'off'), false);
    }
    assert.equal(await a.repos.mfaPolicies.strictestForMember(userA.id), 'required', 'B changed no policy of A');
  });
});
