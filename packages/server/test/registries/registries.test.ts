import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { AUTHORIZATION_CHECKS } from '../../src/authorize/checks.js';
import { AuthorizationPipeline } from '../../src/authorize/pipeline.js';
import { CLIENT_SECRET_BASIC, ClientAuthRegistry } from '../../src/auth/client-auth-methods.js';
import { providerMetadata } from '../../src/endpoints/discovery.js';
import { GrantRegistry } from '../../src/grants/registry.js';
import { AUTHORIZATION_CODE_GRANT } from '../../src/grants/authorization-code.js';
import { BUILT_IN_REGISTRIES, type Registries } from '../../src/issuers/registries.js';
import type { IssuerScope } from '../../src/issuers/scope.js';
import type { GrantType } from '../../src/store/repos/clients.js';
import { type ClaimSource, ClaimRegistry, ClaimSourceError, RESERVED_CLAIMS } from '../../src/tokens/claim-sources.js';
import { inProcessBrowser } from '../helpers/flow.js';
import { type TestContext, createTestClient, createTestContext, createTestUser } from '../helpers/harness.js';
import { assertOAuthError, basic, codeParams, json, obtainCode, postForm, userinfo } from '../helpers/oauth-requests.js';
import { at } from '../helpers/prefix.js';

/** Swaps the default issuer's registries for the length of `fn` (its scope is cached: the app sees the same object). */
async function withRegistries<T>(ctx: TestContext, registries: Registries, fn: () => Promise<T>): Promise<T> {
  const scope = ctx.scope as { registries: Registries; discovery?: string };
  const before = scope.registries;
  scope.registries = registries;
  scope.discovery = undefined;
  try {
    return await fn();
  } finally {
    scope.registries = before;
    scope.discovery = undefined;
  }
}

const CUSTOM_SOURCE: ClaimSource = {
  kind: 'sync',
  scope: 'tenant',
  claims: ['tenant', 'email'],
  idToken: 'always',
  // Returns more than it declares: only `tenant` and `email` may reach a token.
  resolve: ({ user, clientId }) => ({ tenant: `t-${clientId.slice(0, 6)}`, email: user.email, sub: 'forged', iss: 'https://evil.example', undeclared: 1 }),
};

describe('claim sources', () => {
  it('refuses a source that declares a reserved claim, and two sources for one scope', () => {
    for (const claim of RESERVED_CLAIMS) {
      assert.throws(() => new ClaimRegistry([{ kind: 'sync', scope: 'x', claims: [claim], idToken: 'always', resolve: () => ({}) }]), ClaimSourceError, claim);
    }
    assert.throws(() => BUILT_IN_REGISTRIES.claims.with([]).with([CUSTOM_SOURCE, CUSTOM_SOURCE]), ClaimSourceError);
  });

  it('with() replaces a source of the same scope in its place, and adds new ones at the end', () => {
    const email: ClaimSource = { kind: 'sync', scope: 'email', claims: ['email'], idToken: 'always', resolve: () => ({ email: 'x@example.com' }) };
    const registry = BUILT_IN_REGISTRIES.claims.with([CUSTOM_SOURCE, email]);
    assert.deepEqual(registry.scopes, ['openid', 'profile', 'email', 'organizations', 'wallets', 'tenant']);
    assert.equal(registry.source('email'), email);
    assert.equal(BUILT_IN_REGISTRIES.claims.source('email')?.idToken, 'without_access_token', 'the built-in registry is unchanged');
  });

  it('lists each claim once, protocol claims included, and the scopes in order', () => {
    const { claims } = BUILT_IN_REGISTRIES;
    assert.deepEqual(claims.scopes, ['openid', 'profile', 'email', 'organizations', 'wallets']);
    assert.equal(new Set(claims.claimsSupported).size, claims.claimsSupported.length);
    assert.equal(claims.claimsSupported.filter((c) => c === 'sub').length, 1);
    for (const c of ['sub', 'email', 'email_verified', 'name', 'organizations', 'wallets', 'auth_time', 'nonce'])
      assert.ok(claims.claimsSupported.includes(c), c);
  });

  it('makes no promise when no async source applies, and copies only declared claims', async () => {
    const registry = BUILT_IN_REGISTRIES.claims.with([CUSTOM_SOURCE]);
    const user = {
      id: 'u1',
      email: 'a@example.com',
      emailVerified: true,
      passwordHash: null,
      name: 'A',
      givenName: null,
      familyName: null,
      preferredUsername: null,
      picture: null,
      disabled: false,
      createdAt: 1,
      updatedAt: 2,
      revision: 1,
    };
    const context = { issuerId: 'default', db: undefined as never, user, clientId: 'gh_client', client: undefined, scopes: ['openid', 'profile', 'tenant'] };
    assert.equal(registry.readAsync(context, 'all'), undefined);
    const claims = registry.addSync(context, 'all', { sub: 'u1' });
    assert.deepEqual(claims, { sub: 'u1', name: 'A', updated_at: 2, tenant: 't-gh_cli', email: 'a@example.com' });
    // For an ID token with a userinfo access token, only `always` sources.
    assert.deepEqual(registry.addSync(context, 'id_token', {}), { tenant: 't-gh_cli', email: 'a@example.com' });
  });
});

