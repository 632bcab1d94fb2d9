import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertErrorRedirect, assertInteractionPage, callbackParams } from '../helpers/authorize-pages.js';
import { authorizeUrl } from '../helpers/flow.js';
import { type TestContext, createTestClient, createTestContext } from '../helpers/harness.js';
import { at } from '../helpers/prefix.js';

// RFC 6749 §4.1.2.1: once the client and redirect URI are known, every other error goes back to
// the client by redirect, with error, error_description, state and iss (RFC 9207) in the query.
describe('authorize: errors after the client and redirect URI are established redirect back', () => {
  let ctx: TestContext;
  let clientId: string;
  let noCodeClientId: string;

  before(async () => {
    ctx = await createTestContext();
    clientId = (await createTestClient(ctx, { resources: ['https://api.example-business.com'] })).client.id;
    noCodeClientId = (await createTestClient(ctx, { grantTypes: ['client_credentials'] })).client.id;
  });
  after(() => ctx.close());

  async function expectError(extra: Record<string, string | undefined>, error: string, id = clientId): Promise<URLSearchParams> {
    const req = authorizeUrl(id, extra);
    const res = await ctx.app.request(req.url);
    const params = assertErrorRedirect(res, error, { state: extra.state === undefined && 'state' in extra ? undefined : req.state });
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.equal(res.headers.getSetCookie().length, 0, 'no interaction is started');
    return params;
  }

  const cases: [string, Record<string, string | undefined>, string][] = [
    // A missing required parameter is invalid_request (RFC 6749 §4.1.2.1); only a value the
    // server does not support is unsupported_response_type.
    ['a missing response_type', { response_type: undefined }, 'invalid_request'],
    ['response_type=token', { response_type: 'token' }, 'unsupported_response_type'],
    ['response_type=id_token', { response_type: 'id_token' }, 'unsupported_response_type'],
    ['response_type=code id_token', { response_type: 'code id_token' }, 'unsupported_response_type'],
    ['a missing code_challenge', { code_challenge: undefined }, 'invalid_request'],
    ['code_challenge_method=plain', { code_challenge_method: 'plain' }, 'invalid_request'],
    ['an absent code_challenge_method (which means plain)', { code_challenge_method: undefined }, 'invalid_request'],
    ['a lower-case code_challenge_method', { code_challenge_method: 's256' }, 'invalid_request'],
    ['a too short code_challenge', { code_challenge: 'abc' }, 'invalid_request'],
    ['a code_challenge with non-base64url characters', { code_challenge: `${'a'.repeat(42)}+` }, 'invalid_request'],
    ['a too long code_challenge', { code_challenge: 'a'.repeat(44) }, 'invalid_request'],
    ['a scope not allowed for the client', { scope: 'openid admin' }, 'invalid_scope'],
    ['a missing scope', { scope: undefined }, 'invalid_scope'],
    ['a request object', { request: 'eyJhbGciOiJub25lIn0.eyJzY29wZSI6Im9wZW5pZCJ9.' }, 'request_not_supported'],
    ['a request_uri', { request_uri: 'https://example-business.com/request.jwt' }, 'request_uri_not_supported'],
    ['an unknown prompt value', { prompt: 'bogus' }, 'invalid_request'],
    ['prompt=none combined with login', { prompt: 'none login' }, 'invalid_request'],
    ['prompt=none combined with consent', { prompt: 'consent none' }, 'invalid_request'],
    ['a negative max_age', { max_age: '-1' }, 'invalid_request'],
    ['a non-numeric max_age', { max_age: 'abc' }, 'invalid_request'],
    ['a fractional max_age', { max_age: '1.5' }, 'invalid_request'],
    ['response_mode=fragment', { response_mode: 'fragment' }, 'invalid_request'],
    ['response_mode=form_post', { response_mode: 'form_post' }, 'invalid_request'],
    ['an unregistered resource', { resource: 'https://evil.example' }, 'invalid_target'],
    ['a garbage id_token_hint', { id_token_hint: 'not.a.jwt' }, 'invalid_request'],
    ['an overlong parameter', { login_hint: 'x'.repeat(5000) }, 'invalid_request'],
  ];
  for (const [what, extra, error] of cases) {
    it(`redirects ${error} for ${what}`, async () => {
      await expectError(extra, error);
    });
  }

  it('puts the error in the query even when the request asked for the fragment', async () => {
    const req = authorizeUrl(clientId, { response_mode: 'fragment' });
    const location = (await ctx.app.request(req.url)).headers.get('location') ?? '';
    assert.ok(!location.includes('#'), location);
  });

  it('redirects unauthorized_client for a client not allowed the code flow', async () => {
    await expectError({}, 'unauthorized_client', noCodeClientId);
  });

  it('leaves state out when the request had none', async () => {
    const params = await expectError({ state: undefined, code_challenge: undefined }, 'invalid_request');
    assert.equal(params.has('state'), false);
  });

  it('returns state byte for byte, including characters that need encoding', async () => {
    const state = 'a b&c=d/é+%';
    const req = authorizeUrl(clientId, { state, scope: 'openid admin' });
    assertErrorRedirect(await ctx.app.request(req.url), 'invalid_scope', { state });
  });

  it('keeps the registered redirect URI intact and only adds parameters', async () => {
    const req = authorizeUrl(clientId, { response_type: 'token' });
    const location = (await ctx.app.request(req.url)).headers.get('location') ?? '';
    const params = callbackParams(location, { state: req.state });
    assert.deepEqual([...params.keys()].sort(), ['error', 'error_description', 'iss', 'state']);
  });

  it('redirects errors from a POST to the authorization endpoint the same way', async () => {
    const req = authorizeUrl(clientId, { scope: 'openid admin' });
    const res = await ctx.app.request(at('/oauth/authorize'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URL(req.url).search.slice(1),
    });
    assertErrorRedirect(res, 'invalid_scope', { state: req.state });
  });

  it('still starts an interaction for the same request without the faults', async () => {
    await assertInteractionPage(await ctx.app.request(authorizeUrl(clientId).url));
  });
});
