import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { IssuerIdTakenError, IssuerRepository } from '../../../src/store/repos/issuers.js';
import { type TestContext, createTestContext } from '../../helpers/harness.js';

// IssuerRepository.update with a revision (the Admin API's If-Match on /settings and /issuers),
// and the issuer.updated event naming what differs, on the backend under test.
describe('store contract: issuers.update with a revision', () => {
  let ctx: TestContext;
  let issuers: IssuerRepository;
  before(async () => {
    ctx = await createTestContext();
    issuers = new IssuerRepository(ctx.services.store.db, ctx.clock);
  });
  after(() => ctx.close());

  it('bumps the revision; a stale one writes nothing', async () => {
    const created = await issuers.create({ id: 'rev', name: 'Rev', settings: { brand: { color: '#1f6feb' } } });
    assert.equal(created.revision, 1);
    assert.equal(await issuers.update('rev', { name: 'Rev 2' }, 2), false, 'another revision');
    assert.equal((await issuers.find('rev'))?.name, 'Rev');
    assert.equal(await issuers.update('rev', { name: 'Rev 2' }, 1), true);
    assert.equal((await issuers.find('rev'))?.revision, 2);
    assert.equal(await issuers.update('rev', { name: 'Rev 3' }), true, 'unconditional');
    assert.equal((await issuers.find('rev'))?.revision, 3);
    assert.equal(await issuers.update('nope', { name: 'x' }, 1), false);
  });

  it('records issuer.updated naming what differs', async () => {
    await issuers.update('rev', { settings: { brand: { color: '#1f6feb', logoUrl: 'https://a.example/l.png' }, mfa: 'optional' }, also: ['domains'] });
    const scope = await ctx.services.scopes.byId('rev');
    assert.ok(scope);
    const [event] = await scope.repos.events.list({ type: 'issuer.updated', limit: 1 });
    assert.deepEqual(event?.payload, { changed: ['brand.logoUrl', 'mfa', 'domains'] });
  });

  it('a taken id, live or deleted, is an IssuerIdTakenError', async () => {
    await assert.rejects(issuers.create({ id: 'rev', name: 'Again' }), IssuerIdTakenError);
    assert.equal(await issuers.delete('rev'), true);
    await assert.rejects(issuers.create({ id: 'rev', name: 'Again' }), /never given out again/);
  });
});
