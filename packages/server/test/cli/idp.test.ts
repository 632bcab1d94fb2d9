import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openClientSecret } from '../../src/federation/providers.js';
import { gatehouse, gatehouseJson } from '../helpers/cli-run.js';
import { type TestContext, createTestContext, secondIssuer } from '../helpers/harness.js';

describe('gatehouse idp', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext();
    await secondIssuer(ctx, 'acme');
  });
  after(() => ctx.close());

  it('creates a provider at the issuer named, from a preset, with the secret from stdin, sealed', async () => {
    const created = await gatehouseJson<Record<string, unknown>>(
      ctx,
      ['idp', 'create', '--issuer', 'acme', '--id', 'google', '--preset', 'google', '--client-id', '123.apps.googleusercontent.com', '--client-secret-stdin'],
      ['GOCSPX-from-stdin\n'],
    );
    assert.equal(created.id, 'google');
    assert.equal(created.issuer_url, 'https://accounts.google.com');
    assert.match(String(created.redirect_uri), /\/acme\/signin\/google\/callback$/);
    assert.ok(!JSON.stringify(created).includes('GOCSPX'));
    // The Admin API's view less its claim mapping and update time (cli/idp.ts describe).
    assert.deepEqual(Object.keys(created), [
      'id',
      'kind',
      'preset',
      'display_name',
      'issuer_url',
      'authorization_endpoint',
      'token_endpoint',
      'userinfo_endpoint',
      'client_id',
      'redirect_uri',
      'scopes',
      'trusted_for_linking',
      'trust_amr',
      'enabled',
      'default_sign_in',
      'created_at',
    ]);
    const acme = await ctx.services.scopes.byId('acme');
    assert.ok(acme);
    const provider = await acme.repos.upstreamProviders.find('google');
    assert.ok(provider);
    assert.equal(await openClientSecret(acme, provider), 'GOCSPX-from-stdin');
    assert.equal(await ctx.scope.repos.upstreamProviders.find('google'), undefined, 'not at the default issuer');

    const list = await gatehouse(ctx, ['idp', 'list', '--issuer', 'acme']);
    assert.equal(list.code, 0);
    assert.match(list.out, /^google\s+google\s+Google\s+asks password\s+enabled$/m);
  });

  it('updates and deletes; refuses a secret on the command line and bad input', async () => {
    const updated = await gatehouseJson<Record<string, unknown>>(ctx, [
      'idp',
      'update',
      'google',
      '--issuer',
      'acme',
      '--trusted-for-linking',
      'true',
      '--name',
      'Google Workspace',
    ]);
    assert.deepEqual([updated.trusted_for_linking, updated.display_name], [true, 'Google Workspace']);
    const flag = await gatehouse(ctx, ['idp', 'create', '--id', 'x', '--preset', 'google', '--client-id', 'c', '--client-secret', 'leak']);
    assert.equal(flag.code, 2);
    assert.match(flag.err, /no --client-secret flag/);
    const bad = await gatehouse(ctx, ['idp', 'create', '--id', 'x', '--issuer-url', 'http://idp.example', '--client-id', 'c', '--client-secret-stdin'], ['s']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /issuerUrl must be https/);
    const deleted = await gatehouse(ctx, ['idp', 'delete', 'google', '--issuer', 'acme']);
    assert.equal(deleted.code, 0);
    assert.equal((await gatehouse(ctx, ['idp', 'delete', 'google', '--issuer', 'acme'])).code, 1);
  });
});
