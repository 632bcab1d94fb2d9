import assert from 'node:assert/strict';
import { decodeJwt } from 'jose';
import { checkTotpCode, startTotpEnrolment } from '../../src/factors/totp-factor.js';
import { codeForStep, stepAt } from '../../src/factors/rfc6238.js';
import { updateIssuer } from '../../src/issuers/service.js';
import type { IssuerScope } from '../../src/issuers/scope.js';
import type { StoredSettings } from '../../src/issuers/settings.js';
import { TEST_PREFIX } from '../helpers/prefix.js';
import type { HttpBrowser, Page } from '../helpers/http-browser.js';
import { ISSUER, authorizeUrl, tokenRequest } from '../helpers/flow.js';
import { TEST_PASSWORD, TEST_REDIRECT_URI, type TestContext } from '../helpers/harness.js';

/** Changes the default issuer's settings and returns its scope as requests now see it. */
export async function setIssuerSettings(ctx: TestContext, settings: Record<string, unknown> & Partial<StoredSettings>): Promise<IssuerScope> {
  await updateIssuer(ctx.services, 'default', { settings });
  return ctx.services.scopes.defaultScope();
}

/** The code an authenticator app shows for `secret` now, or `offset` steps away. */
export function totpCode(ctx: TestContext, secret: string, offset = 0): string {
  return codeForStep(secret, stepAt(ctx.clock()) + offset);
}

/** Enrols an authenticator app for the user as the account page would (a secret, confirmed by its first code); returns the secret. */
export async function enrolTotp(ctx: TestContext, userId: string): Promise<string> {
  const scope = await ctx.services.scopes.defaultScope();
  const setup = await startTotpEnrolment(scope, userId, 'someone@example.com');
  assert.ok(setup, 'no app was enrolled before');
  assert.ok(await checkTotpCode(scope, userId, codeForStep(setup.secret, stepAt(ctx.clock())), true));
  // The confirming step is used up: move on so the next code is a new one.
  ctx.clock.advance(30);
  return setup.secret;
}

export function isMfaPage(page: Page | undefined): page is Page {
  return page !== undefined && new RegExp(`action="${TEST_PREFIX}/interaction/[^"]+/mfa"`).test(page.html);
}

/** Authorize, then the password: returns where the browser is (the mfa page, or the client). */
export async function passwordStep(
  browser: HttpBrowser,
  clientId: string,
  email: string,
  extra: Record<string, string | undefined> = {},
): Promise<{ page?: Page; leftTo?: string; request: ReturnType<typeof authorizeUrl> }> {
  const request = authorizeUrl(clientId, extra);
  const opened = await browser.navigate(request.url, ISSUER);
  if (!opened.page || !/\/login"/.test(opened.page.html)) return { ...opened, request };
  return { ...(await browser.submit(opened.page, '/login', { email, password: TEST_PASSWORD }, ISSUER)), request };
}

/** The error shown on a hosted page, if any. */
export function pageError(html: string): string | undefined {
  return /<p class="error" role="alert"[^>]*>([^<]*)<\/p>/.exec(html)?.[1];
}

/** Exchanges the code of a callback and returns the ID token's claims. */
export async function idTokenClaims(
  ctx: TestContext,
  client: { id: string; secret: string | null },
  leftTo: string | undefined,
  verifier: string,
): Promise<Record<string, unknown>> {
  assert.ok(leftTo, 'the browser went back to the client');
  const code = new URL(leftTo).searchParams.get('code');
  assert.ok(code, `a code: ${leftTo}`);
  const res = await tokenRequest(ctx, client.id, client.secret, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: TEST_REDIRECT_URI,
    code_verifier: verifier,
  });
  assert.equal(res.status, 200, await res.clone().text());
  const body = (await res.json()) as { id_token: string };
  return decodeJwt(body.id_token);
}
