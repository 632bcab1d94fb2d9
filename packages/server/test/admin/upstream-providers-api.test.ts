import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openClientSecret } from '../../src/federation/providers.js';
import { admin, personToken } from '../helpers/admin-api.js';
import { type TestContext, createTestContext } from '../helpers/harness.js';
import { ISSUER } from '../helpers/prefix.js';

describe('Admin API: upstream providers', () => {
  let ctx: TestContext;
  let token: string;

  before(async () => {
    ctx = await createTestContext();
    token = (await personToken(ctx, 'admin')).token;
  });
  after(() => ctx.close());

  it('creates a provider from a preset; the secret is stored sealed and never returned', async () => {
    const res = await admin(ctx, token, 'POST', '/upstream-providers', {
      id: 'google',
      preset: 'google',
      client_id: 'abc.apps.googleusercontent.com',
      client_secret: 'GOCSPX-very-secret',
    });
    assert.equal(res.status, 201);
    const body = await res.text();
    assert.ok(!body.includes('GOCSPX-very-secret'));
    const created = JSON.parse(body) as Record<string, unknown>;
    assert.deepEqual(
      [created.kind, created.preset, created.display_name, created.issuer_url, created.scopes, created.trusted_for_linking, created.enabled],
      ['oidc', 'google', 'Google', 'https://accounts.google.com', ['openid', 'email', 'profile'], false, true],
    );
    assert.equal(created.redirect_uri, `${ISSUER}/signin/google/callback`);

    const row = await ctx.services.store.db.selectFrom('upstream_providers').select('client_secret').where('id', '=', 'google').executeTakeFirstOrThrow();
    assert.ok(!row.client_secret.includes('GOCSPX'), 'sealed at rest');
    const provider = await ctx.scope.repos.upstreamProviders.find('google');
    assert.ok(provider);
    assert.equal(await openClientSecret(ctx.scope, provider), 'GOCSPX-very-secret');

    const list = (await (await admin(ctx, token, 'GET', '/upstream-providers')).json()) as { data: { id: string }[] };
    assert.deepEqual(
      list.data.map((p) => p.id),
      ['google'],
    );
    assert.equal((await admin(ctx, token, 'POST', '/upstream-providers', { id: 'google', preset: 'google', client_id: 'x', client_secret: 'y' })).status, 409);
  });

  it('changes and deletes a provider; the events name what changed, never the secret', async () => {
    const patched = await admin(ctx, token, 'PATCH', '/upstream-providers/google', { trusted_for_linking: true, client_secret: 'rotated-secret' });
    assert.equal(patched.status, 200);
    assert.equal(((await patched.json()) as { trusted_for_linking: boolean }).trusted_for_linking, true);
    const provider = await ctx.scope.repos.upstreamProviders.find('google');
    assert.ok(provider);
    assert.equal(await openClientSecret(ctx.scope, provider), 'rotated-secret');
    const [event] = await ctx.scope.repos.events.page({ types: ['upstream_provider.updated'], limit: 1 });
    assert.deepEqual(event?.payload, { provider_id: 'google', changed: ['clientSecret', 'trustedForLinking'] });
    assert.ok(!JSON.stringify(event).includes('rotated-secret'));
    assert.equal((await admin(ctx, token, 'DELETE', '/upstream-providers/google')).status, 204);
    assert.equal((await admin(ctx, token, 'GET', '/upstream-providers/google')).status, 404);
  });

  it('answers bad input with a 400 naming the field', async () => {
    const cases: [unknown, string][] = [
      [{ id: 'Bad Id', preset: 'google', client_id: 'c', client_secret: 's' }, 'id'],
      [{ id: 'x', preset: 'nope', client_id: 'c', client_secret: 's' }, 'preset'],
      [{ id: 'x', issuer_url: 'http://idp.example', client_id: 'c', client_secret: 's' }, 'issuer_url'],
      [{ id: 'x', client_id: 'c', client_secret: 's' }, 'issuer_url'],
      [{ id: 'x', kind: 'oauth2', authorization_endpoint: 'https://a.example/auth', client_id: 'c', client_secret: 's' }, 'token_endpoint'],
      [{ id: 'x', issuer_url: 'https://idp.example', scopes: ['email'], client_id: 'c', client_secret: 's' }, 'scopes'],
      [{ id: 'x', preset: 'google', client_id: 'c' }, 'client_secret'],
    ];
    for (const [body, field] of cases) {
      const res = await admin(ctx, token, 'POST', '/upstream-providers', body);
      assert.equal(res.status, 400, JSON.stringify(body));
      const problem = (await res.json()) as { errors?: { field: string }[] };
      assert.ok(
        problem.errors?.some((e) => e.field === field || e.field === `body.${field}`),
        `${JSON.stringify(body)}: ${JSON.stringify(problem)}`,
      );
    }
  });
});
