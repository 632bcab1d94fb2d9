import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type MfaFacts, factorDue } from '../../src/signin/mfa-policy.js';
import { ISSUER, inProcessBrowser } from '../helpers/flow.js';
import type { Page } from '../helpers/http-browser.js';
import { type TestContext, createTestClient, createTestContext, createTestUser } from '../helpers/harness.js';
import { enrolTotp, idTokenClaims, isMfaPage, passwordStep, setIssuerSettings, totpCode } from './helpers.js';

const ONE = 'urn:gatehouse:acr:1fa';
const TWO = 'urn:gatehouse:acr:2fa';

describe('MFA policy: the decision', () => {
  const facts = (over: Partial<MfaFacts>): MfaFacts => ({ issuer: 'off', organization: 'off', client: false, stepUp: false, ...over });
  it('asks per issuer, organization, client and step-up, with and without a factor enrolled', () => {
    const rows: [Partial<MfaFacts>, boolean, boolean][] = [
      // facts, due with a factor, due without one (then: enrol)
      [{}, false, false],
      [{ issuer: 'optional' }, true, false],
      [{ issuer: 'required' }, true, true],
      [{ organization: 'optional' }, true, false],
      [{ organization: 'required' }, true, true],
      [{ client: true }, true, true],
      [{ stepUp: true }, true, false],
      [{ issuer: 'optional', stepUp: true }, true, false],
    ];
    for (const [over, withFactor, without] of rows) {
      assert.equal(factorDue(facts(over), true), withFactor, `${JSON.stringify(over)} with a factor`);
      assert.equal(factorDue(facts(over), false), without, `${JSON.stringify(over)} without`);
    }
  });
});

