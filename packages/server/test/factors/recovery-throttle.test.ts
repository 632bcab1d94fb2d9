import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { regenerateRecoveryCodes } from '../../src/factors/recovery-factor.js';
import { FACTOR_MAX_FAILURES_PER_USER, FACTOR_WINDOW_SECONDS } from '../../src/factors/throttle.js';
import { postForm } from '../helpers/authorize-pages.js';
import { ISSUER, inProcessBrowser } from '../helpers/flow.js';
import { type TestContext, createTestClient, createTestContext, createTestUser } from '../helpers/harness.js';
import { enrolTotp, idTokenClaims, isMfaPage, pageError, passwordStep, setIssuerSettings, totpCode } from './helpers.js';

// Recovery codes work once; wrong codes are throttled per user and per interaction, and the
// lockout lifts when its window ends; a code is worth nothing in another interaction.
describe('second factor: recovery codes, throttle, binding to the interaction', () => {
  let ctx: TestContext;
  let client: { id: string; secret: string | null };

  before(async () => {
    ctx = await createTestContext();
    const created = await createTestClient(ctx, { firstParty: true });
    client = { id: created.client.id, secret: created.secret };
    await setIssuerSettings(ctx, { mfa: 'optional' });
  });
  after(() => ctx.close());

  it('accepts a recovery code once; the second use fails', async () => {
    const user = await createTestUser(ctx);
    await enrolTotp(ctx, user.id);
    const [code] = await regenerateRecoveryCodes(ctx.scope.repos, user.id);
    assert.ok(code);
    const browser = inProcessBrowser(ctx);
    const first = await passwordStep(browser, client.id, user.email);
    assert.ok(isMfaPage(first.page));
    assert.match(first.page.html, /id="recovery-form"/);
    const used = await browser.submit(first.page, '/mfa', { factor: 'recovery', code: code.toLowerCase() }, ISSUER);
    const claims = await idTokenClaims(ctx, client, used.leftTo, first.request.verifier);
    assert.equal(claims.acr, 'urn:gatehouse:acr:2fa');
    assert.equal(await ctx.scope.repos.recoveryCodes.remaining(user.id), 9);
    const other = inProcessBrowser(ctx);
    const second = await passwordStep(other, client.id, user.email);
    assert.ok(isMfaPage(second.page));
    const again = await other.submit(second.page, '/mfa', { factor: 'recovery', code }, ISSUER);
    assert.equal(again.page?.status, 401);
    assert.match(pageError(again.page?.html ?? '') ?? '', /recovery code is not right, or it was used already/);
  });

  it('locks factor attempts after five failures per user, says so, records it, and lifts the lock after the window', async () => {
    const user = await createTestUser(ctx);
    const secret = await enrolTotp(ctx, user.id);
    const browser = inProcessBrowser(ctx);
    const { page } = await passwordStep(browser, client.id, user.email);
    assert.ok(isMfaPage(page));
    const right = totpCode(ctx, secret);
    const wrong = right === '000000' ? '111111' : '000000';
    for (let i = 0; i < FACTOR_MAX_FAILURES_PER_USER; i++) {
      const res = await postForm(browser, page, '/mfa', { factor: 'totp', code: wrong });
      assert.equal(res.status, 401, `failure ${i + 1}`);
    }
    // Locked: even the right code is not checked now (nor used up).
    const locked = await postForm(browser, page, '/mfa', { factor: 'totp', code: right });
    assert.equal(locked.status, 429);
    assert.match(pageError(await locked.text()) ?? '', /Too many wrong codes\. Wait 15 minutes/);
    // The lock is the user's, not the browser's: another interaction is locked too.
    const other = inProcessBrowser(ctx);
    const elsewhere = await passwordStep(other, client.id, user.email);
    assert.ok(isMfaPage(elsewhere.page));
    assert.equal((await postForm(other, elsewhere.page, '/mfa', { factor: 'totp', code: right })).status, 429);
    const failed = await ctx.scope.repos.events.list({ type: 'mfa.failed', limit: 20 });
    assert.equal(failed.filter((e) => e.userId === user.id).length, FACTOR_MAX_FAILURES_PER_USER);
    const lockouts = await ctx.scope.repos.events.list({ type: 'mfa.locked', limit: 20 });
    assert.ok(lockouts.some((e) => e.userId === user.id));
    // Never permanent: after the window a new sign-in gets its attempts back.
    ctx.clock.advance(FACTOR_WINDOW_SECONDS + 1);
    const later = inProcessBrowser(ctx);
    const fresh = await passwordStep(later, client.id, user.email);
    assert.ok(isMfaPage(fresh.page));
    const done = await later.submit(fresh.page, '/mfa', { factor: 'totp', code: totpCode(ctx, secret) }, ISSUER);
    assert.ok(done.leftTo, 'signed in after the window');
  });

  it('refuses a code posted to another interaction: the CSRF token and the browser binding are the interaction’s own', async () => {
    const alice = await createTestUser(ctx);
    const aliceSecret = await enrolTotp(ctx, alice.id);
    const bob = await createTestUser(ctx);
    await enrolTotp(ctx, bob.id);
    const aliceBrowser = inProcessBrowser(ctx);
    const a = await passwordStep(aliceBrowser, client.id, alice.email);
    assert.ok(isMfaPage(a.page));
    const bobBrowser = inProcessBrowser(ctx);
    const b = await passwordStep(bobBrowser, client.id, bob.email);
    assert.ok(isMfaPage(b.page));
    // Alice's code, in Bob's interaction (his browser, his CSRF token): checked against Bob's app, refused.
    const crossed = await postForm(bobBrowser, b.page, '/mfa', { factor: 'totp', code: totpCode(ctx, aliceSecret) });
    assert.equal(crossed.status, 401);
    // Alice's form posted to Bob's interaction from Alice's browser: not this browser's interaction.
    const bobUid = /\/interaction\/([^/"]+)\/mfa/.exec(b.page.html)?.[1];
    assert.ok(bobUid);
    const aliceForm = a.page.html.replace(/\/interaction\/[^/"]+\/mfa/, `/interaction/${bobUid}/mfa`);
    const foreign = await postForm(aliceBrowser, { ...a.page, html: aliceForm }, '/mfa', { factor: 'totp', code: totpCode(ctx, aliceSecret) });
    assert.equal(foreign.status, 403);
    // Alice's own interaction still takes her code: nothing above used it up.
    const own = await aliceBrowser.submit(a.page, '/mfa', { factor: 'totp', code: totpCode(ctx, aliceSecret) }, ISSUER);
    assert.ok(own.leftTo);
  });

  it('answers an unknown factor kind with the page and 400, never 500', async () => {
    const user = await createTestUser(ctx);
    await enrolTotp(ctx, user.id);
    const browser = inProcessBrowser(ctx);
    const { page } = await passwordStep(browser, client.id, user.email);
    assert.ok(isMfaPage(page));
    assert.equal((await postForm(browser, page, '/mfa', { factor: 'carrier-pigeon', code: '123456' })).status, 400);
    assert.equal((await postForm(browser, page, '/mfa', { factor: 'totp', code: '' })).status, 400);
    assert.equal((await postForm(browser, page, '/mfa', { factor: 'totp', code: 'x'.repeat(5000) })).status, 401);
  });
});
