import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FeedPosition, RevokedEntry } from '../../src/store/repos/revocation-feed.js';
import { nextPosition } from '../../src/endpoints/revocation-feed.js';
import { type TestContext, createTestClient, createTestContext, createTestUser } from '../helpers/harness.js';

// The revocation feed's repository (migration 034) on both backends: revoked grants and access
// tokens in revocation order, paged by position, only while a token they name can be valid.
describe('revocation feed repository', () => {
  let ctx: TestContext;
  let clientId: string;
  let userId: string;
  const TTL = 900;
  const START: FeedPosition = { revokedAt: 0, kind: '', id: '' };

  before(async () => {
    ctx = await createTestContext();
    clientId = (await createTestClient(ctx)).client.id;
    userId = (await createTestUser(ctx)).id;
  });
  after(() => ctx.close());

  const repos = () => ctx.scope.repos;
  const grant = async (): Promise<string> =>
    (await repos().grants.create({ clientId, userId, scope: 'openid', sid: null, authTime: null, resource: null }, 3600)).id;
  const all = async (from = START): Promise<RevokedEntry[]> => {
    const out: RevokedEntry[] = [];
    let at = from;
    for (;;) {
      const page = await repos().revocationFeed.after(at, 2, TTL);
      out.push(...page);
      const last = page.at(-1);
      if (page.length < 2 || !last) return out;
      at = { revokedAt: last.revokedAt, kind: last.kind, id: last.id };
    }
  };

  it('lists revoked grants and access tokens in revocation order, each once across pages, live grants never', async () => {
    const live = await grant();
    const g1 = await grant();
    const g2 = await grant();
    const g3 = await grant();
    const t0 = ctx.clock();
    await repos().grants.revoke(g1, 'revoked_by_client');
    await repos().accessTokenRevocations.revoke('jti-one', t0 + 600, { clientId });
    ctx.clock.advance(1);
    await repos().grants.revoke(g2, 'revoked_by_admin');
    await repos().grants.revoke(g3, 'revoked_by_user');
    await repos().accessTokenRevocations.revoke('jti-two', t0 + 700, { clientId });
    const entries = (await all({ revokedAt: t0, kind: '', id: '' })).filter((e) => [g1, g2, g3, 'jti-one', 'jti-two'].includes(e.id));
    const [first, second] = [g2, g3].sort();
    assert.deepEqual(
      entries.map((e) => [e.kind, e.id, e.revokedAt]),
      [
        ['grant', g1, t0],
        ['jti', 'jti-one', t0],
        ['grant', first, t0 + 1],
        ['grant', second, t0 + 1],
        ['jti', 'jti-two', t0 + 1],
      ],
    );
    assert.ok(!(await all()).some((e) => e.id === live), 'a live grant is not revoked');
    // A grant's tokens were issued by its revocation: none outlives it by more than the lifetime.
    assert.equal(entries[0]?.expiresAt, t0 + TTL);
    assert.equal(entries[1]?.expiresAt, t0 + 600, "a token's own expiry");
    const after = await all({ revokedAt: t0 + 1, kind: 'grant', id: second as string });
    assert.deepEqual(
      after.map((e) => e.id),
      ['jti-two'],
      'strictly after the position',
    );
  });

  it('leaves out entries once no token they name can be valid any more', async () => {
    const g = await grant();
    await repos().grants.revoke(g, 'revoked_by_client');
    await repos().accessTokenRevocations.revoke('jti-short', ctx.clock() + 60);
    assert.ok((await all()).some((e) => e.id === g));
    ctx.clock.advance(61);
    assert.ok(!(await all()).some((e) => e.id === 'jti-short'), 'the token expired');
    assert.ok((await all()).some((e) => e.id === g));
    ctx.clock.advance(TTL);
    assert.ok(!(await all()).some((e) => e.id === g), "the grant's last token expired");
  });

  it('a grant that ended before its revocation lists the end of its last token', async () => {
    const g = (await repos().grants.create({ clientId, userId, scope: 'openid', sid: null, authTime: null, resource: null }, 10)).id;
    ctx.clock.advance(20);
    await repos().grants.revoke(g, 'revoked_by_admin');
    const entry = (await all()).find((e) => e.id === g);
    assert.ok(entry);
    assert.equal(entry.expiresAt, entry.revokedAt - 10 + TTL);
  });

  it('revoking an access token records access_token.revoked once, with its jti and expiry', async () => {
    const exp = ctx.clock() + 300;
    await repos().accessTokenRevocations.revoke('jti-evented', exp, { clientId, userId });
    await repos().accessTokenRevocations.revoke('jti-evented', exp, { clientId, userId });
    const events = (await repos().events.list({ type: 'access_token.revoked', limit: 1000 })).filter(
      (e) => (e.payload as { jti: string }).jti === 'jti-evented',
    );
    assert.equal(events.length, 1);
    assert.deepEqual(events[0]?.payload, { jti: 'jti-evented', expires_at: exp });
    assert.equal(events[0]?.clientId, clientId);
    assert.equal(events[0]?.userId, userId);
  });

  it('the next cursor stays the settle window behind the present, never goes back, and follows a full page', () => {
    const now = 10_000;
    const e = (revokedAt: number, id: string): RevokedEntry => ({ kind: 'grant', id, revokedAt, expiresAt: revokedAt + 900 });
    assert.deepEqual(nextPosition(START, [e(9_000, 'a')], false, now), { revokedAt: 9_000, kind: 'grant', id: 'a' });
    const held = nextPosition(START, [e(9_999, 'b')], false, now);
    assert.ok(held.revokedAt < 9_999 && held.revokedAt >= now - 10, 'recent entries are sent again');
    const from: FeedPosition = { revokedAt: 9_999, kind: 'grant', id: 'b' };
    assert.deepEqual(nextPosition(from, [], false, now), from, 'never behind the caller');
    assert.deepEqual(nextPosition(START, [e(9_999, 'c')], true, now), { revokedAt: 9_999, kind: 'grant', id: 'c' }, 'a full page moves on');
  });
});
