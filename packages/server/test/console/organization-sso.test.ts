import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createProvider } from '../../src/federation/providers.js';
import { createOrganization, setRole } from '../../src/services/organizations.js';
import { consoleGet, consolePost, consoleSignIn, createOperator } from '../helpers/console.js';
import { type TestContext, createTestContext } from '../helpers/harness.js';
import type { HttpBrowser, Page } from '../helpers/http-browser.js';
import { ISSUER } from '../helpers/prefix.js';

describe('console: an organization’s single sign-on', () => {
  let ctx: TestContext;
  let admin: HttpBrowser;
  let viewer: HttpBrowser;
  const path = '/admin/organizations/eng';
  before(async () => {
    ctx = await createTestContext();
    await createOrganization(ctx.scope, { id: 'eng', name: 'Engineering' });
    await setRole(ctx.scope, 'eng', 'developer', ['write:code']);
    await setRole(ctx.scope, 'eng', 'admin', []);
    ({ browser: admin } = await consoleSignIn(ctx, (await createOperator(ctx, 'admin')).email, { start: path }));
    ({ browser: viewer } = await consoleSignIn(ctx, (await createOperator(ctx, 'viewer')).email, { start: path }));
  });
  after(() => ctx.close());

  const open = (b: HttpBrowser = admin): Promise<Page> => consoleGet(b, path);

  it('without a provider, links to the sign-in providers page', async () => {
    const page = await open();
    assert.equal(page.status, 200);
    assert.match(page.html, /Single sign-on \(SSO\)[\s\S]*Not set[\s\S]*href="[^"]*\/admin\/sign-in-providers">Add a sign-in provider first/);
    assert.doesNotMatch(page.html, /action="[^"]*\/eng\/sso"/);
  });

  it('sets the provider, the requirement, the role claim and the role map; what the service refuses is said at the form', async () => {
    await createProvider(ctx.scope, { id: 'okta', displayName: 'Okta', issuerUrl: 'https://okta.example', clientId: 'c', clientSecret: 's' });
    let page = await open();
    assert.match(page.html, /<option value="okta"[^>]*>Okta \(okta\)<\/option>/);

    const notJson = await consolePost(admin, page, '/eng/sso', {
      provider_id: 'okta',
      required: '1',
      role_claim: 'groups',
      role_map: '{engineers: developer}',
    });
    assert.equal(notJson.status, 400);
    assert.match(notJson.html, /href="#role_map">The role map must be a JSON object/);
    assert.match(notJson.html, /\{engineers: developer\}/, 'what was typed is kept');

    const unknownRole = await consolePost(admin, page, '/eng/sso', { provider_id: 'okta', required: '1', role_claim: 'groups', role_map: '{"x": ["owner"]}' });
    assert.equal(unknownRole.status, 400);
    assert.match(unknownRole.html, /href="#role_map">Role map<\/a>: <span lang="en">eng has no role owner/);
    assert.equal(await ctx.scope.repos.organizationSso.find('eng'), undefined);

    page = await consolePost(admin, page, '/eng/sso', {
      provider_id: 'okta',
      required: '1',
      role_claim: 'groups',
      role_map: '{"engineers": ["developer"], "it-admins": ["admin", "developer"]}',
    });
    assert.equal(page.status, 200);
    assert.match(page.html, /Saved\./);
    const sso = await ctx.scope.repos.organizationSso.find('eng');
    assert.deepEqual(sso && { providerId: sso.providerId, required: sso.required, roleClaim: sso.roleClaim, roleMap: sso.roleMap }, {
      providerId: 'okta',
      required: true,
      roleClaim: 'groups',
      roleMap: { engineers: ['developer'], 'it-admins': ['admin', 'developer'] },
    });
    assert.match(page.html, /id="sso-required"[^>]*checked/);
    assert.match(page.html, /&quot;it-admins&quot;/, 'the map is shown as it is stored');

    page = await consolePost(admin, page, '/eng/sso', { provider_id: 'okta', role_claim: '', role_map: '' });
    assert.equal((await ctx.scope.repos.organizationSso.find('eng'))?.required, false, 'an unticked box: not required');
  });

  it('a viewer sees the settings without forms and cannot change them; forms need the CSRF token', async () => {
    const page = await open(viewer);
    assert.equal(page.status, 200);
    assert.match(page.html, /<dl class="facts">[\s\S]*Okta/);
    assert.doesNotMatch(page.html, /action="[^"]*\/eng\/sso/);
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.html)?.[1] ?? assert.fail('a csrf field');
    for (const action of ['/eng/sso', '/eng/sso/clear']) {
      const res = await viewer.request(`${ISSUER}/admin/organizations${action}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ csrf, provider_id: 'okta', required: '1' }).toString(),
      });
      assert.equal(res.status, 403, action);
    }
    const forged = await consolePost(admin, await open(), '/eng/sso/clear', { csrf: 'forged' });
    assert.equal(forged.status, 403);
    assert.ok(await ctx.scope.repos.organizationSso.find('eng'));
  });

  it('removes the settings', async () => {
    const page = await consolePost(admin, await open(), '/eng/sso/clear', {});
    assert.equal(page.status, 200);
    assert.equal(await ctx.scope.repos.organizationSso.find('eng'), undefined);
    assert.match(page.html, /Not set: members sign in any way/);
  });
});
