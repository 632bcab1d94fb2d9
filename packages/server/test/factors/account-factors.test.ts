import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RECENT_SIGN_IN_SECONDS } from '../../src/account/recent.js';
import { FORM_HEADERS } from '../helpers/authorize-pages.js';
import { ISSUER, inProcessBrowser } from '../helpers/flow.js';
import type { HttpBrowser, Page } from '../helpers/http-browser.js';
import { type TestContext, createTestContext, createTestUser } from '../helpers/harness.js';
import { signInOnAccountPage } from '../helpers/account-pages.js';
import { enrolTotp, isMfaPage, setIssuerSettings, totpCode } from './helpers.js';
import { codeForStep, stepAt } from '../../src/factors/rfc6238.js';

const FACTORS_URL = `${ISSUER}/account/security/totp`;

/** Signs in on the factors page itself (password, and the code when one is due); returns the page. */
async function signedInFactorsPage(ctx: TestContext, browser: HttpBrowser, email: string, secret?: string): Promise<Page> {
  const res = await signInOnAccountPage(browser, email, undefined, FACTORS_URL);
  assert.equal(res.status, 303);
  let step = await browser.navigate(new URL(res.headers.get('location') ?? '', ISSUER).href, ISSUER);
  if (secret && isMfaPage(step.page)) step = await browser.submit(step.page, '/mfa', { factor: 'totp', code: totpCode(ctx, secret) }, ISSUER);
  const page = await browser.navigate(FACTORS_URL, ISSUER);
  assert.ok(page.page && page.page.status === 200, page.page?.html.slice(0, 300));
  return page.page;
}

function csrfOf(html: string): string {
  return /name="csrf" value="([^"]*)"/.exec(html)?.[1] ?? '';
}

function post(browser: HttpBrowser, path: string, fields: Record<string, string>): Promise<Response> {
  return browser.request(`${ISSUER}${path}`, { method: 'POST', headers: FORM_HEADERS, body: new URLSearchParams(fields).toString() });
}