// The same matrix through the hosted pages: where the browser is after the password, and the acr
// the ID token states.
describe('MFA policy: sign-ins', () => {
  let ctx: TestContext;
  let plain: { id: string; secret: string | null };
  let strict: { id: string; secret: string | null };

  before(async () => {
    ctx = await createTestContext();
    const a = await createTestClient(ctx, { firstParty: true });
    plain = { id: a.client.id, secret: a.secret };
    const b = await createTestClient(ctx, { firstParty: true, requireMfa: true });
    strict = { id: b.client.id, secret: b.secret };
  });
  after(() => ctx.close());

  /** Signs in with the password and, when asked, the code; returns whether the code was asked and the ID token's acr. */
  async function signIn(
    client: { id: string; secret: string | null },
    user: { email: string },
    secret: string | undefined,
    extra: Record<string, string> = {},
  ): Promise<{ asked: 'no' | 'code' | 'enrol'; acr: unknown }> {
    const browser = inProcessBrowser(ctx);
    const step = await passwordStep(browser, client.id, user.email, extra);
    let asked: 'no' | 'code' | 'enrol' = 'no';
    let leftTo = step.leftTo;
    if (isMfaPage(step.page)) {
      const enrol = /id="totp-secret"[^>]*>([^<]+)</.exec(step.page.html)?.[1]?.replace(/\s/g, '');
      asked = enrol ? 'enrol' : 'code';
      const key = enrol ?? secret;
      assert.ok(key, 'a code can be made');
      let done = await browser.submit(step.page, '/mfa', { factor: 'totp', code: totpCode(ctx, key) }, ISSUER);
      // An app set up here is followed by its recovery codes, then "continue".
      if (enrol) {
        assert.match(done.page?.html ?? '', /id="recovery-codes"/);
        done = await browser.submit(done.page as Page, '/mfa', {}, ISSUER);
      }
      leftTo = done.leftTo;
      ctx.clock.advance(30);
    }
    const claims = await idTokenClaims(ctx, client, leftTo, step.request.verifier);
    return { asked, acr: claims.acr };
  }

  it('issuer off: nothing asked, acr 1fa; acr_values asks the factor of a user who has one, and states 1fa honestly for one who has not', async () => {
    await setIssuerSettings(ctx, { mfa: 'off' });
    const withApp = await createTestUser(ctx);
    const secret = await enrolTotp(ctx, withApp.id);
    const without = await createTestUser(ctx);
    assert.deepEqual(await signIn(plain, withApp, secret), { asked: 'no', acr: ONE });
    assert.deepEqual(await signIn(plain, without, undefined), { asked: 'no', acr: ONE });
    assert.deepEqual(await signIn(plain, withApp, secret, { acr_values: TWO }), { asked: 'code', acr: TWO });
    assert.deepEqual(await signIn(plain, without, undefined, { acr_values: TWO }), { asked: 'no', acr: ONE });
    // An unknown acr value is passed over (voluntary), not an error.
    assert.deepEqual(await signIn(plain, withApp, secret, { acr_values: 'urn:example:gold' }), { asked: 'no', acr: ONE });
  });

  it('issuer optional asks users who have a factor; required asks everyone, and a user without one sets one up in the sign-in', async () => {
    const withApp = await createTestUser(ctx);
    const secret = await enrolTotp(ctx, withApp.id);
    const without = await createTestUser(ctx);
    await setIssuerSettings(ctx, { mfa: 'optional' });
    assert.deepEqual(await signIn(plain, withApp, secret), { asked: 'code', acr: TWO });
    assert.deepEqual(await signIn(plain, without, undefined), { asked: 'no', acr: ONE });
    await setIssuerSettings(ctx, { mfa: 'required' });
    try {
      assert.deepEqual(await signIn(plain, withApp, secret), { asked: 'code', acr: TWO });
      assert.deepEqual(await signIn(plain, without, undefined), { asked: 'enrol', acr: TWO });
      assert.ok(await ctx.scope.repos.totpFactors.hasConfirmed(without.id), 'the app set up in the sign-in is kept');
      const events = await ctx.scope.repos.events.list({ userId: without.id, type: 'mfa.factor_added' });
      assert.equal(events.length, 1);
    } finally {
      await setIssuerSettings(ctx, { mfa: 'off' });
    }
  });

  it('an organization’s policy applies to its members only', async () => {
    const scope = await setIssuerSettings(ctx, { mfa: 'off' });
    const org = await scope.repos.organizations.create({ name: 'Strict Co' });
    assert.ok(await scope.repos.mfaPolicies.setOrganizationPolicy(org.id, 'required'));
    const member = await createTestUser(ctx);
    const memberSecret = await enrolTotp(ctx, member.id);
    const newcomer = await createTestUser(ctx);
    const outsider = await createTestUser(ctx);
    await enrolTotp(ctx, outsider.id);
    await scope.repos.memberships.add(org.id, member.id, []);
    await scope.repos.memberships.add(org.id, newcomer.id, []);
    assert.deepEqual(await signIn(plain, member, memberSecret), { asked: 'code', acr: TWO });
    assert.deepEqual(await signIn(plain, newcomer, undefined), { asked: 'enrol', acr: TWO });
    assert.deepEqual(await signIn(plain, outsider, undefined), { asked: 'no', acr: ONE });
    const optional = await scope.repos.organizations.create({ name: 'Relaxed Co' });
    await scope.repos.mfaPolicies.setOrganizationPolicy(optional.id, 'optional');
    const relaxed = await createTestUser(ctx);
    await scope.repos.memberships.add(optional.id, relaxed.id, []);
    assert.deepEqual(await signIn(plain, relaxed, undefined), { asked: 'no', acr: ONE });
    assert.equal((await scope.repos.organizations.find(org.id))?.mfa, 'required');
  });

  it('a client with require_mfa asks every user, and does not make another client’s sign-in ask', async () => {
    await setIssuerSettings(ctx, { mfa: 'off' });
    const withApp = await createTestUser(ctx);
    const secret = await enrolTotp(ctx, withApp.id);
    assert.deepEqual(await signIn(strict, withApp, secret), { asked: 'code', acr: TWO });
    const without = await createTestUser(ctx);
    assert.deepEqual(await signIn(strict, without, undefined), { asked: 'enrol', acr: TWO });
    assert.deepEqual(await signIn(plain, withApp, secret), { asked: 'no', acr: ONE });
    // The one-factor session of a plain sign-in is not enough for the strict client: the code, not the password.
    const browser = inProcessBrowser(ctx);
    assert.ok((await passwordStep(browser, plain.id, withApp.email)).leftTo);
    const up = await passwordStep(browser, strict.id, withApp.email);
    assert.ok(isMfaPage(up.page), 'the second factor on the existing session');
    const done = await browser.submit(up.page, '/mfa', { factor: 'totp', code: totpCode(ctx, secret) }, ISSUER);
    assert.equal((await idTokenClaims(ctx, strict, done.leftTo, up.request.verifier)).acr, TWO);
    ctx.clock.advance(30);
  });

  it('max_age redoes both factors', async () => {
    await setIssuerSettings(ctx, { mfa: 'optional' });
    try {
      const user = await createTestUser(ctx);
      const secret = await enrolTotp(ctx, user.id);
      const browser = inProcessBrowser(ctx);
      const first = await passwordStep(browser, plain.id, user.email);
      assert.ok(isMfaPage(first.page));
      const done = await browser.submit(first.page, '/mfa', { factor: 'totp', code: totpCode(ctx, secret) }, ISSUER);
      assert.ok(done.leftTo);
      ctx.clock.advance(120);
      // Within max_age the two-factor session is used as it is.
      const fresh = await passwordStep(browser, plain.id, user.email, { max_age: '600' });
      assert.ok(fresh.leftTo, 'single sign-on');
      assert.equal((await idTokenClaims(ctx, plain, fresh.leftTo, fresh.request.verifier)).acr, TWO);
      // Past it: the password, then the code again.
      const stale = await passwordStep(browser, plain.id, user.email, { max_age: '60' });
      assert.ok(isMfaPage(stale.page), 'the second factor again after the password');
      const again = await browser.submit(stale.page, '/mfa', { factor: 'totp', code: totpCode(ctx, secret) }, ISSUER);
      const claims = await idTokenClaims(ctx, plain, again.leftTo, stale.request.verifier);
      assert.equal(claims.acr, TWO);
      assert.ok(typeof claims.auth_time === 'number' && claims.auth_time >= ctx.clock() - 1);
    } finally {
      await setIssuerSettings(ctx, { mfa: 'off' });
    }
  });
});
