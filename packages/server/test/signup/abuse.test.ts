import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { rangeParts } from '../../src/abuse/breached.js';
import { type PowChallenge, SIGN_UP_THRESHOLD } from '../../src/abuse/proof-of-work.js';
import { passwordHashesStarted } from '../../src/auth/password.js';
import { createTestClient, createTestUser } from '../helpers/harness.js';
import type { HttpBrowser, Page } from '../helpers/http-browser.js';
import { solvePow } from '../helpers/pow.js';
import { type MailTestContext, browserAt } from '../helpers/password-pages.js';
import { asPage, openAppSignIn, openSignUpForm, pageError, post, signUpContext } from './signup-pages.js';

const BREACHED = 'a leaked sign-up password';
const FRESH = 'a fresh sign-up passphrase';

/** A range service on loopback that knows one breached password; it counts the requests it gets. */
async function rangeServer(): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const { prefix, suffix } = rangeParts(BREACHED);
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(req.url === `/range/${prefix}` ? `${suffix}:12\r\nFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0\r\n` : '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/range`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The challenge a page's form carries, if any. */
function challengeIn(html: string): PowChallenge | undefined {
  const raw = /<form[^>]*id="signup-form"[^>]*data-pow="([^"]*)"/.exec(html)?.[1];
  return raw ? (JSON.parse(raw.replace(/&quot;/g, '"').replace(/&amp;/g, '&')) as PowChallenge) : undefined;
}

