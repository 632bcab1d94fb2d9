import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createIssuer } from '../../src/issuers/service.js';
import type { IssuerScope } from '../../src/issuers/scope.js';
import { scopeOf } from '../../src/services.js';
import { MAX_CODE_ATTEMPTS } from '../../src/store/repos/email-verifications.js';
import { type TestContext, createTestContext } from '../helpers/harness.js';

// The pending verifications of sign-up and email changes (signup/): each is good once, counts
// its code guesses, and an issuer neither sees nor spends another issuer's, on both backends.
describe('email verifications repository', () => {
  let ctx: TestContext;
  let a: IssuerScope;
  let b: IssuerScope;

  before(async () => {
    ctx = await createTestContext();
    await createIssuer(ctx.services, { id: 'beta', name: 'Beta' });
    a = ctx.scope;
    b = await scopeOf(ctx.services, 'beta');
  });
  after(() => ctx.close());

  const signUp = (scope: IssuerScope, email: string, interactionId = 'interaction-one-1234') =>
    scope.repos.emailVerifications.create({ purpose: 'sign_up', email, name: 'N', passwordHash: '$argon2id$x', interactionId, locale: 'en' }, 900);

  it('arms, finds by token, and spends once by token; the spent row is no longer found', async () => {
    const id = await signUp(a, 'one@example.com');
    assert.ok(await a.repos.emailVerifications.arm(id, 'code-hash', 'token-hash-1', 900));
    assert.equal((await a.repos.emailVerifications.findByToken('token-hash-1'))?.id, id);
    const spent = await a.repos.emailVerifications.spendByToken('token-hash-1');
    assert.equal(spent?.email, 'one@example.com');
    assert.equal(spent?.passwordHash, '$argon2id$x');
    assert.equal(await a.repos.emailVerifications.spendByToken('token-hash-1'), undefined);
    assert.equal(await a.repos.emailVerifications.spend(id), undefined);
    assert.equal(await a.repos.emailVerifications.findLive(id), undefined);
  });

  it('of concurrent spends exactly one wins', async () => {
    const id = await signUp(a, 'race@example.com');
    await a.repos.emailVerifications.arm(id, 'c', 'token-hash-race', 900);
    const results = await Promise.all(
      [1, 2, 3, 4].map((i) => (i % 2 ? a.repos.emailVerifications.spend(id) : a.repos.emailVerifications.spendByToken('token-hash-race'))),
    );
    assert.equal(results.filter(Boolean).length, 1);
  });

  it('counts code attempts before they are compared, and gives none past the limit, concurrently too', async () => {
    const id = await signUp(a, 'count@example.com');
    await a.repos.emailVerifications.arm(id, 'the-code-hash', 'token-hash-count', 900);
    const tries = await Promise.all(Array.from({ length: MAX_CODE_ATTEMPTS + 3 }, () => a.repos.emailVerifications.countAttempt(id)));
    assert.equal(tries.filter(Boolean).length, MAX_CODE_ATTEMPTS);
    assert.equal(tries.find(Boolean)?.codeHash, 'the-code-hash');
    // Re-arming (a new mail) gives the row its attempts back with a new code.
    assert.ok(await a.repos.emailVerifications.arm(id, 'new-hash', 'token-hash-count-2', 900));
    assert.equal((await a.repos.emailVerifications.countAttempt(id))?.codeHash, 'new-hash');
  });

  it('expires on the clock', async () => {
    const id = await signUp(a, 'expire@example.com');
    await a.repos.emailVerifications.arm(id, 'c', 'token-hash-expire', 900);
    ctx.clock.advance(901);
    assert.equal(await a.repos.emailVerifications.findLive(id), undefined);
    assert.equal(await a.repos.emailVerifications.spendByToken('token-hash-expire'), undefined);
    assert.equal(await a.repos.emailVerifications.countAttempt(id), undefined);
    assert.equal(await a.repos.emailVerifications.arm(id, 'c', 't', 900), false);
  });

  it('finds the newest of an interaction and of a user, and spends the pending ones of an address or user', async () => {
    const first = await signUp(a, 'same@example.com', 'interaction-two-12345');
    ctx.clock.advance(1);
    const second = await signUp(a, 'same@example.com', 'interaction-two-12345');
    assert.equal((await a.repos.emailVerifications.latestForInteraction('interaction-two-12345'))?.id, second);
    const change = await a.repos.emailVerifications.create({ purpose: 'email_change', email: 'new@example.com', userId: 'user-1', locale: 'de' }, 900);
    assert.equal((await a.repos.emailVerifications.latestForUser('user-1'))?.id, change);
    assert.equal((await a.repos.emailVerifications.latestForUser('user-1'))?.locale, 'de');
    await a.repos.emailVerifications.spendPending({ email: 'same@example.com', purpose: 'sign_up' });
    assert.equal(await a.repos.emailVerifications.findLive(first), undefined);
    assert.equal(await a.repos.emailVerifications.findLive(second), undefined);
    assert.ok(await a.repos.emailVerifications.findLive(change), 'another purpose is not touched');
    await a.repos.emailVerifications.spendPending({ userId: 'user-1', purpose: 'email_change' });
    assert.equal(await a.repos.emailVerifications.findLive(change), undefined);
  });

  it('two issuers: B neither sees, counts, arms nor spends A’s verifications, and A’s bulk spends leave B’s alone', async () => {
    const idA = await signUp(a, 'shared@example.com', 'interaction-iso-12345');
    await a.repos.emailVerifications.arm(idA, 'code-a', 'token-hash-iso', 900);
    const idB = await signUp(b, 'shared@example.com', 'interaction-iso-12345');
    await b.repos.emailVerifications.arm(idB, 'code-b', 'token-hash-iso-b', 900);
    const changeB = await b.repos.emailVerifications.create({ purpose: 'email_change', email: 'x@example.com', userId: 'user-iso', locale: 'en' }, 900);

    assert.equal(await b.repos.emailVerifications.findLive(idA), undefined);
    assert.equal(await b.repos.emailVerifications.findByToken('token-hash-iso'), undefined);
    assert.equal((await b.repos.emailVerifications.latestForInteraction('interaction-iso-12345'))?.id, idB);
    assert.equal(await b.repos.emailVerifications.countAttempt(idA), undefined);
    assert.equal(await b.repos.emailVerifications.arm(idA, 'evil', 'evil', 900), false);
    assert.equal(await b.repos.emailVerifications.spend(idA), undefined);
    assert.equal(await b.repos.emailVerifications.spendByToken('token-hash-iso'), undefined);
    assert.equal(await a.repos.emailVerifications.latestForUser('user-iso'), undefined);

    await a.repos.emailVerifications.spendPending({ email: 'shared@example.com', purpose: 'sign_up' });
    await a.repos.emailVerifications.spendPending({ userId: 'user-iso', purpose: 'email_change' });
    assert.ok(await b.repos.emailVerifications.findLive(idB));
    assert.ok(await b.repos.emailVerifications.findLive(changeB));
    assert.equal(await a.repos.emailVerifications.findLive(idA), undefined, 'A’s own was spent');
  });
});

describe('interactions: keepUntil (a sign-up waiting for its code)', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext();
  });
  after(() => ctx.close());

  it('lengthens an open interaction, never shortens one, leaves a finished one finished, and only at its issuer', async () => {
    await createIssuer(ctx.services, { id: 'gamma', name: 'Gamma' });
    const other = await scopeOf(ctx.services, 'gamma');
    const repo = ctx.scope.repos.interactions;
    const { interaction } = await repo.create({ account: true }, 'login', 600, null, null);
    await other.repos.interactions.keepUntil(interaction.id, ctx.clock() + 3600);
    await repo.keepUntil(interaction.id, ctx.clock() + 900);
    await repo.keepUntil(interaction.id, ctx.clock() + 60);
    ctx.clock.advance(800);
    assert.ok(await repo.find(interaction.id), 'alive past its own ten minutes');
    ctx.clock.advance(101);
    assert.equal(await repo.find(interaction.id), undefined, 'and not past the fifteen, whatever the other issuer asked');

    const { interaction: done } = await repo.create({ account: true }, 'login', 600, null, null);
    assert.ok(await repo.complete(done.id));
    await repo.keepUntil(done.id, ctx.clock() + 900);
    assert.equal(await repo.find(done.id), undefined);
  });
});
