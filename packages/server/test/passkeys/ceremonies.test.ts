import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { verifyRegistrationResponse } from '@simplewebauthn/server';
import type { IssuerScope } from '../../src/issuers/scope.js';
import { assertionOptions, registrationOptions, verifyAssertion, verifyRegistration } from '../../src/passkeys/ceremonies.js';
import { passkeyMethods } from '../../src/passkeys/amr.js';
import { authenticatedBy } from '../../src/signin/assurance.js';
import type { User } from '../../src/store/repos/users.js';
import { type TestContext, createTestContext, createTestUser, secondIssuer } from '../helpers/harness.js';
import { issuerAt } from '../helpers/prefix.js';
import { VirtualAuthenticator } from '../helpers/virtual-authenticator.js';
import { WAIT_GUARD_MS } from '../helpers/wait.js';

// Registration and authentication checked by the real server code against real responses of
// Chromium's virtual authenticator, and the attacks on them: a replayed challenge, another
// origin, another RP ID, another issuer's credential, a passwordless sign-in without user
// verification. The issuer is https://login.gatehouse.example.com, so a page at a sibling
// host (evil.gatehouse.example.com) can legally use the parent domain as its RP ID, as an attacker's would.
const ORIGIN = 'https://login.gatehouse.example.com';
const EVIL = 'https://evil.gatehouse.example.com';
const PARENT = 'gatehouse.example.com';

