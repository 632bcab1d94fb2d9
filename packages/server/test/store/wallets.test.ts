import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { IssuerScope } from '../../src/issuers/scope.js';
import { type TestContext, createTestContext, createTestUser, secondIssuer } from '../helpers/harness.js';
import { hashPassword } from '../../src/auth/password.js';
import { deleteIssuer } from '../../src/issuers/service.js';

const ADDRESS = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';

// The wallet repositories on both backends: an address once per issuer, nonces spent once, and
// nothing of one issuer visible from another.
describe('the wallet repositories', () => {
  let ctx: TestContext;
  let beta: IssuerScope;

  before(async () => {
    ctx = await createTestContext();
    beta = await secondIssuer(ctx, 'wallet-beta');
  });
  after(() => ctx.close());

  it('links an address to one user per issuer and tells the owner from another account', async () => {
    const ada = await createTestUser(ctx);
    const bob = await createTestUser(ctx);
    const linked = await ctx.scope.repos.wallets.link({ userId: ada.id, address: ADDRESS, chainId: 1, label: 'main' });
    assert.equal(linked.linked, true);
    assert.deepEqual(await ctx.scope.repos.wallets.link({ userId: ada.id, address: ADDRESS, chainId: 5, label: null }), {
      linked: false,
      reason: 'already_yours',
    });
    assert.deepEqual(await ctx.scope.repos.wallets.link({ userId: bob.id, address: ADDRESS, chainId: 1, label: null }), { linked: false, reason: 'taken' });
    const outcomes = await Promise.all(
      [1, 2, 3].map(() => ctx.scope.repos.wallets.link({ userId: bob.id, address: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8', chainId: 1, label: null })),
    );
    assert.equal(outcomes.filter((o) => o.linked).length, 1, 'of concurrent links exactly one wins');
    assert.deepEqual(
      (await ctx.scope.repos.wallets.listForUser(ada.id)).map((w) => [w.address, w.chainId, w.label, w.lastUsedAt]),
      [[ADDRESS, 1, 'main', null]],
    );
  });

  it('spends a nonce once, for its purpose, binding and user only, and not after it expires', async () => {
    const ada = await createTestUser(ctx);
    const challenges = ctx.scope.repos.walletChallenges;
    const made = await challenges.create({ purpose: 'sign_in', binding: 'interaction-1', userId: ada.id, address: null, chainId: 1, ttl: 300 });
    assert.match(made.nonce, /^[0-9a-f]{32}$/);
    assert.equal(await challenges.countLive('sign_in', 'interaction-1'), 1);
    assert.equal(await challenges.countLive('link', 'interaction-1'), 0);
    assert.equal(await challenges.consume(made.nonce, 'link', 'interaction-1', ada.id), undefined, 'another purpose');
    assert.equal(await challenges.consume(made.nonce, 'sign_in', 'interaction-2', ada.id), undefined, 'another interaction');
    assert.equal(await challenges.consume(made.nonce, 'sign_in', 'interaction-1', 'someone-else'), undefined, 'another user');
    const spent = await Promise.all([1, 2, 3].map(() => challenges.consume(made.nonce, 'sign_in', 'interaction-1', ada.id)));
    assert.equal(spent.filter(Boolean).length, 1, 'of concurrent uses exactly one spends it');
    assert.deepEqual(spent.find(Boolean), { ...made });
    assert.equal(await challenges.countLive('sign_in', 'interaction-1'), 0, 'a spent nonce is not waiting');

    const late = await challenges.create({ purpose: 'link', binding: 'session-1', userId: ada.id, address: ADDRESS, chainId: 1, ttl: 300 });
    ctx.clock.advance(300);
    assert.equal(await challenges.countLive('link', 'session-1'), 0, 'an expired nonce is not waiting');
    assert.equal(await challenges.consume(late.nonce, 'link', 'session-1', ada.id), undefined, 'expired');
  });

  it('keeps issuers apart: wallets, claims of addresses and nonces of one are not seen from the other', async () => {
    const ada = await createTestUser(ctx);
    const betaUser = await beta.repos.users.create({
      email: 'ada@example.com',
      emailVerified: true,
      passwordHash: await hashPassword('correct horse battery staple'),
      name: 'Ada',
      givenName: null,
      familyName: null,
      preferredUsername: null,
    });
    const address = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC';
    assert.equal((await ctx.scope.repos.wallets.link({ userId: ada.id, address, chainId: 1, label: null })).linked, true);
    // The same address is free in the other issuer: another set of accounts.
    const there = await beta.repos.wallets.link({ userId: betaUser.id, address, chainId: 1, label: null });
    assert.equal(there.linked, true);
    assert.equal((await beta.repos.wallets.findByAddress(address))?.userId, betaUser.id);
    assert.equal((await ctx.scope.repos.wallets.findByAddress(address))?.userId, ada.id);
    assert.deepEqual(await beta.repos.wallets.listForUser(ada.id), []);
    assert.equal(await beta.repos.wallets.unlink(ada.id, (await ctx.scope.repos.wallets.listForUser(ada.id))[0]?.id ?? ''), undefined);
    assert.equal((await ctx.scope.repos.wallets.listForUser(ada.id)).length, 1, 'not unlinked from the other issuer');

    const nonce = await ctx.scope.repos.walletChallenges.create({ purpose: 'link', binding: 's', userId: ada.id, address, chainId: 1, ttl: 300 });
    assert.equal(await beta.repos.walletChallenges.countLive('link', 's'), 0);
    assert.equal(await beta.repos.walletChallenges.consume(nonce.nonce, 'link', 's', ada.id), undefined);
    assert.ok(await ctx.scope.repos.walletChallenges.consume(nonce.nonce, 'link', 's', ada.id));
  });

  it('deleting an issuer deletes its wallets and nonces', async () => {
    const gamma = await secondIssuer(ctx, 'wallet-gamma');
    const user = await gamma.repos.users.create({
      email: 'gamma@example.com',
      emailVerified: true,
      passwordHash: await hashPassword('correct horse battery staple'),
      name: 'G',
      givenName: null,
      familyName: null,
      preferredUsername: null,
    });
    await gamma.repos.wallets.link({ userId: user.id, address: ADDRESS, chainId: 1, label: null });
    await gamma.repos.walletChallenges.create({ purpose: 'link', binding: 's', userId: user.id, address: ADDRESS, chainId: 1, ttl: 300 });
    assert.equal(await deleteIssuer(ctx.services, 'wallet-gamma', true), true);
    const db = ctx.services.store.db;
    assert.equal((await db.selectFrom('wallets').select('id').where('issuer_id', '=', 'wallet-gamma').execute()).length, 0);
    assert.equal((await db.selectFrom('wallet_challenges').select('nonce').where('issuer_id', '=', 'wallet-gamma').execute()).length, 0);
  });
});
