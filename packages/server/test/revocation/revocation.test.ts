import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { inProcessBrowser, signInForTokens } from '../helpers/flow.js';
import { type TestContext, createTestClient, createTestContext, createTestUser } from '../helpers/harness.js';
import type { HttpBrowser } from '../helpers/http-browser.js';
import { confidentialClient, type Confidential, assertOAuthError, basic, introspect, postForm, refresh, revoke, userinfo } from '../helpers/oauth-requests.js';
import { at } from '../helpers/prefix.js';

// RFC 7009 token revocation.
describe('revocation endpoint', () => {
  let ctx: TestContext;
  let client: Confidential;
  let other: Confidential;
  let publicId: string;
  let email: string;
  let browser: HttpBrowser;

  before(async () => {
    ctx = await createTestContext();
    client = await confidentialClient(ctx);
    other = await confidentialClient(ctx);
    publicId = (await createTestClient(ctx, { isPublic: true, grantTypes: ['authorization_code', 'refresh_token'] })).client.id;
    email = (await createTestUser(ctx)).email;
    browser = inProcessBrowser(ctx);
  });
  after(() => ctx.close());

  async function tokens(c: { id: string; secret: string | null } = client): Promise<{ access: string; refresh: string }> {
    const { tokens: t } = await signInForTokens(ctx, c, email, {}, browser);
    return { access: t.access_token as string, refresh: t.refresh_token as string };
  }

  async function assertRevoked200(res: Response): Promise<void> {
    assert.equal(res.status, 200, await res.clone().text());
    assert.match(res.headers.get('cache-control') ?? '', /no-store/);
  }

  for (const hint of [undefined, 'refresh_token', 'access_token']) {
    it(`revoking a refresh token ends its grant and its access tokens (hint: ${hint ?? 'none'})`, async () => {
      const first = await tokens();
      const res = await refresh(ctx, basic(client), first.refresh);
      const second = (await res.json()) as { access_token: string; refresh_token: string };
      await assertRevoked200(await revoke(ctx, basic(client), second.refresh_token, hint));
      for (const at of [first.access, second.access_token]) {
        assert.deepEqual(await introspect(ctx, client, at), { active: false });
        assert.equal((await userinfo(ctx, at)).status, 401);
      }
      assert.deepEqual(await introspect(ctx, client, second.refresh_token), { active: false });
      await assertOAuthError(await refresh(ctx, basic(client), second.refresh_token), 400, 'invalid_grant');
    });
  }

  for (const hint of [undefined, 'access_token', 'refresh_token']) {
    it(`revoking an access token makes it inactive (hint: ${hint ?? 'none'})`, async () => {
      const t = await tokens();
      await assertRevoked200(await revoke(ctx, basic(client), t.access, hint));
      assert.deepEqual(await introspect(ctx, client, t.access), { active: false });
      assert.equal((await userinfo(ctx, t.access)).status, 401);
    });
  }

  it('answers 200 for unknown, garbage and already revoked tokens (§2.2)', async () => {
    const t = await tokens();
    await assertRevoked200(await revoke(ctx, basic(client), t.refresh));
    await assertRevoked200(await revoke(ctx, basic(client), t.refresh));
    for (const token of ['ghr_unknown', 'not-a-token', 'a.b.c', 'x'.repeat(5000)]) {
      await assertRevoked200(await revoke(ctx, basic(client), token));
    }
  });

  it('answers 200 for an unknown token_type_hint value rather than failing', async () => {
    const t = await tokens();
    await assertRevoked200(await revoke(ctx, basic(client), t.access, 'id_token'));
    assert.deepEqual(await introspect(ctx, client, t.access), { active: false });
  });

  it("refuses to revoke another client's refresh token, which keeps working", async () => {
    const t = await tokens();
    for (const hint of [undefined, 'access_token']) {
      await assertOAuthError(await revoke(ctx, basic(other), t.refresh, hint), 400, 'unauthorized_client');
    }
    assert.equal((await introspect(ctx, client, t.access)).active, true);
    assert.equal((await refresh(ctx, basic(client), t.refresh)).status, 200);
  });

  it("refuses to revoke another client's access token, which keeps working", async () => {
    const t = await tokens();
    for (const hint of [undefined, 'refresh_token']) {
      await assertOAuthError(await revoke(ctx, basic(other), t.access, hint), 400, 'unauthorized_client');
    }
    assert.equal((await introspect(ctx, client, t.access)).active, true);
    assert.equal((await userinfo(ctx, t.access)).status, 200);
  });

  it('answers invalid_request when token is missing', async () => {
    await assertOAuthError(await postForm(ctx, at('/oauth/revoke'), {}, basic(client)), 400, 'invalid_request');
    await assertOAuthError(await postForm(ctx, at('/oauth/revoke'), { token: '' }, basic(client)), 400, 'invalid_request');
  });

  it('refuses bad client authentication with 401 invalid_client, revoking nothing', async () => {
    const t = await tokens();
    const wrong = await revoke(ctx, { basic: { id: client.id, secret: 'wrong' } }, t.refresh);
    await assertOAuthError(wrong, 401, 'invalid_client');
    assert.match(wrong.headers.get('www-authenticate') ?? '', /^Basic /);
    await assertOAuthError(await revoke(ctx, 'none', t.refresh), 401, 'invalid_client');
    await assertOAuthError(await revoke(ctx, { publicId: client.id }, t.refresh), 401, 'invalid_client');
    assert.equal((await introspect(ctx, client, t.access)).active, true);
  });

  it('lets a public client revoke its own tokens with client_id alone', async () => {
    const t = await tokens({ id: publicId, secret: null });
    assert.equal((await userinfo(ctx, t.access)).status, 200);
    await assertRevoked200(await revoke(ctx, { publicId }, t.refresh, 'refresh_token'));
    assert.equal((await userinfo(ctx, t.access)).status, 401);
    await assertOAuthError(await refresh(ctx, { publicId }, t.refresh), 400, 'invalid_grant');
  });

  it("does not let a public client revoke a confidential client's token", async () => {
    const t = await tokens();
    await assertOAuthError(await revoke(ctx, { publicId }, t.refresh), 400, 'unauthorized_client');
    assert.equal((await introspect(ctx, client, t.access)).active, true);
  });
});
