import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { ProtocolError } from '../src/index.js';
import type { FakeProvider } from './helpers/fake-provider.js';
import { setup, tokenResponse } from './helpers/setup.js';

const isNonceMismatch = (e: unknown): boolean => {
  assert.ok(e instanceof ProtocolError, `expected ProtocolError, got ${String(e)}`);
  assert.equal(e.code, 'claim_mismatch');
  assert.equal(e.claim, 'nonce');
  return true;
};

/** The token endpoint answers the next code exchange with an ID token carrying `nonce` (or none). */
function answerWithNonce(provider: FakeProvider, nonce: string | undefined): void {
  provider.intercept = async (r) =>
    r.path === '/oauth/token'
      ? tokenResponse({ access_token: await provider.accessToken(), token_type: 'Bearer', expires_in: 900, id_token: await provider.idToken({ nonce }) })
      : undefined;
}

function codeOf(callback: string): string {
  return new URL(callback).searchParams.get('code') ?? '';
}

test('the nonce in the authorization URL is base64url(SHA-256("nonce:" + verifier)), not the challenge', async () => {
  const { idp } = await setup();
  const { url, codeVerifier, nonce } = await idp.createAuthorizationUrl();
  const q = new URL(url).searchParams;
  assert.equal(q.get('nonce'), nonce);
  assert.equal(nonce, createHash('sha256').update(`nonce:${codeVerifier}`).digest('base64url'));
  assert.notEqual(nonce, q.get('code_challenge'));
  assert.ok(!nonce.includes(codeVerifier) && !url.includes(codeVerifier), 'the verifier stays out of the URL');
});

test('exchangeCode(code, codeVerifier) checks the nonce: the ID token of this sign-in passes', async () => {
  const { provider, idp } = await setup();
  const a = await idp.createAuthorizationUrl();
  const agent = await idp.exchangeCode(codeOf(provider.authorize(a.url)), a.codeVerifier);
  assert.equal(agent.profile.nonce, a.nonce);
});

test('exchangeCode(code, codeVerifier) refuses an ID token swapped in from another sign-in', async () => {
  const { provider, idp } = await setup();
  const a = await idp.createAuthorizationUrl();
  const b = await idp.createAuthorizationUrl();
  const code = codeOf(provider.authorize(a.url));
  answerWithNonce(provider, b.nonce);
  await assert.rejects(idp.exchangeCode(code, a.codeVerifier), isNonceMismatch);
});

test('exchangeCode(code, codeVerifier) refuses an ID token without a nonce', async () => {
  const { provider, idp } = await setup();
  const a = await idp.createAuthorizationUrl();
  const code = codeOf(provider.authorize(a.url));
  answerWithNonce(provider, undefined);
  await assert.rejects(idp.exchangeCode(code, a.codeVerifier), isNonceMismatch);
});

test('the object form refuses an ID token without a nonce with the same typed error', async () => {
  const { provider, idp } = await setup();
  const a = await idp.createAuthorizationUrl();
  const callback = provider.authorize(a.url);
  answerWithNonce(provider, undefined);
  await assert.rejects(idp.exchangeCode(callback, a), isNonceMismatch);
});

test('an explicit nonce wins over the one derived from the verifier', async () => {
  const { provider, idp } = await setup();
  // An app that built its own authorization request with a nonce of its choosing.
  const a = await idp.createAuthorizationUrl();
  const own = new URL(a.url);
  own.searchParams.set('nonce', 'nonce-of-my-own');
  const code = codeOf(provider.authorize(own.href));
  assert.equal((await idp.exchangeCode(code, { codeVerifier: a.codeVerifier, nonce: 'nonce-of-my-own' })).profile.nonce, 'nonce-of-my-own');
  const b = await idp.createAuthorizationUrl();
  const other = codeOf(provider.authorize(b.url));
  await assert.rejects(idp.exchangeCode(other, { codeVerifier: b.codeVerifier, nonce: 'nonce-of-my-own' }), isNonceMismatch);
});
