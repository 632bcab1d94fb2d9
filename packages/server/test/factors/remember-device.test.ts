import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { REMEMBER_DEVICE_SECONDS } from '../../src/factors/remember-device.js';
import { ISSUER, inProcessBrowser } from '../helpers/flow.js';
import { type TestContext, createTestClient, createTestContext, createTestUser } from '../helpers/harness.js';
import { enrolTotp, idTokenClaims, isMfaPage, passwordStep, setIssuerSettings, totpCode } from './helpers.js';

// "Remember this device for 30 days": offered only when the issuer turns it on; skips the second
// factor for that user on that browser, never for step-up requests, and states acr 1fa honestly.
describe('second factor: remember this device', () => {
  let ctx: TestContext;
  let client: { id: string; secret: string | null };

  before(async () => {
    ctx = await createTestContext();
    const created = await createTestClient(ctx, { firstParty: true });
    client = { id: created.client.id, secret: created.secret };
  });
  after(() => ctx.close());

  it('is not offered while the issuer setting is off', async () => {
    await setIssuerSettings(ctx, { mfa: 'optional', rememberDevice: false });
    const user = await createTestUser(ctx);
    await enrolTotp(ctx, user.id);
    const { page } = await passwordStep(inProcessBrowser(ctx), client.id, user.email);
    assert.ok(isMfaPage(page));
    assert.doesNotMatch(page.html, /name="remember"/);
  });

  it('skips the factor on that browser for 30 days, for that user only, and never for acr_values or max_age', async () => {
    await setIssuerSettings(ctx, { mfa: 'optional', rememberDevice: true });
    const user = await createTestUser(ctx);
    const secret = await enrolTotp(ctx, user.id);
    const browser = inProcessBrowser(ctx);
    const first = await passwordStep(browser, client.id, user.email, { prompt: 'login' });
    assert.ok(isMfaPage(first.page));
    assert.match(first.page.html, /name="remember"/);
    const done = await browser.submit(first.page, '/mfa', { factor: 'totp', code: totpCode(ctx, secret), remember: '1' }, ISSUER);
    assert.ok(done.leftTo);
    ctx.clock.advance(30);
    // A new sign-in on this browser: the password only; the ID token says one factor.
    const again = await passwordStep(browser, client.id, user.email, { prompt: 'login' });
    assert.ok(again.leftTo, 'no second factor asked');
    assert.equal((await idTokenClaims(ctx, client, again.leftTo, again.request.verifier)).acr, 'urn:gatehouse:acr:1fa');
    // Step-up requests ask it anyway, and offer no remembering.
    const stepUp = await passwordStep(browser, client.id, user.email, { prompt: 'login', acr_values: 'urn:gatehouse:acr:2fa' });
    assert.ok(isMfaPage(stepUp.page));
    assert.doesNotMatch(stepUp.page.html, /name="remember"/);
    const maxAge = await passwordStep(browser, client.id, user.email, { max_age: '0' });
    assert.ok(isMfaPage(maxAge.page), 'max_age asks both factors');
    // Another user on the same browser is asked.
    const other = await createTestUser(ctx);
    await enrolTotp(ctx, other.id);
    assert.ok(isMfaPage((await passwordStep(browser, client.id, other.email, { prompt: 'login' })).page));
    // Another browser is asked.
    assert.ok(isMfaPage((await passwordStep(inProcessBrowser(ctx), client.id, user.email)).page));
    // After 30 days it is asked again.
    ctx.clock.advance(REMEMBER_DEVICE_SECONDS);
    assert.ok(isMfaPage((await passwordStep(browser, client.id, user.email, { prompt: 'login' })).page));
  });

  it('is ignored once the issuer turns the setting off', async () => {
    await setIssuerSettings(ctx, { mfa: 'optional', rememberDevice: true });
    const user = await createTestUser(ctx);
    const secret = await enrolTotp(ctx, user.id);
    const browser = inProcessBrowser(ctx);
    const first = await passwordStep(browser, client.id, user.email);
    assert.ok(isMfaPage(first.page));
    await browser.submit(first.page, '/mfa', { factor: 'totp', code: totpCode(ctx, secret), remember: '1' }, ISSUER);
    await setIssuerSettings(ctx, { rememberDevice: false });
    assert.ok(isMfaPage((await passwordStep(browser, client.id, user.email, { prompt: 'login' })).page));
  });
});
