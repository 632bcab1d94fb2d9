import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ACCOUNT_URL, openAccountPage, signInOnAccountPage } from '../helpers/account-pages.js';
import { FORM_HEADERS } from '../helpers/authorize-pages.js';
import { ISSUER } from '../helpers/flow.js';
import type { HttpBrowser } from '../helpers/http-browser.js';
import { TEST_PASSWORD, type TestContext, createTestContext, createTestUser } from '../helpers/harness.js';
import { browserAt } from '../helpers/password-pages.js';
import { atRe } from '../helpers/prefix.js';

const MAX = 3;

/** The sign-in form of a fresh browser at `ip`: where to post, and its CSRF token. */
async function signInForm(browser: HttpBrowser): Promise<{ action: string; csrf: string }> {
  const html = await (await browser.request(ACCOUNT_URL)).text();
  return {
    action: new URL(new RegExp(`action="(${atRe('/interaction/')}[^"]+/login)"`).exec(html)?.[1] ?? '', ISSUER).href,
    csrf: /name="csrf" value="([^"]*)"/.exec(html)?.[1] ?? '',
  };
}

/** Posts `passwords` to one sign-in form all at once; the statuses, in the order given. */
async function burst(browser: HttpBrowser, email: string, passwords: string[]): Promise<number[]> {
  const { action, csrf } = await signInForm(browser);
  const answers = await Promise.all(
    passwords.map((password) =>
      browser.request(action, { method: 'POST', headers: FORM_HEADERS, body: new URLSearchParams({ csrf, email, password }).toString() }),
    ),
  );
  await Promise.all(answers.map((res) => res.body?.cancel()));
  return answers.map((res) => res.status);
}

const count = (statuses: number[], status: number): number => statuses.filter((s) => s === status).length;

// The sign-in throttle reserves every password check before it runs (auth/throttle.ts): a burst
// of parallel attempts gets no more checks than the limit, and one address guessing an account
// does not lock its owner out from theirs.
describe('sign-in throttle: reservations and addresses', () => {
  let ctx: TestContext;
  let ip = 0;
  const nextIp = (): string => `198.51.100.${++ip}`;

  before(async () => {
    ctx = await createTestContext({ GATEHOUSE_TRUST_PROXY: 'true', GATEHOUSE_LOGIN_MAX_FAILURES: String(MAX) });
  });
  after(() => ctx.close());

  it('checks at most the limit of 20 parallel wrong passwords; the rest wait, and so does the right one after', async () => {
    const user = await createTestUser(ctx);
    const address = nextIp();
    const statuses = await burst(
      browserAt(ctx, address),
      user.email,
      Array.from({ length: 20 }, (_, i) => `wrong ${i}`),
    );
    assert.equal(count(statuses, 401), MAX, `statuses: ${statuses.join(',')}`);
    assert.equal(count(statuses, 429), 20 - MAX);
    assert.equal((await signInOnAccountPage(browserAt(ctx, address), user.email)).status, 429, 'the right password waits too');
  });

  it('a right password inside a burst of wrong ones gets no check beyond the limit', async () => {
    const user = await createTestUser(ctx);
    const passwords = Array.from({ length: 20 }, (_, i) => (i === 19 ? TEST_PASSWORD : `wrong ${i}`));
    const statuses = await burst(browserAt(ctx, nextIp()), user.email, passwords);
    // Every 401 and a 303 was a password check.
    assert.ok(count(statuses, 401) + count(statuses, 303) <= MAX, `statuses: ${statuses.join(',')}`);
    assert.equal(count(statuses, 500), 0);
  });

  it('the current password on the account page is reserved the same way', async () => {
    const user = await createTestUser(ctx);
    const browser = browserAt(ctx, nextIp());
    assert.equal((await signInOnAccountPage(browser, user.email)).status, 303);
    await openAccountPage(browser);
    const url = `${ISSUER}/account/password`;
    const csrf = /name="csrf" value="([^"]+)"/.exec(await (await browser.request(url)).text())?.[1] ?? '';
    const body = (current: string): string =>
      new URLSearchParams({ csrf, current, password: 'a new passphrase, long enough', confirm: 'a new passphrase, long enough' }).toString();
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => browser.request(url, { method: 'POST', headers: FORM_HEADERS, body: body(`wrong ${i}`) })),
    );
    const statuses = answers.map((res) => res.status);
    assert.equal(count(statuses, 400), MAX, `statuses: ${statuses.join(',')}`);
    assert.equal(count(statuses, 429), 20 - MAX);
  });

  it('failures from one address do not hold the owner back at another', async () => {
    const user = await createTestUser(ctx);
    const attacker = nextIp();
    assert.deepEqual(await burst(browserAt(ctx, attacker), user.email, ['a', 'b', 'c', 'd', 'e']).then((s) => s.sort()), [401, 401, 401, 429, 429]);
    assert.equal((await signInOnAccountPage(browserAt(ctx, nextIp()), user.email)).status, 303, 'the owner, from elsewhere');
    assert.equal((await signInOnAccountPage(browserAt(ctx, attacker), user.email)).status, 429, 'the guessing address still waits');
  });

  it('a distributed guess stops at the account ceiling, except for addresses the account signed in from', async () => {
    const user = await createTestUser(ctx);
    const home = nextIp();
    assert.equal((await signInOnAccountPage(browserAt(ctx, home), user.email)).status, 303);
    assert.equal((await ctx.scope.repos.loginAttempts.knownAddresses(user.id)).length, 1, 'remembered, as one keyed hash');
    // 5 × MAX failures from addresses of their own, MAX each: the account's ceiling.
    for (let i = 0; i < 5; i++) {
      const statuses = await burst(browserAt(ctx, nextIp()), user.email, ['w1', 'w2', 'w3']);
      assert.deepEqual(statuses, [401, 401, 401]);
    }
    const stranger = nextIp();
    assert.equal((await signInOnAccountPage(browserAt(ctx, stranger), user.email)).status, 429, 'a new address waits now, even with the right password');
    assert.equal((await signInOnAccountPage(browserAt(ctx, home), user.email)).status, 303, 'the owner at home does not');
    ctx.clock.advance(ctx.config.login.windowSeconds + 1);
    assert.equal((await signInOnAccountPage(browserAt(ctx, stranger), user.email)).status, 303, 'and after the window, no one waits');
  });

  it('refused attempts count for nothing: hammering a held-back address does not raise the account ceiling', async () => {
    const user = await createTestUser(ctx);
    const attacker = nextIp();
    for (let i = 0; i < 4; i++)
      await burst(
        browserAt(ctx, attacker),
        user.email,
        Array.from({ length: 10 }, (_, j) => `w${j}`),
      );
    assert.equal((await signInOnAccountPage(browserAt(ctx, nextIp()), user.email)).status, 303, 'an owner never seen before still signs in');
  });

  it('a form that does not verify gives its reservation back', async () => {
    const user = await createTestUser(ctx);
    const browser = browserAt(ctx, nextIp());
    const { action } = await signInForm(browser);
    for (let i = 0; i < MAX + 2; i++) {
      const res = await browser.request(action, {
        method: 'POST',
        headers: FORM_HEADERS,
        body: new URLSearchParams({ csrf: 'forged', email: user.email, password: 'x' }).toString(),
      });
      assert.equal(res.status, 403);
    }
    assert.equal((await signInOnAccountPage(browser, user.email)).status, 303);
  });
});
