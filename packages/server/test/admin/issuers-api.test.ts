import { at } from '../helpers/prefix.js';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestContext, createTestContext } from '../helpers/harness.js';
import { admin, personToken } from '../helpers/admin-api.js';

interface IssuerView {
  id: string;
  name: string;
  url: string;
  domains: string[];
  settings: { brand_color: string; access_token_ttl: number };
}

describe('Admin API: issuers (system owners)', () => {
  let ctx: TestContext;
  let system: string;
  before(async () => {
    ctx = await createTestContext();
    system = (await personToken(ctx, 'owner')).token;
  });
  after(() => ctx.close());

  it('creates an issuer with settings and a domain, through the issuers service', async () => {
    const res = await admin(ctx, system, 'POST', '/issuers', {
      id: 'acme',
      name: 'Acme',
      domains: ['login.acme.example'],
      settings: { brand_color: '#0b5d1e', access_token_ttl: 600 },
    });
    assert.equal(res.status, 201, await res.clone().text());
    assert.equal(res.headers.get('location'), at('/admin/api/v1/issuers/acme'));
    const created = (await res.json()) as IssuerView;
    assert.deepEqual(
      {
        id: created.id,
        name: created.name,
        url: created.url,
        domains: created.domains,
        color: created.settings.brand_color,
        ttl: created.settings.access_token_ttl,
      },
      { id: 'acme', name: 'Acme', url: 'https://login.acme.example', domains: ['login.acme.example'], color: '#0b5d1e', ttl: 600 },
    );
    const scope = await ctx.services.scopes.byId('acme');
    assert.ok(scope);
    assert.ok((await scope.keys.list()).length > 0, 'signing keys made with it');
    const [event] = await scope.repos.events.list({ type: 'issuer.created' });
    assert.match(event?.actor ?? '', /^user:/);
    const list = (await (await admin(ctx, system, 'GET', '/issuers')).json()) as { data: IssuerView[] };
    assert.deepEqual(
      list.data.map((i) => i.id),
      ['default', 'acme'],
    );
  });

  it('refuses a taken id (409), a bad id or setting (400)', async () => {
    const again = await admin(ctx, system, 'POST', '/issuers', { id: 'acme', name: 'Again' });
    assert.equal(again.status, 409);
    assert.equal((await admin(ctx, system, 'POST', '/issuers', { id: 'Not An Id', name: 'X' })).status, 400);
    const color = await admin(ctx, system, 'POST', '/issuers', { id: 'pale', name: 'Pale', settings: { brand_color: '#eeeeee' } });
    assert.equal(color.status, 400);
    assert.equal(((await color.json()) as { errors: { field: string }[] }).errors[0]?.field, 'brand_color');
    assert.equal((await admin(ctx, system, 'POST', '/issuers', { id: 'dom', name: 'D', domains: ['login.acme.example'] })).status, 409);
  });

  it('changes an issuer with If-Match: name, settings and domains', async () => {
    const read = await admin(ctx, system, 'GET', '/issuers/acme');
    assert.equal(read.status, 200);
    const etag = read.headers.get('etag') ?? '';
    const res = await admin(
      ctx,
      system,
      'PATCH',
      '/issuers/acme',
      { name: 'Acme Corp', settings: { mfa: 'required' }, add_domains: ['id.acme.example'], remove_domains: ['login.acme.example'] },
      { 'if-match': etag },
    );
    assert.equal(res.status, 200, await res.clone().text());
    const changed = (await res.json()) as IssuerView;
    assert.deepEqual([changed.name, changed.domains], ['Acme Corp', ['id.acme.example']]);
    assert.equal((await admin(ctx, system, 'PATCH', '/issuers/acme', { name: 'Late' }, { 'if-match': etag })).status, 412);
    assert.equal((await admin(ctx, system, 'PATCH', '/issuers/nope', { name: 'X' })).status, 404);
    assert.equal((await admin(ctx, system, 'PATCH', '/issuers/acme', {})).status, 400, 'nothing to change');
  });

  it('deletes only with force while it has users; the id is never given out again; the default issuer stays', async () => {
    const scope = await ctx.services.scopes.byId('acme');
    assert.ok(scope);
    await scope.repos.users.create({ email: 'ada@acme.example', passwordHash: null });
    const refused = await admin(ctx, system, 'DELETE', '/issuers/acme');
    assert.equal(refused.status, 409);
    assert.match(((await refused.json()) as { detail: string }).detail, /1 user.*force=true/);
    assert.equal((await admin(ctx, system, 'DELETE', '/issuers/acme?force=true')).status, 204);
    assert.equal((await admin(ctx, system, 'GET', '/issuers/acme')).status, 404);
    const reused = await admin(ctx, system, 'POST', '/issuers', { id: 'acme', name: 'Acme again' });
    assert.equal(reused.status, 409);
    assert.match(((await reused.json()) as { detail: string }).detail, /never given out again/);
    assert.equal((await admin(ctx, system, 'DELETE', '/issuers/default')).status, 409);
    const [event] = await ctx.scope.repos.events.list({ type: 'issuer.deleted', limit: 1 });
    assert.deepEqual(event?.payload, { users: 1 });
  });

  it('is for owners of the default issuer only', async () => {
    const adminRole = (await personToken(ctx, 'admin')).token;
    assert.equal((await admin(ctx, adminRole, 'GET', '/issuers')).status, 403);
  });
});
