import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { normalRecoveryCode, recoveryCodeHash } from '../../src/factors/recovery-factor.js';
import { ACCOUNT_URL } from '../helpers/account-pages.js';
import { ISSUER, inProcessBrowser } from '../helpers/flow.js';
import { TEST_PASSWORD, type TestContext, createTestClient, createTestUser } from '../helpers/harness.js';
import type { HttpBrowser, Page } from '../helpers/http-browser.js';
import { type MailTestContext, mailTestContext } from '../helpers/password-pages.js';
import { idTokenClaims, isMfaPage, passwordStep, setIssuerSettings, totpCode } from './helpers.js';

const codesIn = (html: string): string[] => [...html.matchAll(/<li><code>([A-Z2-7]{5}-[A-Z2-7]{5})<\/code><\/li>/g)].map((m) => m[1] ?? '');
const secretIn = (html: string): string => /id="totp-secret"[^>]*>([^<]+)</.exec(html)?.[1]?.replace(/\s/g, '') ?? assert.fail('an enrolment page');

// A user without a factor at an issuer that requires one sets up an authenticator app inside
// the sign-in: the recovery codes are shown right then, once, before the sign-in goes on.
describe('second factor: recovery codes right after setting up an app in the sign-in', () => {
  let mail: MailTestContext;
  let ctx: TestContext;
  let client: { id: string; secret: string | null };

  before(async () => {
    mail = await mailTestContext();
    ctx = mail.ctx;
    const created = await createTestClient(ctx, { firstParty: true });
    client = { id: created.client.id, secret: created.secret };
    await setIssuerSettings(ctx, { mfa: 'required' });
  });
  after(() => mail.close());

  /** The password step and the enrolment: the page that answers the first code. */
  async function enrol(browser: HttpBrowser, email: string): Promise<{ page: Page; secret: string; verifier: string; enrolPage: Page }> {
    const step = await passwordStep(browser, client.id, email);
    assert.ok(isMfaPage(step.page), 'the enrolment step');
    const secret = secretIn(step.page.html);
    const done = await browser.submit(step.page, '/mfa', { factor: 'totp', code: totpCode(ctx, secret) }, ISSUER);
    assert.ok(done.page, `a page, not ${done.leftTo}`);
    return { page: done.page, secret, verifier: step.request.verifier, enrolPage: step.page };
  }

  it('shows ten codes once (stored only as hashes), then "continue" goes on to the app with acr 2fa', async () => {
    const user = await createTestUser(ctx);
    const browser = inProcessBrowser(ctx);
    const { page, verifier } = await enrol(browser, user.email);
    assert.equal(page.status, 200);
    assert.match(page.html, /<h1 id="page-title">Save your recovery codes<\/h1>/);
    const codes = codesIn(page.html);
    assert.equal(codes.length, 10);
    assert.equal(new Set(codes).size, 10);
    const rows = await ctx.services.store.db.selectFrom('recovery_codes').selectAll().where('user_id', '=', user.id).execute();
    assert.equal(rows.length, 10);
    const stored = JSON.stringify(rows);
    for (const code of codes) assert.ok(!stored.includes(normalRecoveryCode(code)) && !stored.includes(code), 'never the code itself');
    assert.ok(rows.some((r) => JSON.stringify(r).includes(recoveryCodeHash(codes[0] ?? ''))));
    const [event] = await ctx.scope.repos.events.list({ type: 'mfa.recovery_codes_generated', userId: user.id });
    assert.deepEqual(event?.payload, { count: 10 });

    const next = await browser.submit(page, '/mfa', {}, ISSUER);
    assert.ok(next.leftTo, `on to the app, not ${next.page?.html.slice(0, 200)}`);
    const claims = await idTokenClaims(ctx, client, next.leftTo, verifier);
    assert.equal(claims.acr, 'urn:gatehouse:acr:2fa');
  });

  it('the codes work: a later sign-in passes the step with one of them, once', async () => {
    const user = await createTestUser(ctx);
    const { page } = await enrol(inProcessBrowser(ctx), user.email);
    const [code] = codesIn(page.html);
    assert.ok(code);
    ctx.clock.advance(30);
    const later = inProcessBrowser(ctx);
    const step = await passwordStep(later, client.id, user.email);
    assert.ok(isMfaPage(step.page));
    const used = await later.submit(step.page, '/mfa', { factor: 'recovery', code }, ISSUER);
    assert.ok(used.leftTo, 'the recovery code passed the step');
    const again = inProcessBrowser(ctx);
    const second = await passwordStep(again, client.id, user.email);
    assert.ok(isMfaPage(second.page));
    assert.equal((await again.submit(second.page, '/mfa', { factor: 'recovery', code }, ISSUER)).page?.status, 401, 'once');
  });

  it('one notification mail for the new app, none more for its codes', async () => {
    const user = await createTestUser(ctx);
    await enrol(inProcessBrowser(ctx), user.email);
    const queued = (await ctx.scope.repos.events.list({ type: 'mail.requested', limit: 1000 }))
      .map((e) => e.payload as { template: string; recipient: string; data: Record<string, string> })
      .filter((p) => p.recipient === user.email && p.template === 'factor_changed');
    assert.deepEqual(
      queued.map((p) => p.data.change),
      ['totp_added'],
    );
  });

  it('a reload (the enrolment posted again) shows no codes, and "continue" skips nothing for a session that did not prove a factor', async () => {
    const user = await createTestUser(ctx);
    const browser = inProcessBrowser(ctx);
    const { page, enrolPage, secret } = await enrol(browser, user.email);
    const codes = codesIn(page.html);
    // The same post again, as a reload does: the code is used up, the codes are not shown again.
    const reload = await browser.submit(enrolPage, '/mfa', { factor: 'totp', code: totpCode(ctx, secret) }, ISSUER);
    assert.equal(reload.page?.status, 401);
    assert.deepEqual(codesIn(reload.page?.html ?? ''), []);
    assert.ok(!codes.some((c) => (reload.page?.html ?? '').includes(c)));

    // Another sign-in with the password only: "continue" posted at its step asks for the code.
    ctx.clock.advance(30);
    const other = inProcessBrowser(ctx);
    const step = await passwordStep(other, client.id, user.email);
    assert.ok(isMfaPage(step.page));
    const skipped = await other.submit(step.page, '/mfa', { factor: 'continue' }, ISSUER);
    assert.equal(skipped.leftTo, undefined, 'no code for the app');
    assert.ok(isMfaPage(skipped.page));
    assert.match(skipped.page.html, /id="totp-form"|autocomplete="one-time-code"/);
  });

  it('in the account pages’ own sign-in too: codes, then the account page', async () => {
    const user = await createTestUser(ctx);
    const browser = inProcessBrowser(ctx);
    const opened = await browser.navigate(ACCOUNT_URL, ISSUER);
    assert.ok(opened.page);
    const step = await browser.submit(opened.page, '/login', { email: user.email, password: TEST_PASSWORD }, ISSUER);
    assert.ok(isMfaPage(step.page), 'the enrolment step');
    const done = await browser.submit(step.page, '/mfa', { factor: 'totp', code: totpCode(ctx, secretIn(step.page.html)) }, ISSUER);
    assert.equal(codesIn(done.page?.html ?? '').length, 10);
    const res = await browser.request(new URL(/action="([^"]+\/mfa)"/.exec(done.page?.html ?? '')?.[1] ?? '', ISSUER).href, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf: /name="csrf" value="([^"]+)"/.exec(done.page?.html ?? '')?.[1] ?? '', factor: 'continue' }).toString(),
    });
    assert.equal(res.status, 303);
    assert.equal(new URL(res.headers.get('location') ?? '').pathname, new URL(ACCOUNT_URL).pathname, 'back to the page that asked');
  });
});
