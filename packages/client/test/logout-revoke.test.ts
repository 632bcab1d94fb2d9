import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IdpClient, OAuthResponseError } from '../src/index.js';
import { setup, signIn } from './helpers/setup.js';

test('logoutUrl carries id_token_hint, client_id, post_logout_redirect_uri and state', async () => {
  const { provider, idp } = await setup();
  const agent = await signIn(provider, idp);
  const url = new URL(idp.logoutUrl({ idTokenHint: agent.tokens.idToken, postLogoutRedirectUri: 'https://app.test/bye', state: 'st-1' }));
  assert.equal(`${url.origin}${url.pathname}`, `${provider.issuer}/oauth/logout`);
  assert.equal(url.searchParams.get('id_token_hint'), agent.tokens.idToken);
  assert.equal(url.searchParams.get('client_id'), provider.clientId);
  assert.equal(url.searchParams.get('post_logout_redirect_uri'), 'https://app.test/bye');
  assert.equal(url.searchParams.get('state'), 'st-1');
});

test('logoutUrl uses the discovered end_session_endpoint, and Gatehouse’s path before discovery', async () => {
  const { provider, idp } = await setup();
  assert.equal(idp.logoutUrl(), `${provider.issuer}/oauth/logout?client_id=${provider.clientId}`);
  provider.metadataOverrides = { end_session_endpoint: `${provider.issuer}/session/end?x=1` };
  await idp.discover();
  const url = new URL(idp.logoutUrl({ state: 's' }));
  assert.equal(url.pathname, '/session/end');
  assert.equal(url.searchParams.get('x'), '1');
  assert.equal(url.searchParams.get('state'), 's');
  const bare = new IdpClient({ issuerUrl: 'https://id.example.com/', clientId: 'c', redirectUri: 'https://app.test/cb' });
  assert.equal(bare.logoutUrl(), 'https://id.example.com/oauth/logout?client_id=c');
});

test('revoke posts the token to the revocation endpoint with client authentication', async () => {
  const { provider, idp } = await setup();
  const agent = await signIn(provider, idp);
  await idp.revoke(agent.tokens.refreshToken);
  await idp.revoke(agent.tokens.accessToken, { tokenTypeHint: 'access_token' });
  const calls = provider.requests.filter((r) => r.path === '/oauth/revoke');
  assert.equal(calls.length, 2);
  assert.deepEqual(provider.revoked, [agent.tokens.refreshToken, agent.tokens.accessToken]);
  assert.match(calls[0]?.headers.get('authorization') ?? '', /^Basic /);
  assert.equal(calls[0]?.form.has('token_type_hint'), false);
  assert.equal(calls[1]?.form.get('token_type_hint'), 'access_token');
});

test('revoke(undefined) does nothing; a refused revocation is an OAuthResponseError', async () => {
  const { provider, idp } = await setup();
  await idp.revoke(undefined);
  assert.equal(provider.requests.length, 0);
  provider.intercept = (r) => (r.path === '/oauth/revoke' ? Response.json({ error: 'unsupported_token_type' }, { status: 400 }) : undefined);
  await assert.rejects(idp.revoke('tok'), (e: unknown) => e instanceof OAuthResponseError && e.error === 'unsupported_token_type');
});

test('a public client authenticates with client_id only', async () => {
  const { provider } = await setup();
  const spa = new IdpClient({ issuerUrl: provider.issuer, clientId: 'spa', redirectUri: provider.redirectUri, fetch: provider.fetch });
  provider.intercept = (r) => (r.path === '/oauth/revoke' ? new Response(null, { status: 200 }) : undefined);
  await spa.revoke('tok');
  const call = provider.requests.find((r) => r.path === '/oauth/revoke');
  assert.equal(call?.headers.get('authorization'), null);
  assert.equal(call?.form.get('client_id'), 'spa');
});

test('client_secret_post is used when the provider does not offer client_secret_basic', async () => {
  const { provider, idp } = await setup();
  provider.metadataOverrides = { token_endpoint_auth_methods_supported: ['client_secret_post'] };
  provider.intercept = (r) => (r.path === '/oauth/revoke' ? new Response(null, { status: 200 }) : undefined);
  await idp.revoke('tok');
  const call = provider.requests.find((r) => r.path === '/oauth/revoke');
  assert.equal(call?.headers.get('authorization'), null);
  assert.equal(call?.form.get('client_id'), provider.clientId);
  assert.equal(call?.form.get('client_secret'), provider.clientSecret);
});