describe('registries drive the endpoints and discovery', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext();
  });
  after(() => ctx.close());

  it('discovery is derived from the registries of the issuer', async () => {
    const doc = providerMetadata(ctx.scope);
    assert.deepEqual(doc.grant_types_supported, ['authorization_code', 'refresh_token', 'client_credentials']);
    assert.deepEqual(doc.token_endpoint_auth_methods_supported, ['client_secret_basic', 'client_secret_post', 'none']);
    assert.deepEqual(doc.revocation_endpoint_auth_methods_supported, ['client_secret_basic', 'client_secret_post', 'none']);
    assert.deepEqual(doc.introspection_endpoint_auth_methods_supported, ['client_secret_basic', 'client_secret_post']);
    assert.deepEqual(doc.response_types_supported, ['code']);
    assert.deepEqual(doc.code_challenge_methods_supported, ['S256']);

    const narrowed: Registries = {
      ...BUILT_IN_REGISTRIES,
      grants: new GrantRegistry([AUTHORIZATION_CODE_GRANT]),
      clientAuth: new ClientAuthRegistry([CLIENT_SECRET_BASIC]),
      claims: BUILT_IN_REGISTRIES.claims.with([CUSTOM_SOURCE]),
    };
    await withRegistries(ctx, narrowed, async () => {
      const served = (await (await ctx.app.request(at('/.well-known/openid-configuration'))).json()) as Record<string, unknown>;
      assert.deepEqual(served.grant_types_supported, ['authorization_code']);
      assert.deepEqual(served.token_endpoint_auth_methods_supported, ['client_secret_basic']);
      assert.deepEqual(served.introspection_endpoint_auth_methods_supported, ['client_secret_basic']);
      assert.deepEqual(served.scopes_supported, ['openid', 'profile', 'email', 'organizations', 'wallets', 'tenant']);
      const claims = served.claims_supported as string[];
      assert.ok(claims.includes('tenant'));
      assert.equal(claims.filter((c) => c === 'email').length, 1, 'each claim once');
    });
    assert.deepEqual(
      providerMetadata({ url: ctx.scope.url, registries: { ...BUILT_IN_REGISTRIES, grants: new GrantRegistry([]) } }).response_types_supported,
      [],
      'no code flow, no response type',
    );
  });

  it('the token endpoint dispatches through the grant registry: a new grant is one handler', async () => {
    const made = await createTestClient(ctx, { grantTypes: ['client_credentials', 'urn:example:echo' as GrantType] });
    const client = { id: made.client.id, secret: made.secret as string };
    const echo = { type: 'urn:example:echo', handle: async () => ({ access_token: 'echo', token_type: 'Bearer' as const, expires_in: 1, scope: '' }) };
    await withRegistries(
      ctx,
      {
        ...BUILT_IN_REGISTRIES,
        grants: new GrantRegistry([...BUILT_IN_REGISTRIES.grants.types.map((t) => BUILT_IN_REGISTRIES.grants.get(t) as typeof echo), echo]),
      },
      async () => {
        const res = await postForm(ctx, at('/oauth/token'), { grant_type: 'urn:example:echo' }, basic(client));
        assert.equal((await json(res)).access_token, 'echo');
      },
    );
    const body = await assertOAuthError(
      await postForm(ctx, at('/oauth/token'), { grant_type: 'urn:example:echo' }, basic(client)),
      400,
      'unsupported_grant_type',
    );
    assert.equal(body.error_description, 'Supported grant types: authorization_code, refresh_token, client_credentials');
  });

  it('client authentication uses only the registered methods', async () => {
    const made = await createTestClient(ctx);
    const client = { id: made.client.id, secret: made.secret as string };
    const params = { grant_type: 'client_credentials', scope: 'payments' };
    assert.equal((await postForm(ctx, at('/oauth/token'), params, { post: client })).status, 200);
    await withRegistries(ctx, { ...BUILT_IN_REGISTRIES, clientAuth: new ClientAuthRegistry([CLIENT_SECRET_BASIC]) }, async () => {
      await assertOAuthError(await postForm(ctx, at('/oauth/token'), params, { post: client }), 401, 'invalid_client');
      assert.equal((await postForm(ctx, at('/oauth/token'), params, basic(client))).status, 200);
    });
  });

  it('the authorization checks are a named, ordered pipeline that /par and device can reuse', () => {
    const pipeline = BUILT_IN_REGISTRIES.authorization;
    assert.deepEqual(pipeline.names, [
      'lengths',
      'unsupported_parameters',
      'response_type',
      'pkce',
      'scope',
      'prompt',
      'max_age',
      'acr_values',
      'claims',
      'resource',
      'api_scopes',
      'id_token_hint',
    ]);
    assert.deepEqual(pipeline.without('response_type', 'pkce').names, [
      'lengths',
      'unsupported_parameters',
      'scope',
      'prompt',
      'max_age',
      'acr_values',
      'claims',
      'resource',
      'api_scopes',
      'id_token_hint',
    ]);
    assert.throws(() => new AuthorizationPipeline([...AUTHORIZATION_CHECKS, AUTHORIZATION_CHECKS[0] as (typeof AUTHORIZATION_CHECKS)[number]]));
    // Without a redirect URI (a pushed request), a check's error is answered directly, not redirected.
    const client = { grantTypes: ['authorization_code'], scopes: ['openid'], pkce: 'required', isPublic: false, resources: [], id: 'c' } as never;
    const draft = { params: new Map([['response_type', 'token']]) as never, client, redirectUri: undefined, state: undefined, out: {} };
    assert.throws(
      () => pipeline.without('lengths').run(draft, {} as IssuerScope),
      (e: Error & { code?: string }) => e.code === 'unsupported_response_type' && e.constructor.name === 'OAuthError',
    );
  });

  it('a custom claim source reaches userinfo and the ID token, and cannot set a reserved claim', async () => {
    const user = await createTestUser(ctx);
    const made = await createTestClient(ctx, { scopes: ['openid', 'email', 'tenant'] });
    const client = { id: made.client.id, secret: made.secret as string };
    await withRegistries(ctx, { ...BUILT_IN_REGISTRIES, claims: BUILT_IN_REGISTRIES.claims.with([CUSTOM_SOURCE]) }, async () => {
      const got = await obtainCode(inProcessBrowser(ctx), client.id, user.email, { scope: 'openid email tenant' });
      const tokens = await json(await postForm(ctx, at('/oauth/token'), codeParams(got), basic(client)));
      const id = decodeJwt(tokens.id_token as string);
      assert.equal(id.tenant, `t-${client.id.slice(0, 6)}`);
      assert.equal(id.sub, user.id, 'a source cannot forge sub');
      assert.equal(id.iss, ctx.scope.url, 'nor iss');
      assert.equal(id.undeclared, undefined, 'nor anything it did not declare');
      const info = await json(await userinfo(ctx, tokens.access_token as string));
      assert.equal(info.tenant, id.tenant);
      assert.equal(info.sub, user.id);
      assert.equal(info.email, user.email);
    });
  });
});
