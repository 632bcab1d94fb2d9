import { at } from '../helpers/prefix.js';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN_API_ROUTES } from '../../src/admin/api/routes.js';
import { createProvider } from '../../src/federation/providers.js';
import type { AdminPermission } from '../../src/admin/roles.js';
import { createIssuer } from '../../src/issuers/service.js';
import { type TestContext, createTestClient, createTestContext, createTestUser } from '../helpers/harness.js';
import { signInForTokens } from '../helpers/flow.js';
import { admin, machineToken, personToken } from '../helpers/admin-api.js';
import { randomToken } from '../../src/tokens/random.js';
import { createWebhook } from '../../src/webhooks/service.js';
import { ClaimsService } from '../../src/claims/service.js';

/** A request that succeeds for a caller allowed the route, made fresh for each caller. */
interface Sample {
  path: string;
  body?: unknown;
  status: number;
}

type Caller = 'none' | 'other_issuer' | 'viewer' | 'admin' | 'owner' | 'machine_read' | 'machine_write' | 'no_role';

const ALLOWED: Record<Caller, readonly AdminPermission[]> = {
  none: [],
  other_issuer: [],
  no_role: [],
  viewer: ['read'],
  admin: ['read', 'write'],
  owner: ['read', 'write', 'owner', 'system'],
  machine_read: ['read'],
  machine_write: ['read', 'write'],
};

