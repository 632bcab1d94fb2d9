import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createProvider } from '../../src/federation/providers.js';
import { createOrganization, setRole } from '../../src/services/organizations.js';
import { gatehouse, gatehouseJson } from '../helpers/cli-run.js';
import { type TestContext, createTestContext, secondIssuer } from '../helpers/harness.js';

describe('gatehouse org sso', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext();
    const acme = await secondIssuer(ctx, 'acme');
    await createProvider(acme, { id: 'okta', issuerUrl: 'https://okta.example', clientId: 'c', clientSecret: 's' });
    await createOrganization(acme, { id: 'eng', name: 'Engineering' });
    await setRole(acme, 'eng', 'developer', ['write:code']);
    await setRole(acme, 'eng', 'admin', []);
    await createOrganization(ctx.scope, { id: 'eng', name: 'Engineering at the default issuer' });
  });
  after(() => ctx.close());

  it('sets, shows and clears an organization’s SSO at the issuer named, as the Admin API’s service does', async () => {
    const set = await gatehouseJson<Record<string, unknown>>(ctx, [
      'org',
      'sso',
      'set',
      'eng',
      '--issuer',
      'acme',
      '--provider',
      'okta',
      '--required',
      '--role-claim',
      'groups',
      '--role-map',
      '{"engineers": ["developer"], "it-admins": ["admin", "developer"]}',
    ]);
    assert.deepEqual(
      { ...set, updated_at: undefined },
      {
        organization: 'eng',
        provider_id: 'okta',
        required: true,
        role_claim: 'groups',
        role_map: { engineers: ['developer'], 'it-admins': ['admin', 'developer'] },
        updated_at: undefined,
      },
    );
    const acme = await ctx.services.scopes.byId('acme');
    assert.equal((await acme?.repos.organizationSso.find('eng'))?.required, true);
    assert.equal(await ctx.scope.repos.organizationSso.find('eng'), undefined, 'not at the default issuer');

    const shown = await gatehouse(ctx, ['org', 'sso', 'show', 'eng', '--issuer', 'acme']);
    assert.equal(shown.code, 0);
    assert.match(shown.out, /^Provider:\s+okta$/m);
    assert.match(shown.out, /^Required:\s+yes/m);
    assert.match(shown.out, /^ {2}it-admins -> admin, developer$/m);

    // Without --required: members sign in any way, the provider only gives roles.
    const optional = await gatehouseJson<{ required: boolean; role_map: object }>(ctx, ['org', 'sso', 'set', 'eng', '--issuer', 'acme', '--provider', 'okta']);
    assert.equal(optional.required, false);
    assert.deepEqual(optional.role_map, {});

    const cleared = await gatehouse(ctx, ['org', 'sso', 'clear', 'eng', '--issuer', 'acme']);
    assert.equal(cleared.code, 0);
    assert.equal(await acme?.repos.organizationSso.find('eng'), undefined);
    assert.deepEqual(await gatehouseJson(ctx, ['org', 'sso', 'show', 'eng', '--issuer', 'acme']), { organization: 'eng', sso: null });
    assert.equal((await gatehouse(ctx, ['org', 'sso', 'clear', 'eng', '--issuer', 'acme'])).code, 1, 'nothing to clear');
  });

  it('refuses what the service refuses, and input that is not valid', async () => {
    const unknownProvider = await gatehouse(ctx, ['org', 'sso', 'set', 'eng', '--provider', 'okta']);
    assert.equal(unknownProvider.code, 2, 'okta is a provider of acme only');
    assert.match(unknownProvider.err, /no upstream provider okta/);
    const unknownRole = await gatehouse(ctx, [
      'org',
      'sso',
      'set',
      'eng',
      '--issuer',
      'acme',
      '--provider',
      'okta',
      '--role-claim',
      'groups',
      '--role-map',
      '{"x": ["owner"]}',
    ]);
    assert.equal(unknownRole.code, 2);
    assert.match(unknownRole.err, /has no role owner/);
    const noClaim = await gatehouse(ctx, ['org', 'sso', 'set', 'eng', '--issuer', 'acme', '--provider', 'okta', '--role-map', '{"x": ["admin"]}']);
    assert.equal(noClaim.code, 2);
    assert.match(noClaim.err, /needs the claim/);
    const notJson = await gatehouse(ctx, ['org', 'sso', 'set', 'eng', '--issuer', 'acme', '--provider', 'okta', '--role-map', '{engineers: developer}']);
    assert.equal(notJson.code, 2);
    assert.match(notJson.err, /--role-map must be JSON/);
    const notMap = await gatehouse(ctx, ['org', 'sso', 'set', 'eng', '--issuer', 'acme', '--provider', 'okta', '--role-map', '{"x": "admin"}']);
    assert.equal(notMap.code, 2);
    assert.match(notMap.err, /lists of role names/);
    const noProvider = await gatehouse(ctx, ['org', 'sso', 'set', 'eng', '--issuer', 'acme']);
    assert.equal(noProvider.code, 2);
    assert.match(noProvider.err, /missing --provider/);
    const noOrg = await gatehouse(ctx, ['org', 'sso', 'show', 'nope', '--issuer', 'acme']);
    assert.equal(noOrg.code, 1);
    assert.match(noOrg.err, /no organization with id "nope"/);
    const acme = await ctx.services.scopes.byId('acme');
    assert.equal(await acme?.repos.organizationSso.find('eng'), undefined, 'nothing set by a refused command');
  });
});
