import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { IssuerScope } from '../../src/issuers/scope.js';
import { admin, adminPath, machineToken } from '../helpers/admin-api.js';
import { type TestContext, createTestContext, secondIssuer } from '../helpers/harness.js';

interface ClosurePage {
  data: { id: string; user_id: string; reason: string; details: string | null; outcome: string; closed_at: string }[];
  next_cursor: string | null;
}

describe('Admin API: account closures', () => {
  let ctx: TestContext;
  let beta: IssuerScope;
  let reader: string;
  before(async () => {
    ctx = await createTestContext();
    beta = await secondIssuer(ctx, 'closuresbeta');
    reader = (await machineToken(ctx, 'admin:read')).token;
    const closures = ctx.scope.repos.accountClosures;
    for (let i = 0; i < 5; i++) {
      await closures.record({ userId: `u-${i}`, reason: i % 2 ? 'privacy' : 'not_using', details: i === 3 ? 'Too many mails, سبب' : null, outcome: 'deleted' });
      ctx.clock.advance(60);
    }
    await closures.record({ userId: 'u-anon', reason: 'other', details: 'I moved', outcome: 'anonymised' });
    await beta.repos.accountClosures.record({ userId: 'u-beta', reason: 'privacy', details: 'beta only', outcome: 'deleted' });
  });
  after(() => ctx.close());

  const get = async (query: string, token = reader): Promise<Response> => admin(ctx, token, 'GET', `/account-closures${query}`);

  it('lists the issuer’s closures newest first: reason, the text as written, outcome, time', async () => {
    const res = await get('');
    assert.equal(res.status, 200);
    const page = (await res.json()) as ClosurePage;
    assert.deepEqual(
      page.data.map((c) => c.user_id),
      ['u-anon', 'u-4', 'u-3', 'u-2', 'u-1', 'u-0'],
    );
    assert.deepEqual(page.data[0], { ...page.data[0], reason: 'other', details: 'I moved', outcome: 'anonymised' });
    assert.equal(page.data[2]?.details, 'Too many mails, سبب');
    assert.equal(page.data[1]?.details, null);
    assert.match(page.data[0]?.closed_at ?? '', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    assert.equal(page.next_cursor, null);
    assert.ok(!page.data.some((c) => c.user_id === 'u-beta'), 'another issuer’s closures are not listed');
  });

  it('pages with limit and cursor, and filters by reason', async () => {
    const first = (await (await get('?limit=4')).json()) as ClosurePage;
    assert.equal(first.data.length, 4);
    assert.ok(first.next_cursor);
    const second = (await (await get(`?limit=4&cursor=${first.next_cursor}`)).json()) as ClosurePage;
    assert.deepEqual(
      second.data.map((c) => c.user_id),
      ['u-1', 'u-0'],
    );
    assert.equal(second.next_cursor, null);
    const privacy = (await (await get('?reason=privacy')).json()) as ClosurePage;
    assert.deepEqual(
      privacy.data.map((c) => c.user_id),
      ['u-3', 'u-1'],
    );
    assert.equal((await get('?reason=bored')).status, 400);
    assert.equal((await get('?cursor=nonsense')).status, 400);
  });

  it('needs a token of this issuer: none is 401; another issuer’s token sees only its own', async () => {
    assert.equal((await get('', '')).status, 401);
    const betaReader = (await machineToken(ctx, 'admin:read', beta)).token;
    assert.equal((await get('', betaReader)).status, 401, 'a token of another issuer is not one here');
    const res = await ctx.app.request(adminPath(beta, '/account-closures'), { headers: { authorization: `Bearer ${betaReader}` } });
    assert.equal(res.status, 200);
    const page = (await res.json()) as ClosurePage;
    assert.deepEqual(
      page.data.map((c) => [c.user_id, c.details]),
      [['u-beta', 'beta only']],
    );
  });
});