describe('Admin API authorization matrix', () => {
  let ctx: TestContext;
  const tokens = {} as Record<Caller, string | undefined>;
  let clientId: string;

  // One sample per route, keyed "method path": a route without one fails the test below.
  /** A webhook endpoint of the default issuer, new for each caller. */
  const sampleWebhook = async (): Promise<string> => (await createWebhook(ctx.scope, { url: 'https://hooks.example.com/in', events: '*' })).endpoint.id;

  const samples: Record<string, () => Promise<Sample>> = {
    'get /stats': async () => ({ path: '/stats?days=7', status: 200 }),
    'get /clients': async () => ({ path: '/clients', status: 200 }),
    'post /clients': async () => ({ path: '/clients', body: { type: 'machine', client_name: 'Job', scope: 'payments' }, status: 201 }),
    'get /clients/{client_id}': async () => ({ path: `/clients/${clientId}`, status: 200 }),
    'patch /clients/{client_id}': async () => ({ path: `/clients/${clientId}`, body: { description: 'Nightly' }, status: 200 }),
    'delete /clients/{client_id}': async () => {
      const { client } = await ctx.scope.repos.clients.create({
        name: 'Doomed',
        redirectUris: [],
        grantTypes: ['client_credentials'],
        scopes: ['x'],
        isPublic: false,
        firstParty: false,
      });
      return { path: `/clients/${client.id}`, status: 204 };
    },
    'post /clients/{client_id}/secret': async () => ({ path: `/clients/${clientId}/secret`, body: { overlap_seconds: 60 }, status: 200 }),
    'get /admins': async () => ({ path: '/admins', status: 200 }),
    'put /admins/{user_id}': async () => ({ path: `/admins/${(await createTestUser(ctx)).id}`, body: { role: 'viewer' }, status: 200 }),
    'delete /admins/{user_id}': async () => {
      const user = await createTestUser(ctx);
      await ctx.scope.repos.adminRoles.set(user.id, 'viewer');
      return { path: `/admins/${user.id}`, status: 204 };
    },
    'get /account-closures': async () => ({ path: '/account-closures?reason=privacy&limit=5', status: 200 }),
    'get /audit-log': async () => ({ path: '/audit-log?type=client.created,client.updated&since=2020-01-01T00:00:00Z&limit=5', status: 200 }),
    'get /users': async () => ({ path: '/users?q=example', status: 200 }),
    'post /users': async () => ({ path: '/users', body: { email: `new-${randomToken(4)}@example.com`, name: 'New' }, status: 201 }),
    'get /users/{user_id}': async () => ({ path: `/users/${(await createTestUser(ctx)).id}`, status: 200 }),
    'patch /users/{user_id}': async () => ({ path: `/users/${(await createTestUser(ctx)).id}`, body: { name: 'Renamed' }, status: 200 }),
    'delete /users/{user_id}': async () => ({ path: `/users/${(await createTestUser(ctx)).id}`, status: 204 }),
    'put /users/{user_id}/password': async () => ({
      path: `/users/${(await createTestUser(ctx)).id}/password`,
      body: { password: 'another long password' },
      status: 204,
    }),
    // No mail is configured here: an allowed caller gets 409 (users-api.test.ts sends one).
    'post /users/{user_id}/invitation': async () => ({ path: `/users/${(await createTestUser(ctx)).id}/invitation`, status: 409 }),
    'get /users/{user_id}/sessions': async () => ({ path: `/users/${(await createTestUser(ctx)).id}/sessions`, status: 200 }),
    'delete /users/{user_id}/sessions': async () => ({ path: `/users/${(await createTestUser(ctx)).id}/sessions`, status: 204 }),
    'delete /users/{user_id}/sessions/{session_id}': async () => {
      const user = await createTestUser(ctx);
      const { session } = await ctx.scope.repos.sessions.create(user.id, 3600);
      return { path: `/users/${user.id}/sessions/${session.sid}`, status: 204 };
    },
    'get /users/{user_id}/grants': async () => ({ path: `/users/${(await createTestUser(ctx)).id}/grants`, status: 200 }),
    'delete /users/{user_id}/grants/{grant_id}': async () => {
      const user = await createTestUser(ctx);
      const grant = await ctx.scope.repos.grants.create({ clientId, userId: user.id, scope: 'openid', sid: null, authTime: null, resource: null }, 3600);
      return { path: `/users/${user.id}/grants/${grant.id}`, status: 204 };
    },
    'delete /users/{user_id}/grants/{grant_id}/scopes/{scope}': async () => {
      const user = await createTestUser(ctx);
      const grant = await ctx.scope.repos.grants.create({ clientId, userId: user.id, scope: 'openid email', sid: null, authTime: null, resource: null }, 3600);
      return { path: `/users/${user.id}/grants/${grant.id}/scopes/email`, status: 204 };
    },
    // Organizations (issue 19): each sample makes what it changes, so every caller meets the same state.
    'get /organizations': async () => ({ path: '/organizations?q=acme', status: 200 }),
    'post /organizations': async () => ({ path: '/organizations', body: { name: 'Matrix Inc' }, status: 201 }),
    'get /organizations/{organization_id}': async () => ({ path: `/organizations/${(await sampleOrg()).id}`, status: 200 }),
    'patch /organizations/{organization_id}': async () => ({ path: `/organizations/${(await sampleOrg()).id}`, body: { suspended: true }, status: 200 }),
    'delete /organizations/{organization_id}': async () => ({ path: `/organizations/${(await sampleOrg()).id}`, status: 204 }),
    'get /organizations/{organization_id}/roles': async () => ({ path: `/organizations/${(await sampleOrg()).id}/roles`, status: 200 }),
    'post /organizations/{organization_id}/roles': async () => ({
      path: `/organizations/${(await sampleOrg()).id}/roles`,
      body: { name: 'editor', permissions: ['write:projects'] },
      status: 201,
    }),
    'patch /organizations/{organization_id}/roles/{role}': async () => ({
      path: `/organizations/${(await sampleOrg(true)).id}/roles/billing`,
      body: { permissions: ['read:billing', 'write:billing'] },
      status: 200,
    }),
    'delete /organizations/{organization_id}/roles/{role}': async () => ({ path: `/organizations/${(await sampleOrg(true)).id}/roles/billing`, status: 204 }),
    'get /organizations/{organization_id}/members': async () => ({ path: `/organizations/${(await sampleOrg()).id}/members`, status: 200 }),
    'put /organizations/{organization_id}/members/{user_id}': async () => {
      const user = await createTestUser(ctx);
      return { path: `/organizations/${(await sampleOrg(true)).id}/members/${user.id}`, body: { roles: ['billing'] }, status: 201 };
    },
    'delete /organizations/{organization_id}/members/{user_id}': async () => {
      const org = await sampleOrg(true);
      const user = await createTestUser(ctx);
      await ctx.scope.repos.memberships.add(org.id, user.id, ['billing']);
      return { path: `/organizations/${org.id}/members/${encodeURIComponent(user.email)}`, status: 204 };
    },
    'get /settings': async () => ({ path: '/settings', status: 200 }),
    // Branding needs write; lifetimes and policies need owner (test/admin/settings-api.test.ts).
    'patch /settings': async () => ({ path: '/settings', body: { support_url: 'https://help.example.com/' }, status: 200 }),
    // Issuers need 'system': owners of the default issuer only (see ALLOWED).
    'get /issuers': async () => ({ path: '/issuers', status: 200 }),
    'post /issuers': async () => ({
      path: '/issuers',
      body: {
        id: `m-${randomToken(4)
          .toLowerCase()
          .replace(/[^a-z0-9]/g, 'x')}`,
        name: 'Matrix',
      },
      status: 201,
    }),
    'get /issuers/{issuer_id}': async () => ({ path: '/issuers/other', status: 200 }),
    'patch /issuers/{issuer_id}': async () => ({ path: '/issuers/other', body: { name: 'Other Inc' }, status: 200 }),
    'delete /issuers/{issuer_id}': async () => {
      const doomed = await createIssuer(ctx.services, {
        id: `d-${randomToken(4)
          .toLowerCase()
          .replace(/[^a-z0-9]/g, 'x')}`,
        name: 'Doomed',
      });
      return { path: `/issuers/${doomed.id}`, status: 204 };
    },
    // Signing keys: a retire always has a pending replacement, made just before.
    'get /keys': async () => ({ path: '/keys', status: 200 }),
    'post /keys/rotate': async () => ({ path: '/keys/rotate', body: { alg: 'ES256' }, status: 200 }),
    'post /keys/{kid}/retire': async () => {
      await ctx.scope.keys.rotate('EdDSA');
      const signing = (await ctx.scope.keys.list()).find((k) => k.alg === 'EdDSA' && k.status === 'signing');
      assert.ok(signing);
      return { path: `/keys/${signing.kid}/retire`, status: 200 };
    },
    'get /webhooks': async () => ({ path: '/webhooks', status: 200 }),
    'post /webhooks': async () => ({ path: '/webhooks', body: { url: 'https://hooks.example.com/in', events: 'grant.revoked,user.*' }, status: 201 }),
    'get /webhooks/{webhook_id}': async () => ({ path: `/webhooks/${await sampleWebhook()}`, status: 200 }),
    'patch /webhooks/{webhook_id}': async () => ({ path: `/webhooks/${await sampleWebhook()}`, body: { events: 'user.*' }, status: 200 }),
    'delete /webhooks/{webhook_id}': async () => ({ path: `/webhooks/${await sampleWebhook()}`, status: 204 }),
    'post /webhooks/{webhook_id}/rotate-secret': async () => ({
      path: `/webhooks/${await sampleWebhook()}/rotate-secret`,
      body: { overlap_seconds: 60 },
      status: 200,
    }),
    'get /webhooks/{webhook_id}/deliveries': async () => ({ path: `/webhooks/${await sampleWebhook()}/deliveries?limit=5`, status: 200 }),
    'post /webhooks/{webhook_id}/deliveries/{event_id}/replay': async () => {
      const id = await sampleWebhook();
      const [event] = await ctx.scope.repos.events.list({ limit: 1 });
      return { path: `/webhooks/${id}/deliveries/${event?.id}/replay`, status: 202 };
    },
    'post /webhooks/{webhook_id}/test': async () => ({ path: `/webhooks/${await sampleWebhook()}/test`, status: 202 }),
    // Scopes, APIs and claims (admin/api/claims.ts): fresh names each time, so every put creates;
    // the sample hooks apply to a scope no sign-in here asks for, so they are never called.
    'get /apis': async () => ({ path: '/apis', status: 200 }),
    'put /apis': async () => ({ path: '/apis', body: { identifier: `https://api-${fresh()}.example`, name: 'API', scopes: [`s_${fresh()}`] }, status: 201 }),
    'delete /apis': async () => {
      const identifier = `https://api-${fresh()}.example`;
      await sampleClaims().putApi({ identifier, name: 'API' });
      return { path: `/apis?identifier=${encodeURIComponent(identifier)}`, status: 204 };
    },
    'get /scopes': async () => ({ path: '/scopes', status: 200 }),
    'put /scopes/{name}': async () => ({ path: `/scopes/s_${fresh()}`, body: { descriptions: { en: 'A scope' } }, status: 201 }),
    'delete /scopes/{name}': async () => {
      const name = `s_${fresh()}`;
      await sampleClaims().putScope({ name, descriptions: { en: 'A scope' } });
      return { path: `/scopes/${name}`, status: 204 };
    },
    'get /attributes': async () => ({ path: '/attributes', status: 200 }),
    'put /attributes/{name}': async () => ({ path: `/attributes/a_${fresh()}`, body: { schema: { type: 'string' } }, status: 201 }),
    'delete /attributes/{name}': async () => {
      const name = `a_${fresh()}`;
      await sampleClaims().putAttribute({ name, schema: { type: 'string' } });
      return { path: `/attributes/${name}`, status: 204 };
    },
    'get /claims-hooks': async () => ({ path: '/claims-hooks', status: 200 }),
    'put /claims-hooks/{name}': async () => ({
      path: `/claims-hooks/h-${fresh()}`,
      body: { url: 'https://hooks.example.com/claims', claims: [`c_${fresh()}`], scopes: ['unused_scope'] },
      status: 201,
    }),
    'delete /claims-hooks/{name}': async () => {
      const name = `h-${fresh()}`;
      await sampleClaims().putHook({ name, url: 'https://hooks.example.com/claims', claims: [`c_${fresh()}`], scopes: ['unused_scope'] });
      return { path: `/claims-hooks/${name}`, status: 204 };
    },
    'put /integrations/stripe': async () => ({ path: '/integrations/stripe', body: { webhook_secret: 'whsec_matrix_sample_secret' }, status: 204 }),
    'get /integrations/stripe': async () => {
      await sampleClaims().connectStripe({ webhookSecret: 'whsec_matrix_sample_secret' });
      return { path: '/integrations/stripe', status: 200 };
    },
    'delete /integrations/stripe': async () => {
      await sampleClaims().connectStripe({ webhookSecret: 'whsec_matrix_sample_secret' });
      return { path: '/integrations/stripe', status: 204 };
    },
    'get /users/{user_id}/attributes': async () => ({ path: `/users/${(await createTestUser(ctx)).id}/attributes`, status: 200 }),
    'put /users/{user_id}/attributes/{name}': async () => {
      await sampleClaims().putAttribute({ name: 'nickname', schema: { type: 'string' } });
      return { path: `/users/${(await createTestUser(ctx)).id}/attributes/nickname`, body: { value: 'Ada' }, status: 200 };
    },
    'delete /users/{user_id}/attributes/{name}': async () => {
      await sampleClaims().putAttribute({ name: 'nickname', schema: { type: 'string' } });
      return { path: `/users/${(await createTestUser(ctx)).id}/attributes/nickname`, status: 204 };
    },
    'get /organizations/{organization_id}/attributes': async () => ({ path: `/organizations/${(await sampleOrg()).id}/attributes`, status: 200 }),
    'put /organizations/{organization_id}/attributes/{name}': async () => {
      await sampleClaims().putAttribute({ name: 'plan', target: 'organization', schema: { enum: ['free', 'pro'] } });
      return { path: `/organizations/${(await sampleOrg()).id}/attributes/plan`, body: { value: 'pro' }, status: 200 };
    },
    'delete /organizations/{organization_id}/attributes/{name}': async () => {
      await sampleClaims().putAttribute({ name: 'plan', target: 'organization', schema: { enum: ['free', 'pro'] } });
      return { path: `/organizations/${(await sampleOrg()).id}/attributes/plan`, status: 204 };
    },
    'get /upstream-providers': async () => ({ path: '/upstream-providers', status: 200 }),
    'post /upstream-providers': async () => ({
      path: '/upstream-providers',
      body: { id: `p${++providers}`, preset: 'google', client_id: 'c', client_secret: 's' },
      status: 201,
    }),
    'get /upstream-providers/{provider_id}': async () => ({ path: `/upstream-providers/${await sampleProvider()}`, status: 200 }),
    'patch /upstream-providers/{provider_id}': async () => ({ path: `/upstream-providers/${await sampleProvider()}`, body: { enabled: false }, status: 200 }),
    'delete /upstream-providers/{provider_id}': async () => ({ path: `/upstream-providers/${await sampleProvider()}`, status: 204 }),
    'get /organizations/{organization_id}/sso': async () => ({ path: `/organizations/${await sampleSso()}/sso`, status: 200 }),
    'put /organizations/{organization_id}/sso': async () => ({
      path: `/organizations/${(await sampleOrg()).id}/sso`,
      body: { provider_id: await sampleProvider() },
      status: 200,
    }),
    'delete /organizations/{organization_id}/sso': async () => ({ path: `/organizations/${await sampleSso()}/sso`, status: 204 }),
  };
  const fresh = (): string =>
    randomToken(4)
      .toLowerCase()
      .replace(/[^a-z0-9]/g, 'x');
  const sampleClaims = (): ClaimsService => new ClaimsService(ctx.services, ctx.scope.id);

  /** An organization with SSO settings. */
  async function sampleSso(): Promise<string> {
    const org = await sampleOrg();
    await ctx.scope.repos.organizationSso.put({ organizationId: org.id, providerId: await sampleProvider(), required: true, roleClaim: null, roleMap: {} });
    return org.id;
  }

  let providers = 0;
  /** A fresh upstream provider (federation/). */
  async function sampleProvider(): Promise<string> {
    const id = `sample-${++providers}`;
    await createProvider(ctx.scope, { id, preset: 'google', clientId: 'c', clientSecret: 's' });
    return id;
  }

  /** A fresh organization, with a role "billing" when asked. */
  async function sampleOrg(withRole = false): Promise<{ id: string }> {
    const org = await ctx.scope.repos.organizations.create({ name: 'Sample' });
    if (withRole) await ctx.scope.repos.organizationRoles.set(org.id, 'billing', ['read:billing']);
    return org;
  }

  before(async () => {
    ctx = await createTestContext();
    ({
      client: { id: clientId },
    } = await ctx.scope.repos.clients.create({
      name: 'Target',
      redirectUris: [],
      grantTypes: ['client_credentials'],
      scopes: ['payments'],
      isPublic: false,
      firstParty: false,
    }));
    await createIssuer(ctx.services, { id: 'other', name: 'Other Inc' });
    const other = await ctx.services.scopes.byId('other');
    assert.ok(other);
    tokens.none = undefined;
    tokens.other_issuer = (await machineToken(ctx, 'admin:read admin:write', other)).token;
    tokens.no_role = (await personToken(ctx, undefined)).token;
    tokens.viewer = (await personToken(ctx, 'viewer')).token;
    tokens.admin = (await personToken(ctx, 'admin')).token;
    tokens.owner = (await personToken(ctx, 'owner')).token;
    tokens.machine_read = (await machineToken(ctx, 'admin:read')).token;
    tokens.machine_write = (await machineToken(ctx, 'admin:read admin:write')).token;
  });
  after(() => ctx.close());

  it('has a sample for every route', () => {
    const missing = ADMIN_API_ROUTES.map((r) => `${r.method} ${r.path}`).filter((k) => !(k in samples));
    assert.deepEqual(missing, []);
  });

  for (const route of ADMIN_API_ROUTES) {
    it(`${route.method.toUpperCase()} ${route.path} answers each caller as its role allows`, async () => {
      const make = samples[`${route.method} ${route.path}`];
      assert.ok(make, 'no sample');
      const got: Record<string, number> = {};
      const want: Record<string, number> = {};
      for (const caller of Object.keys(ALLOWED) as Caller[]) {
        const sample = await make();
        const res = await admin(ctx, tokens[caller], route.method.toUpperCase(), sample.path, sample.body);
        got[caller] = res.status;
        const authenticated = caller !== 'none' && caller !== 'other_issuer';
        want[caller] = !authenticated ? 401 : ALLOWED[caller].includes(route.need) ? sample.status : 403;
        if (res.status === 401) assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer /);
        // Every answer is what the OpenAPI document says it is (its schema is the route's own).
        const schema = route.responses[res.status]?.schema;
        if (schema) schema.parse(await res.json());
        else if (res.status !== 204) assert.fail(`${caller}: status ${res.status} is not documented`);
      }
      assert.deepEqual(got, want);
    });
  }

  it('refuses a default-issuer owner’s token at another issuer', async () => {
    const res = await ctx.app.request(at('/other/admin/api/v1/clients'), { headers: { authorization: `Bearer ${tokens.owner}` } });
    assert.equal(res.status, 401);
  });

  it('refuses a token for another audience: an owner’s sign-in token for userinfo', async () => {
    const { client, secret } = await createTestClient(ctx);
    const owner = await createTestUser(ctx);
    await ctx.scope.repos.adminRoles.set(owner.id, 'owner');
    const { tokens: signIn } = await signInForTokens(ctx, { id: client.id, secret }, owner.email);
    const res = await admin(ctx, signIn.access_token as string, 'GET', '/clients');
    assert.equal(res.status, 401);
    assert.match(((await res.json()) as { detail: string }).detail, /not for the Admin API/);
  });

  it('refuses a token whose signature does not verify', async () => {
    const token = tokens.machine_read as string;
    const tampered = `${token.slice(0, -4)}${token.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    assert.equal((await admin(ctx, tampered, 'GET', '/clients')).status, 401);
  });
});
