import { adminAudience } from '../../src/admin/audience.js';
import type { AdminRole } from '../../src/admin/roles.js';
import type { IssuerScope } from '../../src/issuers/scope.js';
import { hashPassword } from '../../src/auth/password.js';
import { randomToken } from '../../src/tokens/random.js';
import { TEST_PASSWORD, TEST_REDIRECT_URI, type TestContext, basicAuth } from './harness.js';
import { inProcessBrowser, signInForTokens } from './flow.js';

/** The Admin API's URL of `route` at the default issuer, as a path for ctx.app.request. */
export function adminPath(scope: IssuerScope, route: string): string {
  return scope.path(`/admin/api/v1${route}`);
}

/** An access token from client_credentials for a machine client of `scope` with `scopes`. */
export async function machineToken(ctx: TestContext, scopes: string, scope: IssuerScope = ctx.scope): Promise<{ token: string; clientId: string }> {
  const { client, secret } = await scope.repos.clients.create({
    appType: 'machine',
    name: `Automation ${randomToken(3)}`,
    redirectUris: [],
    grantTypes: ['client_credentials'],
    scopes: scopes.split(' '),
    resources: [adminAudience(scope)],
    isPublic: false,
    firstParty: false,
  });
  const res = await ctx.app.request(scope.path('/oauth/token'), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basicAuth(client.id, secret as string) },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: scopes, resource: adminAudience(scope) }).toString(),
  });
  if (res.status !== 200) throw new Error(`client_credentials failed: ${res.status} ${await res.text()}`);
  return { token: ((await res.json()) as { access_token: string }).access_token, clientId: client.id };
}

/**
 * A person's Admin API token at the default issuer: a user with `role` (none: no role) signs
 * in through the hosted pages with a first-party client that may ask for the API's audience.
 */
export async function personToken(ctx: TestContext, role: AdminRole | undefined): Promise<{ token: string; userId: string; email: string }> {
  const scope = ctx.scope;
  const email = `admin-${randomToken(4).toLowerCase()}@example.com`;
  const user = await scope.repos.users.create({ email, emailVerified: true, passwordHash: await hashPassword(TEST_PASSWORD), name: 'Grace Hopper' });
  if (role) await scope.repos.adminRoles.set(user.id, role);
  const { client, secret } = await scope.repos.clients.create({
    name: 'Console',
    redirectUris: [TEST_REDIRECT_URI],
    grantTypes: ['authorization_code', 'refresh_token'],
    scopes: ['openid', 'profile', 'email'],
    resources: [adminAudience(scope)],
    isPublic: false,
    firstParty: true,
  });
  const { tokens } = await signInForTokens(ctx, { id: client.id, secret }, email, { resource: adminAudience(scope) }, inProcessBrowser(ctx));
  return { token: tokens.access_token as string, userId: user.id, email };
}

/** One Admin API request at the default issuer with `token`; a body is sent as JSON. */
export function admin(
  ctx: TestContext,
  token: string | undefined,
  method: string,
  route: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  const all: Record<string, string> = { ...headers };
  if (token) all.authorization = `Bearer ${token}`;
  if (body !== undefined) all['content-type'] ??= 'application/json';
  return Promise.resolve(
    ctx.app.request(adminPath(ctx.scope, route), {
      method,
      headers: all,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );
}
