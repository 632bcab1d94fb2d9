import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { inProcessBrowser, signInForTokens } from '../helpers/flow.js';
import { type TestContext, basicAuth, createTestClient, createTestContext, createTestUser } from '../helpers/harness.js';
import { type Confidential, assertOAuthError, basic, confidentialClient, postForm, revoke } from '../helpers/oauth-requests.js';
import { at } from '../helpers/prefix.js';

interface FeedPage {
  items: { grant_id?: string; jti?: string; revoked_at: number; expires_at: number }[];
  next_cursor: string;
  has_more: boolean;
}

// GET/POST <issuer>/oauth/revocations (docs/revocation.md): what a resource server reads to
// refuse revoked tokens it verifies locally.
describe('revocation feed endpoint', () => {
  let ctx: TestContext;
  let client: Confidential;
  let rs: Confidential;
  let email: string;

  before(async () => {
    ctx = await createTestContext();
    client = await confidentialClient(ctx);
    rs = await confidentialClient(ctx, { grantTypes: ['client_credentials'], redirectUris: [] });
    email = (await createTestUser(ctx)).email;
  });
  after(() => ctx.close());

  async function feed(who: Confidential, query = ''): Promise<FeedPage> {
    const res = await ctx.app.request(at(`/oauth/revocations${query}`), { headers: { authorization: basicAuth(who.id, who.secret) } });
    assert.equal(res.status, 200, await res.clone().text());
    assert.match(res.headers.get('cache-control') ?? '', /no-store/);
    return (await res.json()) as FeedPage;
  }

  async function tokens(): Promise<{ access: string; refresh: string }> {
    const { tokens: t } = await signInForTokens(ctx, client, email, {}, inProcessBrowser(ctx));
    return { access: t.access_token as string, refresh: t.refresh_token as string };
  }

  it('discovery names it with the confidential client authentication methods', async () => {
    const meta = (await (await ctx.app.request(at('/.well-known/openid-configuration'))).json()) as Record<string, unknown>;
    assert.equal(meta.revocation_feed_endpoint, `${ctx.config.issuer}/oauth/revocations`);
    assert.deepEqual(meta.revocation_feed_endpoint_auth_methods_supported, meta.introspection_endpoint_auth_methods_supported);
  });

  it('revoking a refresh token lists its grant under the gid its access tokens carry; revoking an access token lists its jti', async () => {
    const start = await feed(rs);
    const a = await tokens();
    const gid = decodeJwt(a.access).gid as string;
    assert.equal(typeof gid, 'string', 'access tokens name their grant in gid');
    assert.equal((await revoke(ctx, basic(client), a.refresh)).status, 200);
    const b = await tokens();
    const claims = decodeJwt(b.access);
    assert.equal((await revoke(ctx, basic(client), b.access, 'access_token')).status, 200);
    const page = await feed(rs, `?since=${start.next_cursor}`);
    const grantItem = page.items.find((i) => i.grant_id === gid);
    assert.ok(grantItem, JSON.stringify(page));
    assert.equal(grantItem.expires_at, grantItem.revoked_at + 900);
    const jtiItem = page.items.find((i) => i.jti === claims.jti);
    assert.ok(jtiItem, JSON.stringify(page));
    assert.equal(jtiItem.expires_at, claims.exp);
    assert.ok(!page.items.some((i) => i.grant_id === claims.gid), 'the second grant lives on; only its token was revoked');
  });

  it('pages with limit and has_more, and POST with client_secret_post reads the same feed', async () => {
    const start = await feed(rs);
    for (let i = 0; i < 3; i++) assert.equal((await revoke(ctx, basic(client), (await tokens()).refresh)).status, 200);
    const seen: string[] = [];
    let cursor = start.next_cursor;
    for (let i = 0; i < 10; i++) {
      const page = await feed(rs, `?since=${cursor}&limit=2`);
      seen.push(...page.items.map((x) => x.grant_id ?? x.jti ?? ''));
      cursor = page.next_cursor;
      if (!page.has_more) break;
    }
    assert.equal(new Set(seen).size, seen.length, 'no entry twice while pages are full');
    assert.ok(seen.length >= 3);
    const posted = await postForm(ctx, at('/oauth/revocations'), { since: start.next_cursor }, { post: rs });
    assert.equal(posted.status, 200);
    const body = (await posted.json()) as FeedPage;
    assert.ok(seen.every((id) => body.items.some((x) => (x.grant_id ?? x.jti) === id)));
  });

  it('a revocation stays in the feed only while its tokens can be valid', async () => {
    const t = await tokens();
    const gid = decodeJwt(t.access).gid as string;
    await revoke(ctx, basic(client), t.refresh);
    assert.ok((await feed(rs)).items.some((i) => i.grant_id === gid));
    ctx.clock.advance(901);
    assert.ok(!(await feed(rs)).items.some((i) => i.grant_id === gid));
  });

  it('needs a confidential client: none, a wrong secret and a public client are invalid_client; a bad cursor or limit invalid_request', async () => {
    await assertOAuthError(await ctx.app.request(at('/oauth/revocations')), 401, 'invalid_client');
    const wrong = await ctx.app.request(at('/oauth/revocations'), { headers: { authorization: basicAuth(rs.id, 'nope') } });
    await assertOAuthError(wrong, 401, 'invalid_client');
    const spa = (await createTestClient(ctx, { isPublic: true, grantTypes: ['authorization_code', 'refresh_token'] })).client.id;
    await assertOAuthError(await postForm(ctx, at('/oauth/revocations'), {}, { publicId: spa }), 401, 'invalid_client');
    for (const query of ['?since=not*a*cursor', `?since=${Buffer.from('[1,"x","y"]').toString('base64url')}`, '?limit=0', '?limit=5000']) {
      const res = await ctx.app.request(at(`/oauth/revocations${query}`), { headers: { authorization: basicAuth(rs.id, rs.secret) } });
      await assertOAuthError(res, 400, 'invalid_request');
    }
  });
});
