import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  type PowChallenge,
  checkSolution,
  createChallenge,
  requireProofOfWork,
  noteSignUpAttempt,
  SIGN_UP_THRESHOLD,
  signInThreshold,
} from '../../src/abuse/proof-of-work.js';
import { POW_SCRIPT } from '../../src/abuse/pow-script.js';
import { ACCOUNT_URL } from '../helpers/account-pages.js';
import { FORM_HEADERS } from '../helpers/authorize-pages.js';
import { ISSUER } from '../helpers/flow.js';
import type { HttpBrowser } from '../helpers/http-browser.js';
import { TEST_PASSWORD, type TestContext, createTestContext, createTestUser, secondIssuer } from '../helpers/harness.js';
import { browserAt } from '../helpers/password-pages.js';
import { solvePow } from '../helpers/pow.js';
import { atRe } from '../helpers/prefix.js';

const MAX = 4;

const unescapeHtml = (s: string): string =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/&#39;/g, "'");

interface LoginForm {
  action: string;
  csrf: string;
  challenge: PowChallenge | undefined;
  html: string;
}

async function loginForm(browser: HttpBrowser): Promise<LoginForm> {
  const html = await (await browser.request(ACCOUNT_URL)).text();
  return formOf(html);
}

function formOf(html: string): LoginForm {
  const pow = /data-pow="([^"]*)"/.exec(html)?.[1];
  return {
    action: new URL(new RegExp(`action="(${atRe('/interaction/')}[^"]+/login)"`).exec(html)?.[1] ?? '', ISSUER).href,
    csrf: /name="csrf" value="([^"]*)"/.exec(html)?.[1] ?? '',
    challenge: pow ? (JSON.parse(unescapeHtml(pow)) as PowChallenge) : undefined,
    html,
  };
}

async function post(browser: HttpBrowser, form: LoginForm, fields: Record<string, string>): Promise<Response> {
  return browser.request(form.action, { method: 'POST', headers: FORM_HEADERS, body: new URLSearchParams({ csrf: form.csrf, ...fields }).toString() });
}

