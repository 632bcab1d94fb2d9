import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BearerTokenError, type ClaimRequirements, createResourceServer } from '../src/index.js';
import { FakeProvider } from './helpers/fake-provider.js';

// verify(req, { claims }): custom claims of the access token, checked after the signature and
// the scopes. A claim that does not match is 403 insufficient_scope naming the claim.
const KYC = { status: 'verified', level: 2, verified_at: 1_700_000_000 };
const CLAIMS = { kyc: KYC, roles: ['buyer', 'seller'], subscription: { status: 'active', plan: 'pro' }, tier: 'gold', beta: true };

async function token(): Promise<{ rs: ReturnType<typeof createResourceServer>; token: string }> {
  const provider = await FakeProvider.create();
  const rs = createResourceServer({ issuerUrl: provider.issuer, audience: 'https://api.test', fetch: provider.fetch, clock: provider.clock });
  return { rs, token: await provider.accessToken(CLAIMS) };
}

const level = (l: unknown): boolean => typeof l === 'number' && l >= 2;

for (const [name, claims] of [
  ['a value', { tier: 'gold' }],
  ['a boolean', { beta: true }],
  ['one of several values', { tier: ['silver', 'gold'] }],
  ['a value an array claim contains', { roles: 'seller' }],
  ['one of several values an array claim contains', { roles: ['admin', 'buyer'] }],
  ['a predicate', { kyc: { level } }],
  ['nested members', { kyc: { status: 'verified', level }, subscription: { status: ['active', 'trialing'] } }],
] as const satisfies readonly (readonly [string, ClaimRequirements])[]) {
  test(`a token meeting ${name} verifies`, async () => {
    const { rs, token: t } = await token();
    const verified = await rs.verify<typeof CLAIMS>(t, { scopes: ['payments'], claims });
    assert.deepEqual(verified.kyc, KYC);
  });
}

for (const [name, claims, claim] of [
  ['another value', { tier: 'silver' }, 'tier'],
  ['a value of another type', { beta: 'true' }, 'beta'],
  ['none of the values', { tier: ['silver', 'bronze'] }, 'tier'],
  ['a value the array lacks', { roles: 'admin' }, 'roles'],
  ['a predicate saying no', { kyc: { level: (l: unknown) => l === 3 } }, 'kyc.level'],
  ['a nested member that differs', { subscription: { status: 'canceled' } }, 'subscription.status'],
  ['an object where the claim is a string', { tier: { name: 'gold' } }, 'tier'],
  ['an absent claim', { kyc_level: 2 }, 'kyc_level'],
  ['a claim only the prototype has', { constructor: (v: unknown) => v !== undefined }, 'constructor'],
] as const satisfies readonly (readonly [string, ClaimRequirements, string])[]) {
  test(`a token failing ${name} is 403 insufficient_scope naming ${claim}`, async () => {
    const { rs, token: t } = await token();
    const error = await rs.verify(t, { claims }).catch((e: unknown) => e);
    assert.ok(error instanceof BearerTokenError, String(error));
    assert.equal(error.status, 403);
    assert.equal(error.error, 'insufficient_scope');
    assert.equal(error.claim, claim);
    assert.equal(error.wwwAuthenticate, 'Bearer error="insufficient_scope", error_description="The access token does not carry the claims this request needs"');
  });
}

test('missing scopes are answered before claims, with the scopes in WWW-Authenticate (RFC 6750 §3.1)', async () => {
  const { rs, token: t } = await token();
  const error = await rs.verify(t, { scopes: ['payments:refund'], claims: { tier: 'silver' } }).catch((e: unknown) => e);
  assert.ok(error instanceof BearerTokenError);
  assert.equal(error.claim, undefined);
  assert.match(error.wwwAuthenticate, /error="insufficient_scope".*scope="payments:refund"$/);
});
