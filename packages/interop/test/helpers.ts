/**
 * Shared by the interop tests: serving a relying-party app on 127.0.0.1 and walking a browser
 * through Gatehouse's hosted login and consent pages.
 */
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { basicAuth } from '../../server/test/helpers/harness.js';
import type { HttpBrowser, Page } from '../../server/test/helpers/http-browser.js';

export { createTestClient, createTestUser, TEST_PASSWORD } from '../../server/test/helpers/harness.js';
export { HttpBrowser } from '../../server/test/helpers/http-browser.js';
export { startLiveServer } from '../../server/test/helpers/live-server.js';

/**
 * Client settings for an app that takes the user's profile from the ID token (NextAuth v4 and
 * Auth.js by default, passport-openidconnect with a short verify). Gatehouse puts profile and
 * email claims in an ID token that comes with an access token only for a client registered with
 * `--id-token-claims` (OIDC Core §5.4 puts them in userinfo). Spread into createTestClient's
 * settings; before that switch existed every ID token carried them and the field was ignored.
 */
export const ID_TOKEN_PROFILE: { readonly idTokenClaims: true } = { idTokenClaims: true };

export interface RunningApp {
  /** http://127.0.0.1:port, no trailing slash. */
  origin: string;
  close(): Promise<void>;
}

/** app.listen(0, '127.0.0.1'): a free port on the loopback interface. */
export async function listen(app: Express): Promise<RunningApp> {
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(0, '127.0.0.1', (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  userinfo_endpoint: string;
  introspection_endpoint: string;
  revocation_endpoint: string;
  end_session_endpoint: string;
}

export async function discover(issuer: string): Promise<Discovery> {
  const res = await fetch(`${issuer}/.well-known/openid-configuration`);
  assert.equal(res.status, 200);
  return (await res.json()) as Discovery;
}

/**
 * From Gatehouse's authorization endpoint back to the app: signs in on the hosted login page
 * (when it is shown), approves the consent page (when it is shown) and returns the URL Gatehouse
 * redirected to (the app's callback with code, state and iss) and which pages it showed.
 */
export async function throughGatehouse(
  browser: HttpBrowser,
  authorizeUrl: string,
  issuer: string,
  user: { email: string; password: string },
  scopes: string[] = ['openid', 'profile', 'email'],
): Promise<{ callback: URL; shown: ('login' | 'consent')[] }> {
  const shown: ('login' | 'consent')[] = [];
  assert.ok(authorizeUrl.startsWith(`${issuer}/oauth/authorize?`), `the app sent the browser to Gatehouse (${authorizeUrl})`);
  let step: { page?: Page; leftTo?: string } = await browser.navigate(authorizeUrl, issuer);
  if (step.page && /action="[^"]*\/login"/.test(step.page.html)) {
    shown.push('login');
    step = await browser.submit(step.page, '/login', { email: user.email, password: user.password }, issuer);
  }
  if (step.page && /action="[^"]*\/consent"/.test(step.page.html)) {
    shown.push('consent');
    step = await browser.submit(step.page, '/consent', { decision: 'approve', scope: scopes }, issuer);
  }
  assert.ok(step.leftTo, `Gatehouse redirected back to the app (stopped at ${step.page?.url} ${step.page?.status}: ${step.page?.html.slice(0, 400)})`);
  return { callback: new URL(step.leftTo), shown };
}

/** Gatehouse's view of a token (RFC 7662), asked with the client's credentials. */
export async function introspect(discovery: Discovery, clientId: string, secret: string, token: string): Promise<Record<string, unknown>> {
  const res = await fetch(discovery.introspection_endpoint, {
    method: 'POST',
    headers: { authorization: basicAuth(clientId, secret), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token }).toString(),
  });
  assert.equal(res.status, 200);
  return (await res.json()) as Record<string, unknown>;
}
