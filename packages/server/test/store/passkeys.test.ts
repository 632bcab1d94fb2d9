import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { deleteIssuer } from '../../src/issuers/service.js';
import type { IssuerScope } from '../../src/issuers/scope.js';
import { runMaintenance } from '../../src/maintenance.js';
import type { NewPasskey } from '../../src/store/repos/passkeys.js';
import type { User } from '../../src/store/repos/users.js';
import { type TestContext, createTestContext, createTestUser, secondIssuer } from '../helpers/harness.js';

// The passkey store, on whichever backend runs the suite: scoped to its issuer by every method,
// a credential id unique per issuer, challenges bound, single use and short-lived.
function passkeyOf(userId: string, credentialId: string): NewPasskey {
  return {
    userId,
    credentialId,
    publicKey: new Uint8Array([1, 2, 3, 4]),
    signCount: 0,
    transports: ['internal', 'hybrid'],
    aaguid: '00000000-0000-0000-0000-000000000000',
    deviceType: 'singleDevice',
    backedUp: false,
    name: 'Laptop',
  };
}

describe('passkeys repository', () => {
  let ctx: TestContext;
  let a: IssuerScope;
  let b: IssuerScope;
  let userA: User;

  before(async () => {
    ctx = await createTestContext();
    a = ctx.scope;
    b = await secondIssuer(ctx);
    userA = await createTestUser(ctx);
  });
  after(() => ctx.close());

  it('keeps what it stores, and records passkey.added with it', async () => {
    const created = await a.repos.passkeys.create(passkeyOf(userA.id, 'cred-keep'));
    const found = await a.repos.passkeys.findByCredentialId('cred-keep');
    assert.deepEqual(found, created);
    assert.deepEqual([...(found?.publicKey ?? [])], [1, 2, 3, 4]);
    assert.deepEqual(found?.transports, ['internal', 'hybrid']);
    const events = await ctx.services.store.db.selectFrom('events').select(['type', 'user_id']).where('type', '=', 'passkey.added').execute();
    assert.ok(events.some((e) => e.user_id === userA.id));
  });

  it('two issuers: neither sees nor changes the other’s passkeys', async () => {
    const passkey = await a.repos.passkeys.create(passkeyOf(userA.id, 'cred-iso'));
    assert.equal(await b.repos.passkeys.findByCredentialId('cred-iso'), undefined);
    assert.deepEqual(await b.repos.passkeys.listForUser(userA.id), []);
    assert.equal(await b.repos.passkeys.countForUser(userA.id), 0);
    assert.equal(await b.repos.passkeys.rename(userA.id, passkey.id, 'taken'), false);
    assert.equal(await b.repos.passkeys.recordUse(passkey.id, 5, true), false);
    assert.equal(await b.repos.passkeys.remove(userA.id, passkey.id), false);
    const still = await a.repos.passkeys.findByCredentialId('cred-iso');
    assert.equal(still?.name, 'Laptop');
    assert.equal(still?.signCount, 0);
    // The same credential id at the other issuer (one authenticator, one RP ID, two issuers) is its own row.
    const userB = await b.repos.users.create({ email: userA.email, emailVerified: true, passwordHash: null });
    const theirs = await b.repos.passkeys.create(passkeyOf(userB.id, 'cred-iso'));
    assert.notEqual(theirs.id, passkey.id);
    assert.equal((await a.repos.passkeys.findByCredentialId('cred-iso'))?.userId, userA.id);
    assert.equal((await b.repos.passkeys.findByCredentialId('cred-iso'))?.userId, userB.id);
    // A challenge issued at one issuer is unknown at the other.
    const challenge = await a.repos.passkeys.issueChallenge('login', 'ix-iso', null, 300);
    assert.equal(await b.repos.passkeys.consumeChallenge('login', 'ix-iso', challenge), undefined);
    assert.deepEqual(await a.repos.passkeys.consumeChallenge('login', 'ix-iso', challenge), { challenge, userId: null });
  });

  it('refuses the same credential id twice at one issuer', async () => {
    await a.repos.passkeys.create(passkeyOf(userA.id, 'cred-twice'));
    await assert.rejects(a.repos.passkeys.create(passkeyOf(userA.id, 'cred-twice')));
    assert.equal((await a.repos.passkeys.listForUser(userA.id)).filter((p) => p.credentialId === 'cred-twice').length, 1);
  });

  it('moves the counter only forward', async () => {
    const passkey = await a.repos.passkeys.create({ ...passkeyOf(userA.id, 'cred-count'), signCount: 3 });
    assert.equal(await a.repos.passkeys.recordUse(passkey.id, 3, false), false, 'the same counter is a clone or a replay');
    assert.equal(await a.repos.passkeys.recordUse(passkey.id, 4, false), true);
    assert.equal((await a.repos.passkeys.findByCredentialId('cred-count'))?.signCount, 4);
  });

  it('spends a challenge exactly once under 30 concurrent uses, and only for its purpose and binding', async () => {
    const challenge = await a.repos.passkeys.issueChallenge('mfa', 'ix-race', userA.id, 300);
    assert.equal(await a.repos.passkeys.consumeChallenge('login', 'ix-race', challenge), undefined);
    assert.equal(await a.repos.passkeys.consumeChallenge('mfa', 'ix-other', challenge), undefined);
    const results = await Promise.all(Array.from({ length: 30 }, () => a.transaction((repos) => repos.passkeys.consumeChallenge('mfa', 'ix-race', challenge))));
    assert.deepEqual(
      results.filter((r) => r !== undefined),
      [{ challenge, userId: userA.id }],
    );
  });

  it('keeps one challenge per binding: a new one replaces the last', async () => {
    const first = await a.repos.passkeys.issueChallenge('register', 'session-1', userA.id, 300);
    const second = await a.repos.passkeys.issueChallenge('register', 'session-1', userA.id, 300);
    assert.equal(await a.repos.passkeys.consumeChallenge('register', 'session-1', first), undefined);
    assert.ok(await a.repos.passkeys.consumeChallenge('register', 'session-1', second));
  });

  it('expires a challenge after its lifetime, and maintenance sweeps it', async () => {
    const challenge = await a.repos.passkeys.issueChallenge('login', 'ix-old', null, 300);
    ctx.clock.advance(300);
    assert.equal(await a.repos.passkeys.consumeChallenge('login', 'ix-old', challenge), undefined);
    ctx.clock.advance(24 * 3600 + 1);
    await runMaintenance(ctx.services);
    const left = await ctx.services.store.db.selectFrom('passkey_challenges').select('challenge').where('challenge', '=', challenge).execute();
    assert.equal(left.length, 0);
  });

  it('removes one passkey of its user only, recording passkey.removed', async () => {
    const other = await createTestUser(ctx);
    const mine = await a.repos.passkeys.create(passkeyOf(userA.id, 'cred-remove'));
    assert.equal(await a.repos.passkeys.remove(other.id, mine.id), false, 'another user cannot remove it');
    assert.equal(await a.repos.passkeys.rename(other.id, mine.id, 'x'), false);
    assert.equal(await a.repos.passkeys.remove(userA.id, mine.id), true);
    assert.equal(await a.repos.passkeys.findByCredentialId('cred-remove'), undefined);
  });

  it('goes with its user, and with its issuer', async () => {
    const doomed = await createTestUser(ctx);
    await a.repos.passkeys.create(passkeyOf(doomed.id, 'cred-doomed'));
    await ctx.services.store.db.deleteFrom('users').where('id', '=', doomed.id).execute();
    assert.equal(await a.repos.passkeys.findByCredentialId('cred-doomed'), undefined);

    const gamma = await secondIssuer(ctx, 'gamma');
    const userG = await gamma.repos.users.create({ email: 'g@example.com', emailVerified: true, passwordHash: null });
    await gamma.repos.passkeys.create(passkeyOf(userG.id, 'cred-gamma'));
    await gamma.repos.passkeys.issueChallenge('login', 'ix-gamma', null, 300);
    assert.equal(await deleteIssuer(ctx.services, 'gamma', true), true);
    const rows = await ctx.services.store.db.selectFrom('passkeys').select('id').where('issuer_id', '=', 'gamma').execute();
    const challenges = await ctx.services.store.db.selectFrom('passkey_challenges').select('challenge').where('issuer_id', '=', 'gamma').execute();
    assert.equal(rows.length + challenges.length, 0);
  });
});