describe('proof of work: the Altcha-compatible challenge', () => {
  let ctx: TestContext;
  let ip = 0;
  const nextIp = (): string => `203.0.113.${++ip}`;
  before(async () => {
    ctx = await createTestContext({ GATEHOUSE_TRUST_PROXY: 'true', GATEHOUSE_LOGIN_MAX_FAILURES: String(MAX) });
  });
  after(() => ctx.close());

  it('a solution checks out once; a tampered, expired or other issuer’s one does not', async () => {
    const c = createChallenge(ctx.scope, 2_000);
    assert.equal(c.algorithm, 'SHA-256');
    assert.match(c.signature, /^[0-9a-f]{64}$/);
    assert.match(c.salt, /^[0-9a-f]{24}\?expires=\d+&issuer=/);
    const good = solvePow(c);
    assert.equal(checkSolution(ctx.scope, good).status, 'solved');
    assert.equal(checkSolution(ctx.scope, '').status, 'missing');
    assert.deepEqual(checkSolution(ctx.scope, 'not base64 json'), { status: 'failed', reason: 'malformed' });
    assert.deepEqual(checkSolution(ctx.scope, solvePow(c, { signature: '0'.repeat(64) })), { status: 'failed', reason: 'wrong' });
    assert.deepEqual(checkSolution(ctx.scope, solvePow(c, { number: 2_001 + 5 })), { status: 'failed', reason: 'wrong' });
    assert.deepEqual(checkSolution(ctx.scope, solvePow(c, { algorithm: 'SHA-1' })), { status: 'failed', reason: 'malformed' });
    // Another issuer signs with a key of its own: the same solution is nothing there.
    const beta = await secondIssuer(ctx, 'powbeta');
    assert.deepEqual(checkSolution(beta, good), { status: 'failed', reason: 'wrong' });
    ctx.clock.advance(11 * 60);
    assert.deepEqual(checkSolution(ctx.scope, good), { status: 'failed', reason: 'expired' });
  });

  it('past the threshold of failures from an address the form carries a challenge and the same-origin script', async () => {
    const user = await createTestUser(ctx);
    const browser = browserAt(ctx, nextIp());
    let form = await loginForm(browser);
    assert.equal(form.challenge, undefined, 'no challenge for a fresh address');
    for (let i = 0; i < signInThreshold(ctx.scope); i++) {
      const res = await post(browser, form, { email: user.email, password: `wrong ${i}` });
      assert.equal(res.status, 401);
      form = formOf(await res.text());
    }
    assert.ok(form.challenge, 'the form after the last failure asks for a proof');
    assert.match(form.html, new RegExp(`<script src="${atRe('/assets/proof-of-work.js')}" defer=""></script>`));
    assert.match(form.html, /<input type="hidden" name="altcha" value=""/);
    const script = await browser.request(`${ISSUER}/assets/proof-of-work.js`);
    assert.equal(script.status, 200);
    assert.equal(script.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(await script.text(), POW_SCRIPT);
    // A fresh page from the same address asks too.
    assert.ok((await loginForm(browser)).challenge);
  });

  it('a solved challenge with the right password signs in; replayed, it is refused and checks no password', async () => {
    const user = await createTestUser(ctx);
    const address = nextIp();
    const browser = browserAt(ctx, address);
    let form = await loginForm(browser);
    for (let i = 0; i < signInThreshold(ctx.scope); i++) form = formOf(await (await post(browser, form, { email: user.email, password: `wrong ${i}` })).text());
    assert.ok(form.challenge);
    const solution = solvePow(form.challenge);
    const ok = await post(browser, form, { email: user.email, password: TEST_PASSWORD, altcha: solution });
    assert.equal(ok.status, 303);

    const other = browserAt(ctx, address);
    const again = await loginForm(other);
    const replay = await post(other, again, { email: user.email, password: TEST_PASSWORD, altcha: solution });
    assert.equal(replay.status, 400);
    assert.match(await replay.text(), /The automatic security check of this form did not pass\. Try again\./);
    const bad = await post(other, again, { email: user.email, password: TEST_PASSWORD, altcha: 'garbage' });
    assert.equal(bad.status, 400);
    const events = await ctx.scope.repos.events.list({ type: 'abuse.proof_of_work_failed' });
    assert.deepEqual(events.map((e) => e.payload).slice(0, 2), [
      { form: 'login', reason: 'malformed' },
      { form: 'login', reason: 'spent' },
    ]);
    assert.equal(events[0]?.address, address);
  });

  it('without JavaScript (no solution sent) the form still works and the throttle decides', async () => {
    const user = await createTestUser(ctx);
    const browser = browserAt(ctx, nextIp());
    let form = await loginForm(browser);
    for (let i = 0; i < signInThreshold(ctx.scope); i++) form = formOf(await (await post(browser, form, { email: user.email, password: `wrong ${i}` })).text());
    assert.ok(form.challenge);
    assert.equal((await post(browser, form, { email: user.email, password: TEST_PASSWORD })).status, 303);
  });

  it('an unknown address that solved a challenge passes the account-wide ceiling of a distributed guess; without one it waits', async () => {
    const user = await createTestUser(ctx);
    // MAX failures from each of five addresses of their own: the account's ceiling (5 × MAX).
    for (let a = 0; a < 5; a++) {
      const browser = browserAt(ctx, nextIp());
      let form = await loginForm(browser);
      for (let i = 0; i < MAX; i++) form = formOf(await (await post(browser, form, { email: user.email, password: `guess ${a}-${i}` })).text());
    }
    const owner = browserAt(ctx, nextIp());
    const form = await loginForm(owner);
    const held = await post(owner, form, { email: user.email, password: TEST_PASSWORD });
    assert.equal(held.status, 429, 'a new address of the owner is held back by the account ceiling');
    const refused = formOf(await held.text());
    assert.ok(refused.challenge, 'the refused form offers a challenge');
    const res = await post(owner, refused, { email: user.email, password: TEST_PASSWORD, altcha: solvePow(refused.challenge) });
    assert.equal(res.status, 303, 'with the proof it signs in');
  });

  it('sign-up attempts from an address count towards the threshold (for the sign-up form)', async () => {
    const address = nextIp();
    assert.equal(await requireProofOfWork(ctx.scope, address), undefined);
    for (let i = 0; i < SIGN_UP_THRESHOLD; i++) await noteSignUpAttempt(ctx.scope, address);
    assert.ok(await requireProofOfWork(ctx.scope, address));
    const beta = await secondIssuer(ctx, 'powgamma');
    assert.equal(await requireProofOfWork(beta, address), undefined, 'counted per issuer');
  });
});