describe('passkey ceremonies with a virtual authenticator', { timeout: 4 * WAIT_GUARD_MS }, () => {
  let ctx: TestContext;
  let scope: IssuerScope;
  let authenticator: VirtualAuthenticator;
  let user: User;

  before(async () => {
    ctx = await createTestContext({ GATEHOUSE_ISSUER: issuerAt(ORIGIN) });
    scope = ctx.scope;
    user = await createTestUser(ctx);
    authenticator = await VirtualAuthenticator.start();
  });
  after(async () => {
    await authenticator?.close();
    await ctx?.close();
  });

  /** Registers a passkey for `who` at `at` through the server's own options and checks. */
  async function register(at: IssuerScope, who: User, binding = `session-${who.id}`): Promise<string> {
    const response = await authenticator.create(ORIGIN, await registrationOptions(at, who, binding));
    const result = await verifyRegistration(at, binding, who.id, response, 'Laptop');
    assert.ok(result.ok, `registered: ${JSON.stringify(result)}`);
    return (await at.repos.passkeys.create(result.passkey)).credentialId;
  }

  it('registers a discoverable, user-verified passkey and signs in with it alone, once per challenge', async () => {
    const credentialId = await register(scope, user);
    const stored = await scope.repos.passkeys.findByCredentialId(credentialId);
    assert.equal(stored?.userId, user.id);
    assert.equal(stored?.name, 'Laptop');
    assert.ok(stored && stored.publicKey.length > 32, 'a COSE public key is kept');
    assert.deepEqual(stored?.transports, ['internal']);

    const options = await assertionOptions(scope, 'login', 'interaction-one', null);
    assert.equal(options.userVerification, 'required');
    assert.deepEqual(options.allowCredentials, [], 'no list: the authenticator offers its discoverable credentials');
    const assertion = await authenticator.get(ORIGIN, options);
    const result = await verifyAssertion(scope, 'login', 'interaction-one', assertion, { requireUserVerification: true });
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.passkey.userId, user.id);
    assert.equal(result.userVerified, true);
    // The virtual authenticator's keys are not backup-eligible: hardware-bound, and verified.
    assert.deepEqual(authenticatedBy(passkeyMethods(result.deviceType, result.userVerified)), {
      amr: ['hwk', 'user', 'mfa'],
      acr: 'urn:gatehouse:acr:2fa',
    });
    assert.ok((await scope.repos.passkeys.findByCredentialId(credentialId))?.lastUsedAt);

    // The same assertion again: its challenge is spent.
    const replay = await verifyAssertion(scope, 'login', 'interaction-one', assertion, { requireUserVerification: true });
    assert.deepEqual(replay, { ok: false, reason: 'challenge' });
  });

  it('refuses an assertion for another interaction than the one its challenge was issued to', async () => {
    const options = await assertionOptions(scope, 'login', 'interaction-a', null);
    const assertion = await authenticator.get(ORIGIN, options);
    assert.deepEqual(await verifyAssertion(scope, 'login', 'interaction-b', assertion, { requireUserVerification: true }), { ok: false, reason: 'challenge' });
    // Nor as a second factor's answer in the same interaction: the purposes are apart.
    assert.deepEqual(await verifyAssertion(scope, 'mfa', 'interaction-a', assertion, { userId: user.id, requireUserVerification: false }), {
      ok: false,
      reason: 'challenge',
    });
    assert.equal((await verifyAssertion(scope, 'login', 'interaction-a', assertion, { requireUserVerification: true })).ok, true);
  });

  it('refuses a challenge older than five minutes', async () => {
    const options = await assertionOptions(scope, 'login', 'interaction-late', null);
    const assertion = await authenticator.get(ORIGIN, options);
    ctx.clock.advance(5 * 60);
    assert.deepEqual(await verifyAssertion(scope, 'login', 'interaction-late', assertion, { requireUserVerification: true }), {
      ok: false,
      reason: 'challenge',
    });
  });

  it('refuses a registration answering another session’s challenge, or replayed', async () => {
    const options = await registrationOptions(scope, user, 'session-x');
    const response = await authenticator.create(ORIGIN, { ...options, excludeCredentials: [] });
    assert.deepEqual(await verifyRegistration(scope, 'session-y', user.id, response, 'x'), { ok: false, reason: 'challenge' });
    const registered = await verifyRegistration(scope, 'session-x', user.id, response, 'Phone');
    assert.ok(registered.ok);
    // Kept: a resident key for the same user replaced the first one in the authenticator.
    await scope.repos.passkeys.create(registered.passkey);
    assert.deepEqual(await verifyRegistration(scope, 'session-x', user.id, response, 'x'), { ok: false, reason: 'challenge' });
  });

  it('refuses a passwordless sign-in without user verification, and takes one as a second factor (possession only)', async () => {
    const other = await createTestUser(ctx);
    await register(scope, other);
    await authenticator.setUserVerified(false);
    try {
      // The attacker's page asks the authenticator not to verify; the server requires it.
      const options = await assertionOptions(scope, 'login', 'interaction-uv', null);
      const assertion = await authenticator.get(ORIGIN, options, { userVerification: 'discouraged' });
      const refused = await verifyAssertion(scope, 'login', 'interaction-uv', assertion, { requireUserVerification: true });
      assert.equal(refused.ok, false);
      assert.equal(!refused.ok && refused.reason, 'user_verification');

      const factor = await assertionOptions(scope, 'mfa', 'interaction-mfa', other.id);
      assert.equal(factor.userVerification, 'preferred');
      assert.equal(factor.allowCredentials?.length, 1, "the user's own passkey is listed");
      const second = await authenticator.get(ORIGIN, factor, { userVerification: 'discouraged' });
      const result = await verifyAssertion(scope, 'mfa', 'interaction-mfa', second, { userId: other.id, requireUserVerification: false });
      assert.ok(result.ok, JSON.stringify(result));
      assert.equal(result.userVerified, false);
      assert.deepEqual(passkeyMethods(result.deviceType, result.userVerified), ['hwk']);
    } finally {
      await authenticator.setUserVerified(true);
    }
  });

  it("refuses a second factor made with another user's passkey", async () => {
    const victim = await createTestUser(ctx);
    await register(scope, victim);
    // The attacker signs the victim's mfa challenge with their own (user's) passkey.
    const options = await assertionOptions(scope, 'mfa', 'interaction-victim', victim.id);
    const mine = (await scope.repos.passkeys.listForUser(user.id)).find((p) => p.name === 'Phone');
    assert.ok(mine);
    const assertion = await authenticator.get(ORIGIN, { ...options, allowCredentials: [{ id: mine.credentialId, type: 'public-key' }] });
    const result = await verifyAssertion(scope, 'mfa', 'interaction-victim', assertion, { userId: victim.id, requireUserVerification: false });
    assert.equal(!result.ok && result.reason, 'other_user');
  });

  it('refuses a registration with another RP ID', async () => {
    await authenticator.reset();
    const options = await registrationOptions(scope, user, 'session-rp');
    const response = await authenticator.create(ORIGIN, { ...options, excludeCredentials: [] }, PARENT);
    const result = await verifyRegistration(scope, 'session-rp', user.id, response, 'x');
    assert.deepEqual(result, { ok: false, reason: 'rp_id' });
  });

  describe('with a credential scoped to the parent domain (gatehouse.example.com)', () => {
    before(async () => {
      // Stored as if it had been registered here: the RP ID checks are then the assertion's alone.
      const options = await registrationOptions(scope, user, 'session-parent');
      const response = await authenticator.create(ORIGIN, { ...options, excludeCredentials: [] }, PARENT);
      const verified = await verifyRegistrationResponse({
        response: JSON.parse(response),
        expectedChallenge: options.challenge,
        expectedOrigin: ORIGIN,
        expectedRPID: PARENT,
      });
      assert.ok(verified.verified);
      const info = verified.registrationInfo;
      await scope.repos.passkeys.create({
        userId: user.id,
        credentialId: info.credential.id,
        publicKey: info.credential.publicKey,
        signCount: info.credential.counter,
        transports: [],
        aaguid: info.aaguid,
        deviceType: info.credentialDeviceType,
        backedUp: info.credentialBackedUp,
        name: 'parent',
      });
    });

    it('refuses an assertion made for another RP ID on the right origin', async () => {
      const options = await assertionOptions(scope, 'login', 'interaction-rp', null);
      const assertion = await authenticator.get(ORIGIN, options, { rpId: PARENT });
      const result = await verifyAssertion(scope, 'login', 'interaction-rp', assertion, { requireUserVerification: true });
      assert.equal(!result.ok && result.reason, 'rp_id');
    });

    it("refuses an assertion made on another origin (a sibling host's page replaying the issuer's challenge)", async () => {
      const options = await assertionOptions(scope, 'login', 'interaction-origin', null);
      const assertion = await authenticator.get(EVIL, options, { rpId: PARENT });
      const result = await verifyAssertion(scope, 'login', 'interaction-origin', assertion, { requireUserVerification: true });
      assert.equal(!result.ok && result.reason, 'origin');
    });
  });

  it("refuses another issuer's credential, even on the same host and RP ID", async () => {
    const beta = await secondIssuer(ctx);
    const betaUser = await beta.repos.users.create({ email: 'bea@example.com', emailVerified: true, passwordHash: null });
    const response = await authenticator.create(ORIGIN, await registrationOptions(beta, betaUser, 'session-beta'));
    const registered = await verifyRegistration(beta, 'session-beta', betaUser.id, response, 'Beta key');
    // Beta's origin is this host's: the same RP ID, so the authenticator serves both issuers.
    assert.ok(registered.ok, JSON.stringify(registered));
    const stored = await beta.repos.passkeys.create(registered.passkey);

    const options = await assertionOptions(scope, 'login', 'interaction-beta', null);
    const assertion = await authenticator.get(ORIGIN, { ...options, allowCredentials: [{ id: stored.credentialId, type: 'public-key' }] });
    assert.deepEqual(await verifyAssertion(scope, 'login', 'interaction-beta', assertion, { requireUserVerification: true }), {
      ok: false,
      reason: 'unknown_credential',
    });
    // At its own issuer the same kind of assertion signs in.
    const own = await assertionOptions(beta, 'login', 'interaction-beta', null);
    const good = await authenticator.get(ORIGIN, { ...own, allowCredentials: [{ id: stored.credentialId, type: 'public-key' }] });
    assert.equal((await verifyAssertion(beta, 'login', 'interaction-beta', good, { requireUserVerification: true })).ok, true);
  });

  it('refuses malformed responses without a 500', async () => {
    for (const raw of [null, '', 'not json', '[]', '{}', JSON.stringify({ id: 'x', rawId: 'x', type: 'public-key', response: {} }), 'x'.repeat(40_000)]) {
      const result = await verifyAssertion(scope, 'login', 'interaction-bad', raw, { requireUserVerification: true });
      assert.deepEqual(result, { ok: false, reason: 'malformed' }, String(raw).slice(0, 40));
    }
  });
});
