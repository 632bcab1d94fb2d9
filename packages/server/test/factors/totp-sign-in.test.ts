import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestContext, createTestClient, createTestContext, createTestUser } from '../helpers/harness.js';
import { inProcessBrowser, ISSUER } from '../helpers/flow.js';
import { SESSION_COOKIE } from '../helpers/prefix.js';
import { enrolTotp, idTokenClaims, isMfaPage, pageError, passwordStep, setIssuerSettings, totpCode } from './helpers.js';

// A password sign-in of a user with an authenticator app, under the issuer's `optional` policy:
// the code is asked after the password, each time step is accepted once, ±1 step of drift.
describe('second factor: TOTP at sign-in', () => {
  let ctx: TestContext;
  let client: { id: string; secret: string | null };

  before(async () => {
    ctx = await createTestContext();
    const created = await createTestClient(ctx, { firstParty: true });
    client = { id: created.client.id, secret: created.secret };
    await setIssuerSettings(ctx, { mfa: 'optional' });
  });
  after(() => ctx.close());

  it('asks for the code after the password and issues an ID token with pwd + otp, mfa and acr 2fa', async () => {
    const user = await createTestUser(ctx);
    const secret = await enrolTotp(ctx, user.id);
    const browser = inProcessBrowser(ctx);
    const { page, request } = await passwordStep(browser, client.id, user.email);
    assert.ok(isMfaPage(page), `the mfa step: ${page?.html.slice(0, 300)}`);
    assert.match(page.html, /autocomplete="one-time-code"/);
    const done = await browser.submit(page, '/mfa', { factor: 'totp', code: totpCode(ctx, secret) }, ISSUER);
    const claims = await idTokenClaims(ctx, client, done.leftTo, request.verifier);
    assert.deepEqual([...(claims.amr as string[])].sort(), ['mfa', 'otp', 'pwd']);
    assert.equal(claims.acr, 'urn:gatehouse:acr:2fa');
    // The browser's session is now two-factor: the next request is single sign-on, no code asked.
    const again = await passwordStep(browser, client.id, user.email);
    assert.ok(again.leftTo, 'single sign-on');
    const second = await idTokenClaims(ctx, client, again.leftTo, again.request.verifier);
    assert.equal(second.acr, 'urn:gatehouse:acr:2fa');
  });

  it('refuses the same code twice, and an earlier step after a later one', async () => {
    const user = await createTestUser(ctx);
    const secret = await enrolTotp(ctx, user.id);
    const code = totpCode(ctx, secret);
    const first = inProcessBrowser(ctx);
    const a = await passwordStep(first, client.id, user.email);
    assert.ok(isMfaPage(a.page));
    const ok = await first.submit(a.page, '/mfa', { factor: 'totp', code }, ISSUER);
    assert.ok(ok.leftTo);
    const second = inProcessBrowser(ctx);
    const b = await passwordStep(second, client.id, user.email);
    assert.ok(isMfaPage(b.page));
    const replay = await second.submit(b.page, '/mfa', { factor: 'totp', code }, ISSUER);
    assert.equal(replay.page?.status, 401);
    assert.match(pageError(replay.page?.html ?? '') ?? '', /not right, or it was used already/);
    const earlier = await second.submit(b.page, '/mfa', { factor: 'totp', code: totpCode(ctx, secret, -1) }, ISSUER);
    assert.equal(earlier.page?.status, 401, 'a step before the last accepted one');
  });

  it('accepts a code one step away either side, not two', async () => {
    const user = await createTestUser(ctx);
    const secret = await enrolTotp(ctx, user.id);
    const browser = inProcessBrowser(ctx);
    const { page } = await passwordStep(browser, client.id, user.email);
    assert.ok(isMfaPage(page));
    const far = await browser.submit(page, '/mfa', { factor: 'totp', code: totpCode(ctx, secret, 2) }, ISSUER);
    assert.equal(far.page?.status, 401, 'two steps ahead');
    const ahead = await browser.submit(page, '/mfa', { factor: 'totp', code: totpCode(ctx, secret, 1) }, ISSUER);
    assert.ok(ahead.leftTo, 'one step ahead');
    // One step behind, in another sign-in a minute later.
    ctx.clock.advance(90);
    const other = inProcessBrowser(ctx);
    const again = await passwordStep(other, client.id, user.email);
    assert.ok(isMfaPage(again.page));
    const behind = await other.submit(again.page, '/mfa', { factor: 'totp', code: totpCode(ctx, secret, -1) }, ISSUER);
    assert.ok(behind.leftTo, 'one step behind');
  });

  it('keeps the first-factor session from any code until the second factor is proved', async () => {
    const user = await createTestUser(ctx);
    await enrolTotp(ctx, user.id);
    const browser = inProcessBrowser(ctx);
    const { page } = await passwordStep(browser, client.id, user.email);
    assert.ok(isMfaPage(page));
    // The browser has a session cookie (the password was right), but a new request asks the factor again.
    const again = await passwordStep(browser, client.id, user.email);
    assert.ok(isMfaPage(again.page), 'the one-factor session is not used silently');
    const none = await passwordStep(browser, client.id, user.email, { prompt: 'none' });
    assert.equal(new URL(none.leftTo ?? 'x:/').searchParams.get('error'), 'interaction_required');
    const sessions = await ctx.scope.repos.sessions.listForUser(user.id);
    assert.deepEqual(
      sessions.map((s) => s.acr),
      ['urn:gatehouse:acr:1fa'],
    );
    assert.ok(SESSION_COOKIE);
  });
});
