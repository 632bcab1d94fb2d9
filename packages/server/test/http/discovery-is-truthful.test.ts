import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ISSUER } from '../helpers/flow.js';
import { type TestContext, createTestClient, createTestContext } from '../helpers/harness.js';
import { basic, json, postForm } from '../helpers/oauth-requests.js';
import { at } from '../helpers/prefix.js';

/** The metadata fields that name an address of ours, with the methods their specs use. */
const URL_FIELDS: Record<string, string[]> = {
  authorization_endpoint: ['GET', 'POST'],
  token_endpoint: ['POST'],
  userinfo_endpoint: ['GET', 'POST'],
  jwks_uri: ['GET'],
  revocation_endpoint: ['POST'],
  introspection_endpoint: ['POST'],
  revocation_feed_endpoint: ['GET', 'POST'],
  end_session_endpoint: ['GET', 'POST'],
};

// Every address the provider metadata advertises is served, in this very app.
describe('discovery metadata is truthful', () => {
  let ctx: TestContext;
  let meta: Record<string, unknown>;

  before(async () => {
    ctx = await createTestContext();
    meta = await json(await ctx.app.request(at('/.well-known/openid-configuration')));
  });
  after(() => ctx.close());

  /** The in-process path of an advertised URL, which must live under the issuer. */
  function pathOf(field: string): string {
    const url = meta[field];
    assert.equal(typeof url, 'string', `${field} is advertised`);
    assert.ok((url as string).startsWith(`${ISSUER}/`), `${field} is under the issuer`);
    const parsed = new URL(url as string);
    return `${parsed.pathname}${parsed.search}`;
  }

  for (const [field, methods] of Object.entries(URL_FIELDS)) {
    it(`${field} answers ${methods.join(' and ')} (not 404)`, async () => {
      const path = pathOf(field);
      for (const method of methods) {
        const res = await ctx.app.request(path, {
          method,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: method === 'POST' ? '' : undefined,
        });
        assert.notEqual(res.status, 404, `${method} ${path}`);
        assert.ok(res.status < 500, `${method} ${path} answered ${res.status}`);
      }
    });
  }

  it('advertises no endpoint field that is missing from the checks above', () => {
    const advertised = Object.keys(meta).filter((k) => k.endsWith('_endpoint') || k.endsWith('_uri'));
    assert.deepEqual(advertised.sort(), Object.keys(URL_FIELDS).sort());
  });

  it('the jwks_uri serves a key set', async () => {
    const res = await ctx.app.request(pathOf('jwks_uri'));
    assert.equal(res.status, 200);
    const body = (await res.json()) as { keys: unknown[] };
    assert.ok(Array.isArray(body.keys) && body.keys.length > 0);
  });

  it('every advertised grant type, scope and auth method works at the token endpoint', async () => {
    const made = await createTestClient(ctx);
    const client = { id: made.client.id, secret: made.secret as string };
    const grants = meta.grant_types_supported as string[];
    for (const grantType of grants) {
      const res = await postForm(ctx, pathOf('token_endpoint'), { grant_type: grantType }, basic(client));
      const body = await json(res);
      assert.notEqual(body.error, 'unsupported_grant_type', grantType);
    }
    const methods = meta.token_endpoint_auth_methods_supported as string[];
    assert.deepEqual([...methods].sort(), ['client_secret_basic', 'client_secret_post', 'none']);
    const viaPost = await postForm(ctx, pathOf('token_endpoint'), { grant_type: 'client_credentials', scope: 'payments' }, { post: client });
    assert.equal(viaPost.status, 200);
    assert.deepEqual(meta.introspection_endpoint_auth_methods_supported, ['client_secret_basic', 'client_secret_post']);
  });
});
