import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { IssuerScope } from '../../src/issuers/scope.js';
import type { TestContext } from '../helpers/harness.js';
import { twoIssuers } from '../helpers/two-issuers.js';

// The audit log's page and the issuer settings the Admin API edits, bound to one issuer: what
// issuer A recorded or set is unknown at issuer B, on SQLite and PostgreSQL alike.
describe('issuer isolation of the audit log and issuer settings', () => {
  let ctx: TestContext;
  let a: IssuerScope;
  let b: IssuerScope;
  before(async () => ({ ctx, a, b } = await twoIssuers()));
  after(() => ctx.close());

  it('events.page: B sees none of A’s events, by any filter or cursor', async () => {
    const id = await a.repos.events.record({ type: 'user.created', userId: 'u-iso', actor: 'cli', payload: {} });
    const mine = await a.repos.events.page({ userId: 'u-iso', limit: 10 });
    assert.deepEqual(
      mine.map((e) => e.id),
      [id],
    );
    const event = mine[0];
    assert.ok(event);
    for (const q of [{}, { userId: 'u-iso' }, { actor: 'cli' }, { types: ['user.created' as const] }]) {
      assert.ok(!(await b.repos.events.page({ ...q, limit: 1000 })).some((e) => e.id === id));
    }
    assert.ok(!(await b.repos.events.page({ limit: 1000, before: [event.occurredAt + 1, ''] })).some((e) => e.id === id));
  });

  it('settings: a change at B leaves A as it was, and B’s revision is its own', async () => {
    const before = await ctx.services.scopes.issuers.find('default');
    assert.ok(before);
    const beta = await ctx.services.scopes.issuers.find('beta');
    assert.ok(beta);
    assert.equal(await ctx.services.scopes.issuers.update('beta', { name: 'Beta 2', settings: { mfa: 'required' } }, beta.revision), true);
    const after = await ctx.services.scopes.issuers.find('default');
    assert.deepEqual(after, before);
    assert.equal((await a.repos.events.page({ types: ['issuer.updated'], limit: 100 })).length, 0, 'B’s event is in B’s log');
    assert.equal((await b.repos.events.page({ types: ['issuer.updated'], limit: 100 })).length, 1);
  });
});
