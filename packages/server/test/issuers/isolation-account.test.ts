import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { IssuerScope } from '../../src/issuers/scope.js';
import { createTestUser, type TestContext } from '../helpers/harness.js';
import { twoIssuers } from '../helpers/two-issuers.js';

// The account pages' rows, bound to one issuer: closure reasons, the sessions' device columns
// and last-seen writes, and anonymising a user; what issuer A has is unknown at issuer B, on
// SQLite and PostgreSQL alike.
describe('issuer isolation of the account pages’ rows', () => {
  let ctx: TestContext;
  let a: IssuerScope;
  let b: IssuerScope;
  before(async () => ({ ctx, a, b } = await twoIssuers()));
  after(() => ctx.close());

  it('account_closures: B lists none of A’s, and its own only', async () => {
    const mine = await a.repos.accountClosures.record({ userId: 'u-a', reason: 'privacy', details: 'why not', outcome: 'deleted' });
    const theirs = await b.repos.accountClosures.record({ userId: 'u-b', reason: 'other', details: null, outcome: 'anonymised' });
    assert.deepEqual(
      (await a.repos.accountClosures.list()).map((c) => c.id),
      [mine.id],
    );
    assert.deepEqual(
      (await b.repos.accountClosures.list()).map((c) => [c.id, c.userId, c.reason, c.details, c.outcome]),
      [[theirs.id, 'u-b', 'other', null, 'anonymised']],
    );
  });

  it('sessions: the device columns are stored and read back; B cannot touch or list A’s', async () => {
    const user = await createTestUser(ctx);
    const { session } = await a.repos.sessions.create(user.id, 3600, undefined, { userAgent: 'Firefox/133.0', ip: '192.0.2.7' });
    const [listed] = await a.repos.sessions.listForUser(user.id);
    assert.deepEqual([listed?.userAgent, listed?.ip, listed?.lastSeenAt], ['Firefox/133.0', '192.0.2.7', null]);
    assert.deepEqual(await b.repos.sessions.listForUser(user.id), []);
    ctx.clock.advance(600);
    await b.repos.sessions.touch(session);
    assert.equal((await a.repos.sessions.findById(session.id))?.lastSeenAt, null, 'B’s write reaches no row of A');
    await a.repos.sessions.touch(session);
    assert.equal((await a.repos.sessions.findById(session.id))?.lastSeenAt, ctx.clock());
    const started = await a.repos.events.page({ types: ['session.started'], userId: user.id, limit: 5 });
    assert.equal(started[0]?.address, '192.0.2.7', 'the sign-in’s event carries its address');
  });

  it('users.anonymise: B cannot anonymise A’s user', async () => {
    const user = await createTestUser(ctx);
    assert.equal(await b.repos.users.anonymise(user.id), false);
    assert.equal((await a.repos.users.findById(user.id))?.email, user.email);
    assert.equal(await a.repos.users.anonymise(user.id), true);
    const row = await a.repos.users.findById(user.id);
    assert.equal(row?.email, `closed-${user.id}@closed.invalid`);
    assert.equal(row?.disabled, true);
  });
});
