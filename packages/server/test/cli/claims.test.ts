import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { type TestContext, createTestContext, createTestUser } from '../helpers/harness.js';
import { gatehouse, gatehouseJson } from '../helpers/cli-run.js';
import { signInForTokens } from '../helpers/flow.js';
import { confidentialClient } from '../helpers/oauth-requests.js';

const KYC = JSON.stringify({
  type: 'object',
  properties: {
    status: { enum: ['none', 'pending', 'verified', 'rejected'] },
    level: { type: 'integer', minimum: 0, maximum: 3 },
    verified_at: { type: 'string', format: 'date-time' },
  },
  required: ['status', 'level'],
});

describe('gatehouse api, scope, attr and user attr', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext();
  });
  after(() => ctx.close());

  it('defines kyc, sets it on a user (refusing what breaks the schema) and the running server releases it', async () => {
    const defined = await gatehouse(ctx, ['attr', 'define', 'kyc', '--schema', KYC, '--description', 'KYC']);
    assert.equal(defined.code, 0, defined.err);
    const reserved = await gatehouse(ctx, ['attr', 'define', 'sub', '--schema', '{"type":"string"}']);
    assert.equal(reserved.code, 2);
    assert.match(reserved.err, /reserved/);
    const scope = await gatehouse(ctx, [
      'scope',
      'create',
      'kyc',
      '--description',
      'See your KYC status',
      '--description',
      'de=Ihren KYC-Status sehen',
      '--claim',
      'kyc',
      '--id-token',
    ]);
    assert.equal(scope.code, 0, scope.err);
    const api = await gatehouse(ctx, [
      'api',
      'create',
      '--identifier',
      'https://api.coinpay.example',
      '--name',
      'CoinPay',
      '--scope',
      'payments=Make payments',
      '--scope',
      'payments:refund',
      '--ttl',
      '600',
      '--claim',
      'kyc',
    ]);
    assert.equal(api.code, 0, api.err);
    assert.match(api.out, /Registered API https:\/\/api.coinpay.example \(CoinPay\) with scopes: payments payments:refund/);
    const listed = await gatehouseJson<{ identifier: string; access_token_ttl: number }[]>(ctx, ['api', 'list']);
    assert.deepEqual(
      listed.map((a) => [a.identifier, a.access_token_ttl]),
      [['https://api.coinpay.example', 600]],
    );
    assert.match((await gatehouse(ctx, ['scope', 'list'])).out, /kyc\s+kyc\s+optional\s+See your KYC status/);

    const user = await createTestUser(ctx);
    const bad = await gatehouse(ctx, ['user', 'attr', 'set', user.email, 'kyc', '{"status":"approved","level":1}']);
    assert.equal(bad.code, 2, bad.out);
    assert.match(bad.err, /status: must be one of/);
    const set = await gatehouse(ctx, ['user', 'attr', 'set', user.email, 'kyc', '{"status":"verified","level":2,"verified_at":"2026-11-02T10:00:00Z"}']);
    assert.equal(set.code, 0, set.err);
    assert.deepEqual(await gatehouseJson(ctx, ['user', 'attr', 'list', user.id]), {
      kyc: { status: 'verified', level: 2, verified_at: '2026-11-02T10:00:00Z' },
    });

    // The CLI bumped the issuer's revision: the server's scope is built again when next read.
    ctx.clock.advance(31);
    const client = await confidentialClient(ctx, { scopes: ['openid', 'kyc'] });
    const { tokens } = await signInForTokens(ctx, client, user.email, { scope: 'openid kyc' });
    assert.deepEqual(decodeJwt(tokens.id_token as string).kyc, { status: 'verified', level: 2, verified_at: '2026-11-02T10:00:00Z' });

    assert.equal((await gatehouse(ctx, ['attr', 'delete', 'kyc'])).code, 1, 'still released by the scope and the API');
    assert.equal((await gatehouse(ctx, ['user', 'attr', 'unset', user.email, 'kyc'])).code, 0);
    assert.deepEqual(await gatehouseJson(ctx, ['user', 'attr', 'list', user.email]), {});
    assert.equal((await gatehouse(ctx, ['api', 'delete', 'https://api.coinpay.example'])).code, 0);
    assert.equal((await gatehouse(ctx, ['api', 'delete', 'https://api.coinpay.example'])).code, 1);
  });
});
