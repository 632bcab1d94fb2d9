import type { AdminRole } from '../../src/admin/roles.js';
import { hashPassword } from '../../src/auth/password.js';
import { randomToken } from '../../src/tokens/random.js';
import { TEST_PASSWORD, type TestContext } from './harness.js';
import { inProcessBrowser } from './flow.js';
import type { HttpBrowser, Page } from './http-browser.js';
import { ISSUER, TEST_PREFIX } from './prefix.js';

/** An operator with `role` at the default issuer (none: a user without a role). */
export async function createOperator(
  ctx: TestContext,
  role: AdminRole | undefined,
  email = `op-${randomToken(4).toLowerCase()}@example.com`,
): Promise<{ id: string; email: string }> {
  const user = await ctx.scope.repos.users.create({ email, emailVerified: true, passwordHash: await hashPassword(TEST_PASSWORD), name: 'Grace Hopper' });
  if (role) await ctx.scope.repos.adminRoles.set(user.id, role);
  return { id: user.id, email };
}

/**
 * Opens `<issuer>/admin` in a browser and signs in on the hosted sign-in page it is sent to;
 * returns the page the browser ends on (the overview, or why not).
 */
export async function consoleSignIn(
  ctx: TestContext,
  email: string,
  options: { browser?: HttpBrowser; start?: string; password?: string } = {},
): Promise<{ browser: HttpBrowser; page: Page }> {
  const browser = options.browser ?? inProcessBrowser(ctx);
  const first = await browser.navigate(`${ISSUER}${options.start ?? '/admin'}`, ISSUER);
  if (!first.page) throw new Error(`left the issuer: ${first.leftTo}`);
  if (!new RegExp(`action="${TEST_PREFIX}/interaction/[^"]+/login"`).test(first.page.html)) return { browser, page: first.page };
  const done = await browser.submit(first.page, '/login', { email, password: options.password ?? TEST_PASSWORD }, ISSUER);
  if (!done.page) throw new Error(`left the issuer: ${done.leftTo}`);
  return { browser, page: done.page };
}

/** Submits the console form whose action contains `action` (its CSRF field included). */
export async function consolePost(browser: HttpBrowser, page: Page, action: string, fields: Record<string, string | string[]>): Promise<Page> {
  const result = await browser.submit(page, action, fields, ISSUER);
  if (!result.page) throw new Error(`left the issuer: ${result.leftTo}`);
  return result.page;
}

/** A console page of the default issuer, opened in `browser` (redirects followed while they stay at the issuer). */
export async function consoleGet(browser: HttpBrowser, route: string, init: RequestInit = {}): Promise<Page> {
  const { page } = await browser.navigate(`${ISSUER}${route}`, ISSUER, init);
  if (!page) throw new Error(`${route} left the issuer`);
  return page;
}
