import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { admin, personToken } from '../helpers/admin-api.js';
import { type TestContext, createTestContext } from '../helpers/harness.js';

// The MFA policy's settings through the Admin API: the issuer's remember_device, an
// organization's mfa, a client's require_mfa.
describe('Admin API: MFA policy settings', () => {
  let ctx: TestContext;
  let owner: string;
  before(async () => {
    ctx = await createTestContext();
    ({ token: owner } = await personToken(ctx, 'owner'));
  });
  after(() => ctx.close());

  it('sets the issuer’s mfa and remember_device', async () => {
    const res = await admin(ctx, owner, 'PATCH', '/settings', { mfa: 'optional', remember_device: true });
    assert.equal(res.status, 200, await res.clone().text());
    const body = (await res.json()) as { mfa: string; remember_device: boolean };
    assert.deepEqual([body.mfa, body.remember_device], ['optional', true]);
    assert.equal((await ctx.services.scopes.defaultScope()).settings.rememberDevice, true);
    assert.equal((await admin(ctx, owner, 'PATCH', '/settings', { remember_device: 'yes' })).status, 400);
  });

  it('sets an organization’s mfa, records the change, and refuses an unknown value', async () => {
    assert.equal((await admin(ctx, owner, 'POST', '/organizations', { id: 'strict', name: 'Strict' })).status, 201);
    const res = await admin(ctx, owner, 'PATCH', '/organizations/strict', { mfa: 'required' });
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(((await res.json()) as { mfa: string }).mfa, 'required');
    assert.equal(await ctx.scope.repos.mfaPolicies.organizationPolicy('strict'), 'required');
    const [event] = await ctx.scope.repos.events.list({ type: 'organization.updated', limit: 1 });
    assert.deepEqual((event?.payload as { changed: string[] } | undefined)?.changed, ['mfa']);
    assert.equal((await admin(ctx, owner, 'PATCH', '/organizations/strict', { mfa: 'always' })).status, 400);
  });

  it('sets a client’s require_mfa', async () => {
    const created = await admin(ctx, owner, 'POST', '/clients', {
      type: 'web',
      client_name: 'Vault',
      redirect_uris: ['https://vault.example.com/cb'],
      require_mfa: true,
    });
    assert.equal(created.status, 201, await created.clone().text());
    const client = (await created.json()) as { client_id: string; require_mfa: boolean };
    assert.equal(client.require_mfa, true);
    const patched = await admin(ctx, owner, 'PATCH', `/clients/${client.client_id}`, { require_mfa: false });
    assert.equal(((await patched.json()) as { require_mfa: boolean }).require_mfa, false);
    assert.equal((await ctx.scope.repos.clients.find(client.client_id))?.requireMfa, false);
  });
});
