import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { exportPKCS8, generateKeyPair } from 'jose';
import { parseAppleSecret } from '../../src/federation/apple.js';
import { openClientSecret } from '../../src/federation/providers.js';
import { admin, personToken } from '../helpers/admin-api.js';
import { gatehouse, gatehouseJson } from '../helpers/cli-run.js';
import { type TestContext, createTestContext, secondIssuer } from '../helpers/harness.js';

// Configuring the Apple preset: team id, key id and the .p8 key through the CLI (key on stdin)
// and the Admin API; the key is sealed at rest, never returned, and checked to be a P-256 key.
describe('Apple preset configuration (CLI and Admin API)', () => {
  let ctx: TestContext;
  let token: string;
  let pem: string;

  before(async () => {
    ctx = await createTestContext();
    await secondIssuer(ctx, 'acme');
    token = (await personToken(ctx, 'admin')).token;
    pem = await exportPKCS8((await generateKeyPair('ES256', { extractable: true })).privateKey);
  });
  after(() => ctx.close());

  it('creates it in the CLI with the .p8 key from stdin, sealed, and refuses a client secret for it', async () => {
    const base = ['idp', 'create', '--issuer', 'acme', '--id', 'apple', '--preset', 'apple', '--client-id', 'com.example.web'];
    const missing = await gatehouse(ctx, [...base, '--apple-team-id', 'TEAM123456', '--apple-key-id', 'KEY1234567']);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /--apple-private-key-stdin/);
    const created = await gatehouseJson<Record<string, unknown>>(
      ctx,
      [...base, '--apple-team-id', 'TEAM123456', '--apple-key-id', 'KEY1234567', '--apple-private-key-stdin'],
      [`${pem}\n`],
    );
    assert.equal(created.issuer_url, 'https://appleid.apple.com');
    assert.deepEqual(created.scopes, ['openid', 'email', 'name']);
    assert.ok(!JSON.stringify(created).includes('PRIVATE KEY'));
    const acme = await ctx.services.scopes.byId('acme');
    assert.ok(acme);
    const provider = await acme.repos.upstreamProviders.find('apple');
    assert.ok(provider);
    assert.ok(!provider.sealedClientSecret.includes('PRIVATE KEY'));
    assert.deepEqual(parseAppleSecret(await openClientSecret(acme, provider)), { teamId: 'TEAM123456', keyId: 'KEY1234567', privateKey: pem.trim() });
    const withSecret = await gatehouse(ctx, ['idp', 'update', 'apple', '--issuer', 'acme', '--client-secret-stdin'], ['static']);
    assert.equal(withSecret.code, 2);
    assert.match(withSecret.err, /no client secret/);
    const updated = await gatehouse(ctx, ['idp', 'update', 'apple', '--issuer', 'acme', '--apple-key-id', 'KEY7654321']);
    assert.equal(updated.code, 0, updated.err);
    const after = await acme.repos.upstreamProviders.find('apple');
    assert.ok(after);
    assert.equal(parseAppleSecret(await openClientSecret(acme, after)).keyId, 'KEY7654321');
  });

  it('creates it through the Admin API; a key that is no P-256 key and a missing team id are refused by field', async () => {
    const body = {
      id: 'apple',
      preset: 'apple',
      client_id: 'com.example.web',
      apple_team_id: 'TEAM123456',
      apple_key_id: 'KEY1234567',
      apple_private_key: pem,
    };
    const bad = await admin(ctx, token, 'POST', '/upstream-providers', { ...body, apple_private_key: 'not a key' });
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /apple_private_key/);
    const noTeam = await admin(ctx, token, 'POST', '/upstream-providers', { ...body, apple_team_id: undefined });
    assert.equal(noTeam.status, 400);
    assert.match(await noTeam.text(), /apple_team_id/);
    const res = await admin(ctx, token, 'POST', '/upstream-providers', body);
    assert.equal(res.status, 201);
    assert.ok(!(await res.text()).includes('PRIVATE KEY'));
    const other = await admin(ctx, token, 'POST', '/upstream-providers', {
      id: 'g',
      preset: 'google',
      client_id: 'c',
      client_secret: 's',
      apple_team_id: 'TEAM123456',
    });
    assert.equal(other.status, 400);
    const noSecret = await admin(ctx, token, 'POST', '/upstream-providers', { id: 'g', preset: 'google', client_id: 'c' });
    assert.equal(noSecret.status, 400);
  });
});