// The account security page's factor sections: enrol an authenticator app with a QR code and
// its first code, recovery codes shown once, removal; each change needs a recent sign-in, is
// recorded and mailed; the last factor of a user who must have one stays.
describe('account security page: authenticator app and recovery codes', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext({ GATEHOUSE_SMTP_URL: 'smtp://127.0.0.1:9', GATEHOUSE_MAIL_FROM: 'Gatehouse <noreply@example.com>' });
  });
  after(() => ctx.close());

  it('enrols an app from the page: a server-drawn QR code and the key, confirmed by a first code; then recovery codes once', async () => {
    const user = await createTestUser(ctx);
    const browser = inProcessBrowser(ctx);
    const page = await signedInFactorsPage(ctx, browser, user.email);
    assert.match(page.html, /No authenticator app is set up/);
    const started = await post(browser, '/account/security/totp/start', { csrf: csrfOf(page.html) });
    assert.equal(started.status, 200);
    const html = await started.text();
    assert.match(html, /<svg [^>]*role="img"/, 'the QR code, drawn as SVG on the server');
    const secret = (/id="totp-secret"[^>]*>([^<]+)</.exec(html)?.[1] ?? '').replace(/\s/g, '');
    assert.match(secret, /^[A-Z2-7]{32}$/);
    const stored = await ctx.scope.repos.totpFactors.find(user.id);
    assert.ok(stored && !stored.secretSealed.includes(secret), 'the secret is sealed at rest');
    const wrong = await post(browser, '/account/security/totp/confirm', { csrf: csrfOf(html), code: codeForStep(secret, stepAt(ctx.clock()) + 5) });
    assert.equal(wrong.status, 401);
    const confirmed = await post(browser, '/account/security/totp/confirm', { csrf: csrfOf(html), code: totpCode(ctx, secret) });
    assert.equal(confirmed.status, 303);
    const after = await browser.navigate(new URL(confirmed.headers.get('location') ?? '', ISSUER).href, ISSUER);
    assert.match(after.page?.html ?? '', /The authenticator app is set up\./);
    assert.deepEqual(
      (await ctx.scope.repos.sessions.listForUser(user.id)).map((s) => s.acr),
      ['urn:gatehouse:acr:2fa'],
      'the first code proved the app: the session has two factors',
    );
    const events = await ctx.scope.repos.events.list({ userId: user.id, type: 'mfa.factor_added' });
    assert.equal(events.length, 1);
    const mails = await ctx.scope.repos.events.list({ type: 'mail.requested', limit: 50 });
    assert.ok(mails.some((m) => (m.payload as { template: string; recipient: string }).recipient === user.email));

    const generated = await post(browser, '/account/security/recovery/generate', { csrf: csrfOf(after.page?.html ?? '') });
    assert.equal(generated.status, 200);
    const codes = [...(await generated.text()).matchAll(/<li><code>([A-Z2-7]{5}-[A-Z2-7]{5})<\/code><\/li>/g)].map((m) => m[1]);
    assert.equal(codes.length, 10);
    assert.equal(await ctx.scope.repos.recoveryCodes.remaining(user.id), 10);
    const page2 = await browser.navigate(FACTORS_URL, ISSUER);
    assert.doesNotMatch(page2.page?.html ?? '', new RegExp(codes[0] as string), 'shown once');
    assert.match(page2.page?.html ?? '', /You have 10 unused recovery codes/);
  });

  it('asks for a fresh sign-in when the last one is older than five minutes, and refuses the change until then', async () => {
    const user = await createTestUser(ctx);
    const browser = inProcessBrowser(ctx);
    await signedInFactorsPage(ctx, browser, user.email);
    ctx.clock.advance(RECENT_SIGN_IN_SECONDS + 1);
    const page = await browser.navigate(FACTORS_URL, ISSUER);
    assert.match(page.page?.html ?? '', /action="[^"]*\/account\/reauth"/);
    const refused = await post(browser, '/account/security/totp/start', { csrf: csrfOf(page.page?.html ?? '') });
    assert.equal(refused.status, 403);
    assert.equal(await ctx.scope.repos.totpFactors.find(user.id), undefined);
  });

  it('asks the account sign-in for the factor of a user who has one, even when the policy is off', async () => {
    const user = await createTestUser(ctx);
    const secret = await enrolTotp(ctx, user.id);
    const browser = inProcessBrowser(ctx);
    const res = await signInOnAccountPage(browser, user.email, undefined, FACTORS_URL);
    const step = await browser.navigate(new URL(res.headers.get('location') ?? '', ISSUER).href, ISSUER);
    assert.ok(isMfaPage(step.page), 'the password alone does not open the factors');
    const done = await browser.submit(step.page, '/mfa', { factor: 'totp', code: totpCode(ctx, secret) }, ISSUER);
    assert.ok(done.page);
    const page = await browser.navigate(FACTORS_URL, ISSUER);
    assert.match(page.page?.html ?? '', /id="totp-remove"/);
  });

  it('refuses a change without the account CSRF token', async () => {
    const user = await createTestUser(ctx);
    const browser = inProcessBrowser(ctx);
    await signedInFactorsPage(ctx, browser, user.email);
    assert.equal((await post(browser, '/account/security/totp/start', { csrf: 'nope' })).status, 403);
  });

  it('asks the account sign-in for the second factor, and keeps the last factor of a user the issuer requires one of', async () => {
    const user = await createTestUser(ctx);
    const secret = await enrolTotp(ctx, user.id);
    await setIssuerSettings(ctx, { mfa: 'required' });
    try {
      const browser = inProcessBrowser(ctx);
      const res = await signInOnAccountPage(browser, user.email, undefined, FACTORS_URL);
      const step = await browser.navigate(new URL(res.headers.get('location') ?? '', ISSUER).href, ISSUER);
      assert.ok(isMfaPage(step.page), 'the account sign-in asks for the code');
      // The one-factor session is not signed in to the account pages.
      const early = await browser.navigate(FACTORS_URL, ISSUER);
      assert.doesNotMatch(early.page?.html ?? '', /id="totp-section"/);
      const done = await browser.submit(step.page, '/mfa', { factor: 'totp', code: totpCode(ctx, secret) }, ISSUER);
      assert.ok(done.page);
      const page = await browser.navigate(FACTORS_URL, ISSUER);
      assert.match(page.page?.html ?? '', /requires a second step for your account/);
      assert.doesNotMatch(page.page?.html ?? '', /id="totp-remove"/);
      const refused = await post(browser, '/account/security/totp/remove', { csrf: csrfOf(page.page?.html ?? '') });
      assert.equal(refused.status, 409);
      assert.ok(await ctx.scope.repos.totpFactors.hasConfirmed(user.id), 'still there');
    } finally {
      await setIssuerSettings(ctx, { mfa: 'off' });
    }
    // Under `off` the same user may remove it (signed in with both factors); the recovery codes go with it.
    ctx.clock.advance(30);
    const browser = inProcessBrowser(ctx);
    const page = await signedInFactorsPage(ctx, browser, user.email, secret);
    const removed = await post(browser, '/account/security/totp/remove', { csrf: csrfOf(page.html) });
    assert.equal(removed.status, 303);
    assert.equal(await ctx.scope.repos.totpFactors.hasConfirmed(user.id), false);
    assert.equal((await ctx.scope.repos.events.list({ userId: user.id, type: 'mfa.factor_removed' })).length, 1);
  });
});
