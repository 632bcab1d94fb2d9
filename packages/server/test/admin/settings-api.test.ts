import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestContext, createTestContext } from '../helpers/harness.js';
import { admin, personToken } from '../helpers/admin-api.js';

interface Settings {
  display_name: string;
  brand_color: string;
  support_url: string | null;
  access_token_ttl: number;
  mfa: string;
}

describe('Admin API: settings of the current issuer', () => {
  let ctx: TestContext;
  let owner: string;
  let writer: string;
  let viewer: string;
  before(async () => {
    ctx = await createTestContext();
    owner = (await personToken(ctx, 'owner')).token;
    writer = (await personToken(ctx, 'admin')).token;
    viewer = (await personToken(ctx, 'viewer')).token;
  });
  after(() => ctx.close());

  it('reads the effective settings with an ETag', async () => {
    const res = await admin(ctx, viewer, 'GET', '/settings');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('etag') ?? '', /^"\d+"$/);
    const settings = (await res.json()) as Settings;
    assert.equal(settings.access_token_ttl, ctx.config.accessTokenTtl);
    assert.equal(settings.display_name, ctx.config.brand.name);
  });

  it('changes branding with write, records issuer.updated with the actor, and the pages show it', async () => {
    const read = await admin(ctx, writer, 'GET', '/settings');
    const etag = read.headers.get('etag') ?? '';
    const res = await admin(
      ctx,
      writer,
      'PATCH',
      '/settings',
      { display_name: 'Acme Login', brand_color: '#1f4fd1', support_url: 'https://help.acme.example/' },
      { 'if-match': etag },
    );
    assert.equal(res.status, 200, await res.clone().text());
    assert.notEqual(res.headers.get('etag'), etag);
    const changed = (await res.json()) as Settings;
    assert.deepEqual([changed.display_name, changed.brand_color, changed.support_url], ['Acme Login', '#1f4fd1', 'https://help.acme.example/']);
    const [event] = await ctx.scope.repos.events.list({ type: 'issuer.updated', limit: 1 });
    assert.match(event?.actor ?? '', /^user:/);
    assert.deepEqual((event?.payload as { changed: string[] } | undefined)?.changed, ['name', 'brand.color', 'brand.supportUrl']);
    // The scope is re-read: the hosted sign-in page carries the new name.
    const scope = await ctx.services.scopes.defaultScope();
    assert.equal(scope.settings.brand.name, 'Acme Login');
    const stale = await admin(ctx, writer, 'PATCH', '/settings', { display_name: 'Late' }, { 'if-match': etag });
    assert.equal(stale.status, 412);
    const cleared = await admin(ctx, writer, 'PATCH', '/settings', { support_url: '' });
    assert.equal(((await cleared.json()) as Settings).support_url, null);
  });

  it('refuses a brand colour below WCAG AA, naming the field, and writes nothing', async () => {
    const res = await admin(ctx, writer, 'PATCH', '/settings', { brand_color: '#7fb3ff', display_name: 'Never' });
    assert.equal(res.status, 400);
    const problem = (await res.json()) as { errors: { field: string; detail: string }[] };
    assert.equal(problem.errors[0]?.field, 'brand_color');
    assert.match(problem.errors[0]?.detail ?? '', /contrast of [\d.]+:1 with white; WCAG AA needs 4.5:1/);
    assert.notEqual(((await (await admin(ctx, viewer, 'GET', '/settings')).json()) as Settings).display_name, 'Never');
  });

  it('lifetimes and policies need the owner role; bad values are 400 naming the field', async () => {
    const refused = await admin(ctx, writer, 'PATCH', '/settings', { access_token_ttl: 600 });
    assert.equal(refused.status, 403);
    const mixed = await admin(ctx, writer, 'PATCH', '/settings', { display_name: 'Mixed', mfa: 'required' });
    assert.equal(mixed.status, 403, 'one policy field makes the whole patch an owner’s');
    const res = await admin(ctx, owner, 'PATCH', '/settings', { access_token_ttl: 600, mfa: 'optional', login_max_failures: 5 });
    assert.equal(res.status, 200, await res.clone().text());
    assert.deepEqual((({ access_token_ttl, mfa }) => ({ access_token_ttl, mfa }))((await res.json()) as Settings), { access_token_ttl: 600, mfa: 'optional' });
    for (const [body, field] of [
      [{ access_token_ttl: 5 }, 'access_token_ttl'],
      [{ logo_url: 'http://insecure.example/logo.png' }, 'logo_url'],
      [{ sign_up: 'sometimes' }, 'sign_up'],
      [{ closed_accounts: 'shred' }, 'closed_accounts'],
      [{ colour: 'red' }, 'colour'],
      [{}, 'body'],
    ] as const) {
      const bad = await admin(ctx, owner, 'PATCH', '/settings', body);
      assert.equal(bad.status, 400, JSON.stringify(body));
      assert.equal(((await bad.json()) as { errors: { field: string }[] }).errors[0]?.field, field, JSON.stringify(body));
    }
  });

  it('closed_accounts: delete by default, anonymise when an owner says so', async () => {
    const read = await admin(ctx, owner, 'GET', '/settings');
    assert.equal(((await read.json()) as { closed_accounts: string }).closed_accounts, 'delete');
    assert.equal((await admin(ctx, writer, 'PATCH', '/settings', { closed_accounts: 'anonymise' })).status, 403, 'a policy: owners only');
    const res = await admin(ctx, owner, 'PATCH', '/settings', { closed_accounts: 'anonymise' });
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(((await res.json()) as { closed_accounts: string }).closed_accounts, 'anonymise');
    assert.equal((await ctx.services.scopes.defaultScope()).settings.closedAccounts, 'anonymise');
  });

  it('viewers may not change anything', async () => {
    assert.equal((await admin(ctx, viewer, 'PATCH', '/settings', { display_name: 'Viewer' })).status, 403);
  });
});
