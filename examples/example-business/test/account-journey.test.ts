import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { createTestUser } from '../../../packages/server/test/helpers/harness.js';
import { JOURNEY_GUARD_MS, listed, openSignIn, submitPassword, text, toDashboard, useJourney } from './helpers/journey.js';
import { PASSWORD } from './helpers/stack.js';

const ACCOUNT_PAGES = ['/account', '/account/security', '/account/sessions', '/account/activity', '/account/apps', '/account/password', '/account/close'];

// Short access tokens, so moving the shared clock 45 s makes the app refresh before its next call.
const journey = useJourney({ env: { GATEHOUSE_ACCESS_TOKEN_TTL: '60' } });

/** A fresh browser context signed in to the account pages as `email`, on the account home. */
async function signedIn(email: string): Promise<{ context: BrowserContext; page: Page }> {
  const { issuer } = journey.stack;
  // A zone other than the server's UTC, so the page's own rewriting of times is seen.
  const { context, page } = await journey.newPage({ timezoneId: 'Asia/Tokyo', preloadAxe: true });
  await page.goto(`${issuer}/account`);
  await submitPassword(page, email, PASSWORD);
  await page.waitForURL(`${issuer}/account`);
  assert.equal(await text(page, '#page-title'), 'Your account');
  return { context, page };
}

/** The ids (`sid`) of the user's sessions at Gatehouse. */
async function sids(userId: string): Promise<string[]> {
  return (await journey.stack.ctx.scope.repos.sessions.listForUser(userId)).map((s) => s.sid);
}

test('a person sees their sessions, signs one browser out, then every other one (the app too), reads their activity and closes their account', {
  timeout: JOURNEY_GUARD_MS,
}, async () => {
  const { stack } = journey;
  const { issuer, appUrl } = stack;
  const user = await createTestUser(stack.ctx, 'journey-account@example.com', PASSWORD);
  const laptop = await signedIn(user.email);
  const before = await sids(user.id);
  const phone = await signedIn(user.email);
  const [phoneSid] = (await sids(user.id)).filter((sid) => !before.includes(sid));
  assert.ok(phoneSid);
  // A tablet signed in to the example app through Gatehouse: a third session, and the app's grant.
  const tablet = await journey.newPage();
  await openSignIn(stack, tablet.page);
  await submitPassword(tablet.page, user.email, PASSWORD);
  await toDashboard(stack, tablet.page);
  const page = laptop.page;

  // All three sessions, this one marked; the phone signed out from here.
  await page.click('#nav-sessions');
  await page.waitForURL(`${issuer}/account/sessions`);
  assert.equal(await page.locator('li.session').count(), 3);
  assert.equal(await page.locator('li.session .this-device').count(), 1);
  assert.match(await text(page, 'li.session >> nth=0'), /Chrome on Linux/);
  await journey.look(page, 'en sessions, three');
  await page.click(`li.session[data-sid="${phoneSid}"] .end-session-form button`);
  await page.waitForURL(`${issuer}/account/sessions?notice=ended`);
  assert.equal(await text(page, '#notice'), 'That session has been signed out.');
  assert.equal(await page.locator('li.session').count(), 2);

  // The phone is signed out: its account page is the sign-in form again.
  await phone.page.reload();
  assert.equal(await phone.page.locator('#login-form').count(), 1);
  await phone.context.close();

  // "Sign out every other session": the tablet's session ends, and with it the app's grant.
  await page.click('#end-others');
  await page.waitForURL(`${issuer}/account/sessions?notice=others`);
  assert.equal(await text(page, '#notice'), 'Every other session has been signed out.');
  assert.equal(await page.locator('li.session').count(), 1);
  assert.equal(await page.locator('li.session .this-device').count(), 1);
  assert.equal(await page.isVisible('#no-other-sessions'), true);
  await journey.look(page, 'en sessions, only this one');
  // The app's next refresh fails, so its own session ends.
  stack.ctx.clock.advance(45);
  const orders = await tablet.context.request.get(`${appUrl}/api/me/orders`);
  assert.equal(orders.status(), 401);
  assert.equal(((await orders.json()) as { error: string }).error, 'session_ended');
  await tablet.context.close();

  // The activity: the three sign-ins and the two sign-outs, with times rewritten to the browser's zone.
  await page.click('#nav-activity');
  await page.waitForURL(`${issuer}/account/activity`);
  const kinds = await page.locator('li.activity-item').evaluateAll((items) => items.map((li) => li.getAttribute('data-type')));
  assert.equal(kinds.filter((k) => k === 'session.started').length, 3);
  assert.equal(kinds.filter((k) => k === 'session.ended').length, 2);
  assert.match(await text(page, 'li.activity-item time >> nth=0'), /GMT\+9$/, 'the script showed the time in the browser’s zone');

  // Every account page, in English and in Arabic (right to left): axe-core finds nothing wrong.
  for (const locale of ['en', 'ar']) {
    for (const route of ACCOUNT_PAGES) {
      await page.goto(`${issuer}${route}?ui_locales=${locale}`);
      const root = await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir]);
      assert.deepEqual(root, [locale, locale === 'ar' ? 'rtl' : 'ltr'], `${locale} ${route}`);
      assert.equal(await page.locator('nav.account-nav a[aria-current="page"]').count(), 1, `${locale} ${route}`);
      await journey.look(page, `${locale} ${route}`);
    }
  }

  // Closing needs a sign-in within five minutes: later, the page asks for the password first.
  stack.ctx.clock.advance(10 * 60);
  await page.goto(`${issuer}/account/close`);
  assert.equal(await page.locator('#close-form').count(), 0);
  await journey.look(page, 'en close, password first');
  await page.click('#reauth');
  assert.equal(await page.inputValue('input[name="email"]'), user.email);
  await journey.look(page, 'en fresh sign-in');
  await page.fill('input[name="password"]', PASSWORD);
  await page.click('#login-form button[type="submit"]');
  await page.waitForURL(`${issuer}/account/close`);
  await page.check('#reason-other_account');
  await page.fill('#details', 'Moving to my work account.');
  await page.check('#confirm');
  await page.click('#close-account');
  await page.waitForSelector('#account-closed');
  assert.equal(await text(page, '#page-title'), 'Your account is closed');
  await journey.look(page, 'en closed');
  assert.equal(await stack.ctx.scope.repos.users.findById(user.id), undefined, 'the user is gone');
  const [closure] = await stack.ctx.scope.repos.accountClosures.list();
  assert.equal(closure?.details, 'Moving to my work account.');

  // Signed out: the account page is the sign-in form.
  await page.goto(`${issuer}/account`);
  assert.equal(await page.locator('#login-form').count(), 1);
  await laptop.context.close();
  assert.deepEqual(journey.violations, [], `axe-core finds nothing wrong with any account page:\n${listed(journey.violations)}`);
});
