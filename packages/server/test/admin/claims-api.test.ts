import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestContext, createTestContext, createTestUser } from '../helpers/harness.js';
import { admin, personToken } from '../helpers/admin-api.js';
import { KYC_SCHEMA } from '../claims/helpers.js';

describe('Admin API: scopes, APIs and attributes', () => {
  let ctx: TestContext;
  let token: string;
  before(async () => {
    ctx = await createTestContext();
    token = (await personToken(ctx, 'admin')).token;
  });
  after(() => ctx.close());

  const body = async (res: Response): Promise<Record<string, unknown>> => (await res.json()) as Record<string, unknown>;

  it('defines an attribute, a scope and an API, lists them and refuses reserved claims', async () => {
    assert.equal((await admin(ctx, token, 'PUT', '/attributes/kyc', { schema: KYC_SCHEMA, description: 'KYC' })).status, 201);
    assert.equal((await admin(ctx, token, 'PUT', '/attributes/kyc', { schema: KYC_SCHEMA, description: 'KYC status' })).status, 200);
    const reserved = await admin(ctx, token, 'PUT', '/attributes/sub', { schema: { type: 'string' } });
    assert.equal(reserved.status, 400);
    assert.match(String((await body(reserved)).detail), /reserved/);
    const scope = await admin(ctx, token, 'PUT', '/scopes/kyc', {
      descriptions: { en: 'See your KYC status', ar: 'عرض حالة التحقق' },
      claims: ['kyc'],
      id_token: true,
    });
    assert.equal(scope.status, 201);
    assert.deepEqual((await body(scope)).id_token, true);
    const api = await admin(ctx, token, 'PUT', '/apis', {
      identifier: 'https://api.coinpay.example',
      name: 'CoinPay',
      scopes: [{ name: 'payments', description: 'Pay' }, 'payments:refund'],
      access_token_ttl: 600,
      claims: ['kyc'],
    });
    assert.equal(api.status, 201);
    const listed = await body(await admin(ctx, token, 'GET', '/apis'));
    assert.deepEqual(listed.items, [
      {
        identifier: 'https://api.coinpay.example',
        name: 'CoinPay',
        scopes: [
          { name: 'payments', description: 'Pay' },
          { name: 'payments:refund', description: '' },
        ],
        access_token_ttl: 600,
        claims: ['kyc'],
      },
    ]);
    const clash = await admin(ctx, token, 'PUT', '/scopes/payments', { descriptions: { en: 'x' } });
    assert.equal(clash.status, 400);
    assert.equal((await admin(ctx, token, 'DELETE', '/attributes/kyc')).status, 409, 'still released');
    const doc = await body(await ctx.app.request(ctx.scope.path('/.well-known/openid-configuration')));
    assert.ok((doc.scopes_supported as string[]).includes('payments:refund'), 'discovery follows at once in this process');
  });

  it('registers a claims hook, shows its secret once, and never again', async () => {
    const made = await admin(ctx, token, 'PUT', '/claims-hooks/risk', { url: 'https://hooks.example.com/claims', claims: ['risk_score'], failure: 'omit' });
    assert.equal(made.status, 201);
    const created = await body(made);
    assert.match(String(created.secret), /^whsec_/);
    const replaced = await body(await admin(ctx, token, 'PUT', '/claims-hooks/risk', { url: 'https://hooks.example.com/claims2', claims: ['risk_score'] }));
    assert.equal(replaced.secret, null);
    const listed = await admin(ctx, token, 'GET', '/claims-hooks');
    const text = await listed.text();
    assert.ok(!text.includes(String(created.secret)) && !text.includes('sealed'), 'no secret in a read');
    assert.deepEqual((JSON.parse(text) as { items: unknown[] }).items, [
      { name: 'risk', url: 'https://hooks.example.com/claims2', claims: ['risk_score'], scopes: [], failure: 'deny' },
    ]);
    assert.equal((await admin(ctx, token, 'PUT', '/claims-hooks/bad', { url: 'https://hooks.example.com/x', claims: ['aud'] })).status, 400);
    assert.equal((await admin(ctx, token, 'DELETE', '/claims-hooks/risk')).status, 204);
  });

  it('sets a user’s attribute only when it matches the schema, and removes it', async () => {
    const user = await createTestUser(ctx);
    const bad = await admin(ctx, token, 'PUT', `/users/${user.id}/attributes/kyc`, { value: { status: 'maybe', level: 1 } });
    assert.equal(bad.status, 400);
    assert.match(String((await body(bad)).detail), /status: must be one of/);
    const ok = await admin(ctx, token, 'PUT', `/users/${user.id}/attributes/kyc`, { value: { status: 'verified', level: 3 } });
    assert.equal(ok.status, 200);
    assert.deepEqual(await body(ok), { kyc: { status: 'verified', level: 3 } });
    assert.equal((await admin(ctx, token, 'PUT', '/users/nobody/attributes/kyc', { value: { status: 'none', level: 0 } })).status, 404);
    const [set] = await ctx.scope.repos.events.list({ type: 'attribute.set', userId: user.id });
    assert.deepEqual(set?.payload, { target: 'user', subject_id: user.id, name: 'kyc' }, 'the name is recorded, never the value');
    assert.equal((await admin(ctx, token, 'DELETE', `/users/${user.id}/attributes/kyc`)).status, 204);
    assert.equal((await ctx.scope.repos.events.list({ type: 'attribute.removed', userId: user.id })).length, 1);
    assert.deepEqual(await body(await admin(ctx, token, 'GET', `/users/${user.id}/attributes`)), {});
  });
});
