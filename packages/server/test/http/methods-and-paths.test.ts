import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestContext, createTestContext } from '../helpers/harness.js';
import { at } from '../helpers/prefix.js';

const ENDPOINT_METHODS: [string, string[]][] = [
  ['/oauth/token', ['POST']],
  ['/oauth/revoke', ['POST']],
  ['/oauth/introspect', ['POST']],
  ['/oauth/userinfo', ['GET', 'POST']],
];

// Wrong methods get 405 with Allow (RFC 9110 §15.5.6); unknown paths a JSON 404.
describe('methods and paths', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext();
  });
  after(() => ctx.close());

  for (const [path, allowed] of ENDPOINT_METHODS) {
    for (const method of ['GET', 'PUT', 'DELETE', 'PATCH'].filter((m) => !allowed.includes(m))) {
      it(`${method} ${path} → 405 with Allow: ${allowed.join(', ')}`, async () => {
        const res = await ctx.app.request(at(path), { method });
        const text = await res.text();
        assert.equal(res.status, 405, text);
        const allow = (res.headers.get('allow') ?? '').split(',').map((m) => m.trim());
        assert.deepEqual(allow.sort(), [...allowed].sort());
        assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
        assert.equal((JSON.parse(text) as { error: string }).error, 'invalid_request');
      });
    }
  }

  it('GET /oauth/token with parameters in the query is still 405, not a token', async () => {
    const res = await ctx.app.request(at('/oauth/token?grant_type=client_credentials&client_id=x&client_secret=y'));
    assert.equal(res.status, 405);
    assert.equal(res.headers.get('allow'), 'POST');
  });

  it('PUT /oauth/logout → 405 with Allow: GET, POST', async () => {
    const res = await ctx.app.request(at('/oauth/logout'), { method: 'PUT' });
    assert.equal(res.status, 405);
    assert.deepEqual(
      (res.headers.get('allow') ?? '')
        .split(',')
        .map((m) => m.trim())
        .sort(),
      ['GET', 'POST'],
    );
  });

  for (const path of ['/nope', '/oauth/tokens', '/oauth/token/extra', '/.well-known/nothing', '/oauth']) {
    it(`unknown path ${path} → 404 JSON`, async () => {
      const res = await ctx.app.request(at(path));
      assert.equal(res.status, 404);
      assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
      const body = (await res.json()) as { error?: unknown };
      assert.equal(typeof body.error, 'string');
    });
  }

  it('answers a CORS preflight for userinfo', async () => {
    const res = await ctx.app.request(at('/oauth/userinfo'), {
      method: 'OPTIONS',
      headers: { origin: 'https://spa.example', 'access-control-request-method': 'GET' },
    });
    assert.ok(res.status === 204 || res.status === 200);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    assert.match(res.headers.get('access-control-allow-headers') ?? '', /authorization/i);
  });
});