describe('sign-up abuse checks: breached passwords and proof of work', () => {
  let mail: MailTestContext;
  let range: Awaited<ReturnType<typeof rangeServer>>;
  let clientId: string;
  let ip = 0;
  const nextIp = (): string => `203.0.113.${++ip}`;

  before(async () => {
    range = await rangeServer();
    mail = await signUpContext('open', { GATEHOUSE_BREACHED_PASSWORDS_URL: range.url });
    clientId = (await createTestClient(mail.ctx)).client.id;
    await createTestUser(mail.ctx, 'owner@example.com');
  });
  after(async () => {
    await mail.close();
    await range.close();
  });

  async function form(browser: HttpBrowser): Promise<Page> {
    return openSignUpForm(browser, (await openAppSignIn(browser, clientId)).page);
  }

  async function signUp(browser: HttpBrowser, page: Page, fields: Record<string, string>): Promise<Page & { hashes: number }> {
    const before = passwordHashesStarted();
    const answer = await asPage(await post(browser, page, '/signup', { name: 'Someone', password: FRESH, ...fields }), page.url);
    return { ...answer, hashes: passwordHashesStarted() - before };
  }

  it('refuses a breached password before anything is hashed or mailed, the same for a taken and a free address', async () => {
    const answers: string[] = [];
    for (const email of ['owner@example.com', 'nobody-yet@example.com']) {
      const browser = browserAt(mail.ctx, nextIp());
      const page = await form(browser);
      const refused = await signUp(browser, page, { email, password: BREACHED });
      assert.equal(refused.status, 400);
      assert.equal(pageError(refused.html), 'This password appears in a known data breach, so others may try it. Choose another one.');
      assert.equal(refused.hashes, 0);
      assert.match(refused.html, /id="signup-form"/, 'the form again, with what was typed');
      answers.push(pageError(refused.html) ?? '');
    }
    assert.equal(answers[0], answers[1]);
    const events = (await mail.ctx.scope.repos.events.list({ type: 'password.breached_refused' })).filter(
      (e) => (e.payload as { place?: string }).place === 'signup',
    );
    assert.equal(events.length, 2);
    assert.ok(
      events.every((e) => e.userId === null),
      'no user is named, not even the owner of a taken address',
    );
    assert.ok(
      range.requests.some((r) => r === `/range/${rangeParts(BREACHED).prefix}`),
      'asked the range server',
    );
    assert.ok(!range.requests.some((r) => r.includes(rangeParts(BREACHED).suffix)), 'only the prefix left the process');
  });

  it('a breached refusal does not use up the address’s few sign-up mails: a fresh password then goes through', async () => {
    const browser = browserAt(mail.ctx, nextIp());
    const page = await form(browser);
    for (let i = 0; i < 4; i++) assert.equal((await signUp(browser, page, { email: 'retrying@example.com', password: BREACHED })).status, 400);
    const accepted = await signUp(browser, page, { email: 'retrying@example.com', password: FRESH });
    assert.equal(accepted.status, 200);
    assert.match(accepted.html, /id="code-form"/);
  });

  it(`past ${SIGN_UP_THRESHOLD} sign-up attempts from an address the form carries a challenge and the script; below it, none`, async () => {
    const address = nextIp();
    const browser = browserAt(mail.ctx, address);
    let page = await form(browser);
    assert.equal(challengeIn(page.html), undefined);
    assert.doesNotMatch(page.html, /proof-of-work\.js/);
    for (let i = 0; i < SIGN_UP_THRESHOLD; i++) {
      assert.equal(challengeIn(page.html), undefined, `no challenge before attempt ${i + 1}`);
      const answer = await signUp(browser, page, { email: `threshold-${i}@example.com` });
      assert.equal(answer.status, 200);
      page = await form(browser);
    }
    const challenge = challengeIn(page.html);
    assert.ok(challenge, 'past the threshold the form carries a challenge');
    assert.match(page.html, /<input type="hidden" name="altcha" value=""\/?>/);
    assert.match(page.html, /src="[^"]*\/assets\/proof-of-work\.js"/);
    assert.match(page.html, /id="pow-notice"/);
    // Another address is not affected.
    assert.equal(challengeIn((await form(browserAt(mail.ctx, nextIp()))).html), undefined);
  });

  it('a wrong or replayed solution is refused (400) before any hash, and recorded', async () => {
    const address = nextIp();
    const browser = browserAt(mail.ctx, address);
    let page = await form(browser);
    for (let i = 0; i < SIGN_UP_THRESHOLD; i++) {
      await signUp(browser, page, { email: `replay-${i}@example.com` });
      page = await form(browser);
    }
    const challenge = challengeIn(page.html) ?? assert.fail('a challenge');
    const solution = solvePow(challenge);
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(solution, 'base64').toString()), number: 1e9 })).toString('base64');
    const bad = await signUp(browser, page, { email: 'forged@example.com', altcha: forged });
    assert.equal(bad.status, 400);
    assert.equal(pageError(bad.html), 'The automatic security check of this form did not pass. Try again.');
    assert.equal(bad.hashes, 0);
    assert.equal((await signUp(browser, page, { email: 'solved@example.com', altcha: solution })).status, 200, 'a good solution goes through');
    const replay = await signUp(browser, page, { email: 'solved-again@example.com', altcha: solution });
    assert.equal(replay.status, 400, 'the same solution twice');
    assert.equal(replay.hashes, 0);
    const events = await mail.ctx.scope.repos.events.list({ type: 'abuse.proof_of_work_failed' });
    const mine = events.filter((e) => e.address === address).map((e) => e.payload);
    assert.deepEqual(
      mine.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
      [
        { form: 'signup', reason: 'malformed' },
        { form: 'signup', reason: 'spent' },
      ],
    );
  });

  it('without JavaScript (no solution) the throttle decides: 20 an hour; with solutions the address goes on, still bounded', async () => {
    const address = nextIp();
    const browser = browserAt(mail.ctx, address);
    let page = await form(browser);
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) {
      const answer = await signUp(browser, page, { email: `no-script-${i}@example.com` });
      statuses.push(answer.status);
      page = await form(browser);
    }
    assert.deepEqual(statuses, [...Array(20).fill(200), 429], 'the form works without a solution until the throttle stops it');
    const refused = await signUp(browser, page, { email: 'no-script-late@example.com' });
    assert.equal(refused.status, 429);
    assert.equal(refused.hashes, 0);
    assert.ok(challengeIn(refused.html), 'the refused form offers a challenge');
    // A browser that runs the check passes the client address's limit (a shared address).
    let solved: Page = refused;
    for (let i = 0; i < 3; i++) {
      const answer = await signUp(browser, solved, {
        email: `scripted-${i}@example.com`,
        altcha: solvePow(challengeIn(solved.html) ?? assert.fail('a challenge')),
      });
      assert.equal(answer.status, 200, `solved sign-up ${i}`);
      solved = await form(browser);
    }
    // Past the higher bound even a solution does not help.
    for (let i = 0; i < 100; i++) await mail.ctx.scope.repos.rateLimits.hit(`signup:ip:${address}`, 3600);
    const capped = await signUp(browser, solved, {
      email: 'scripted-cap@example.com',
      altcha: solvePow(challengeIn(solved.html) ?? assert.fail('a challenge')),
    });
    assert.equal(capped.status, 429);
    // The hour passes: the address starts again without a challenge after the window.
    mail.ctx.clock.advance(3601);
    const later = await form(browser);
    assert.equal((await signUp(browser, later, { email: 'next-hour@example.com' })).status, 200);
  });
});
