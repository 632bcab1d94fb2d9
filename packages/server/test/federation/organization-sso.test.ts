import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createProvider } from '../../src/federation/providers.js';
import { setOrganizationSso } from '../../src/federation/sso.js';
import { TEST_PASSWORD, createTestUser } from '../helpers/harness.js';
import { HttpBrowser } from '../helpers/http-browser.js';
import { admin, personToken } from '../helpers/admin-api.js';
import {
  type FederationWorld,
  addGatehouseProvider,
  appAuthorizeUrl,
  codeAt,
  defaultScope,
  federationWorld,
  follow,
  pageOf,
  postIn,
  toCallback,
  upstreamUser,
} from './helpers.js';
import { type PanvaOp, startPanvaOp } from './panva-op.js';

const HTML = { accept: 'text/html' };

// An organization that requires its members to sign in through its provider (enterprise SSO),
// and gives them roles from the upstream `groups` claim at each sign-in (just-in-time membership).
describe('federation: organization-enforced SSO', () => {
  let world: FederationWorld;
  let op: PanvaOp;
  let orgId: string;

  before(async () => {
    world = await federationWorld();
    op = await startPanvaOp([{ id: 'acme-sso', secret: 'acme-sso-secret', redirectUri: `${world.issuer}/signin/acme/callback` }]);
    const scope = await defaultScope(world);
    await createProvider(scope, {
      id: 'acme',
      displayName: 'Acme SSO',
      issuerUrl: op.issuer,
      clientId: 'acme-sso',
      clientSecret: 'acme-sso-secret',
      scopes: ['openid', 'email', 'profile', 'groups'],
      trustedForLinking: true,
    });
    await addGatehouseProvider(world, 'gh', { trustedForLinking: true });
    const org = await scope.repos.organizations.create({ name: 'Acme Corp' });
    orgId = org.id;
    await scope.repos.organizationRoles.set(org.id, 'developer', ['read:code']);
    await scope.repos.organizationRoles.set(org.id, 'admin', ['write:code']);
    const token = (await personToken(world.ctx, 'admin')).token;
    const res = await admin(world.ctx, token, 'PUT', `/organizations/${org.id}/sso`, {
      provider_id: 'acme',
      role_claim: 'groups',
      role_map: { engineers: ['developer'], 'it-admins': ['admin', 'developer'] },
    });
    assert.equal(res.status, 200, await res.clone().text());
    assert.deepEqual(((await res.json()) as { required: boolean }).required, true);
    op.accounts.set('e-1', { sub: 'e-1', email: 'eng@acme.example', email_verified: true, name: 'Eng One', groups: ['engineers', 'lunch-club'] });
  });
  after(async () => {
    await op.close();
    await world.close();
  });

  async function throughAcme(browser: HttpBrowser, sub: string): Promise<{ url: string; res: Response }> {
    const request = appAuthorizeUrl(world);
    const login = await pageOf(await follow(browser, await browser.request(request.url), request.url));
    const started = await postIn(browser, login, '/upstream', { provider: 'acme' });
    const atOp = await follow(browser, started.res, started.url);
    const form = await pageOf(await follow(browser, await browser.request(atOp.url), atOp.url));
    const posted = await postIn(browser, form, '/login', { login: sub });
    const back = await follow(browser, posted.res, posted.url, (u) => u.startsWith(world.issuer));
    return follow(browser, await browser.request(back.url, { headers: HTML }), back.url);
  }

  it('makes a new user a member with the roles their groups map to', async () => {
    await codeAt(await throughAcme(new HttpBrowser(), 'e-1'));
    const user = await world.ctx.scope.repos.users.findByEmail('eng@acme.example');
    assert.ok(user);
    const member = await world.ctx.scope.repos.memberships.find(orgId, user.id);
    assert.deepEqual(member?.roles, ['developer']);

    // A change of groups upstream changes the roles at the next sign-in.
    op.accounts.set('e-1', { sub: 'e-1', email: 'eng@acme.example', email_verified: true, name: 'Eng One', groups: ['it-admins'] });
    await codeAt(await throughAcme(new HttpBrowser(), 'e-1'));
    assert.deepEqual((await world.ctx.scope.repos.memberships.find(orgId, user.id))?.roles.sort(), ['admin', 'developer']);
  });

  it('refuses a member’s password sign-in, and their sign-in through another provider', async () => {
    const member = await createTestUser(world.ctx, 'member@acme.example');
    await world.ctx.scope.repos.memberships.add(orgId, member.id, ['developer']);
    const browser = new HttpBrowser();
    const request = appAuthorizeUrl(world);
    const login = await pageOf(await follow(browser, await browser.request(request.url), request.url));
    const posted = await postIn(browser, login, '/login', { email: 'member@acme.example', password: TEST_PASSWORD });
    assert.equal(posted.res.status, 403);
    assert.match(await posted.res.text(), /Members of Acme Corp sign in with Acme SSO/);

    await upstreamUser(world, 'member@acme.example');
    const other = new HttpBrowser();
    const { callback } = await toCallback(world, other, 'member@acme.example', 'gh');
    const refused = await other.request(callback, { headers: HTML });
    assert.equal(refused.status, 403);
    assert.match(await refused.text(), /Members of Acme Corp sign in with Acme SSO/);
    assert.deepEqual(await world.ctx.scope.repos.linkedIdentities.listForUser(member.id), [], 'nothing linked through the other provider');

    // Through the organization's provider: signed in (linked by the trusted verified email).
    op.accounts.set('m-1', { sub: 'm-1', email: 'member@acme.example', email_verified: true, name: 'Member', groups: [] });
    await codeAt(await throughAcme(new HttpBrowser(), 'm-1'));
  });

  it('lets people outside the organization sign in any way, and refuses a role map with roles the organization lacks', async () => {
    const outsider = await createTestUser(world.ctx, 'outsider@example.com');
    const browser = new HttpBrowser();
    const request = appAuthorizeUrl(world);
    const login = await pageOf(await follow(browser, await browser.request(request.url), request.url));
    const posted = await postIn(browser, login, '/login', { email: outsider.email, password: TEST_PASSWORD });
    await codeAt(await follow(browser, posted.res, posted.url));
    await assert.rejects(
      setOrganizationSso(await defaultScope(world), orgId, { providerId: 'acme', roleClaim: 'groups', roleMap: { x: ['nope'] } }),
      /has no role nope/,
    );
  });
});
