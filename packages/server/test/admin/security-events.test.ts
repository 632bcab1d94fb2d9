import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SECURITY_EVENT_TYPES } from '../../src/admin/api/stats.js';
import { EVENT_TYPES } from '../../src/events/catalog.js';
import { admin, machineToken } from '../helpers/admin-api.js';
import { type TestContext, createTestContext } from '../helpers/harness.js';

/** The accounts issue's (20) security events: factors, lockouts, failed codes, sign-up abuse, wallets, passkeys, closing. */
const ACCOUNT_SECURITY_EVENTS = [
  'mfa.failed',
  'mfa.locked',
  'mfa.factor_added',
  'mfa.factor_removed',
  'mfa.recovery_codes_generated',
  'passkey.added',
  'passkey.removed',
  'passkey.used_failed',
  'wallet.linked',
  'wallet.unlinked',
  'sign_in.email_code_failed',
  'password.breached_refused',
  'abuse.proof_of_work_failed',
  'user.sign_up_attempted',
  'user.email_changed',
  'user.closed',
];

/** Successes and bookkeeping of the same areas: not what the overview's security list is for. */
const NOT_SECURITY = ['mfa.verified', 'sign_in.email_code', 'user.signed_up', 'user.email_verified', 'session.started', 'mail.requested'];

describe('the overview’s security events', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext();
  });
  after(() => ctx.close());

  it('is exactly the earlier set, the accounts issue’s and the later ones, each a catalogued type', () => {
    const earlier = [
      'sign_in.failed',
      'sign_in.throttled',
      'token.reused',
      'grant.revoked',
      'user.disabled',
      'user.password_changed',
      'client.secret_rotated',
      'key.rotated',
      'admin.role_granted',
      'admin.role_revoked',
      'admin.signed_in',
      'admin.setup_completed',
    ];
    // Revocation reaching resource servers, per-scope revocation, and federation's links.
    const later = ['access_token.revoked', 'grant.scope_removed', 'identity.linked', 'identity.unlinked'];
    assert.deepEqual([...SECURITY_EVENT_TYPES].sort(), [...earlier, ...ACCOUNT_SECURITY_EVENTS, ...later].sort());
    assert.equal(new Set(SECURITY_EVENT_TYPES).size, SECURITY_EVENT_TYPES.length, 'no type twice');
    for (const type of SECURITY_EVENT_TYPES) assert.ok(EVENT_TYPES.includes(type), `${type} is in the catalog`);
    for (const type of NOT_SECURITY) assert.ok(!SECURITY_EVENT_TYPES.includes(type as never), `${type} is not a security event`);
  });

  it('GET /stats lists them among the recent security events', async () => {
    const { token } = await machineToken(ctx, 'admin:read');
    const events = ctx.scope.repos.events;
    await events.record({ type: 'mfa.locked', userId: 'u-1', payload: { factor: 'totp', limit: 'user', seconds: 900 } });
    await events.record({ type: 'wallet.unlinked', userId: 'u-1', payload: { wallet_id: 'w-1', address: '0xabc' } });
    await events.record({ type: 'sign_in.email_code_failed', address: '203.0.113.4', payload: { reason: 'wrong' } });
    await events.record({ type: 'mfa.verified', userId: 'u-1', payload: { factor: 'totp', remembered: false } });
    const res = await admin(ctx, token, 'GET', '/stats?days=1');
    assert.equal(res.status, 200);
    const body = (await res.json()) as { recent_security_events: { type: string }[] };
    const types = body.recent_security_events.map((e) => e.type);
    for (const type of ['mfa.locked', 'wallet.unlinked', 'sign_in.email_code_failed']) assert.ok(types.includes(type), `${type} in ${types.join(', ')}`);
    assert.ok(!types.includes('mfa.verified'));
  });
});
