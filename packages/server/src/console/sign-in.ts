import type { Context } from 'hono';
import { adminAudience } from '../admin/audience.js';
import { clientIp } from '../http/client-ip.js';
import { parseParams, rawQuery } from '../http/form.js';
import { sendPage, seeOther } from '../http/respond.js';
import { issuerScope } from '../http/scope.js';
import type { IssuerScope } from '../issuers/scope.js';
import { randomToken, sha256 } from '../tokens/random.js';
import { type AppFetch, forwardedEnv } from './api.js';
import { consoleClientId, consoleRedirectUri, ensureConsoleClient } from './client.js';
import { consoleTextOf } from './guard.js';
import { SignInProblemPage, SignedOutPage } from './pages/sign-in.js';
import { CONSOLE_PATHS, safeReturnTo } from './paths.js';
import {
  CONSOLE_SESSION_SECONDS,
  clearConsoleSession,
  readConsoleSession,
  startConsoleFlow,
  takeConsoleFlow,
  validConsoleCsrf,
  writeConsoleSession,
} from './session.js';
import { exchangeCode, revokeRefreshToken, verifiedSubject } from './tokens.js';
import { readPageForm } from '../http/form.js';

/**
 * GET /admin/signin: the console signs its operator in through this issuer's own authorization
 * endpoint, as any app would (code flow, PKCE S256, state, nonce), with prompt=login: an admin
 * session always starts from a password entered for it, not from the end-user session the
 * browser may already have. `?signed_out` shows a page instead of starting at once.
 */
export async function startSignIn(c: Context): Promise<Response> {
  c.header('Cache-Control', 'no-store');
  const scope = issuerScope(c);
  const query = parseParams(rawQuery(c));
  if (query.has('signed_out') || query.has('ready')) return sendPage(c, SignedOutPage({ frame: { scope, t: consoleTextOf(c) }, ready: query.has('ready') }));
  await ensureConsoleClient(scope);
  const flow = await startConsoleFlow(c, scope, safeReturnTo(query.get('return_to')));
  const authorize = new URL(scope.href('/oauth/authorize'));
  authorize.search = new URLSearchParams({
    response_type: 'code',
    client_id: consoleClientId(scope),
    redirect_uri: consoleRedirectUri(scope),
    scope: 'openid profile email',
    resource: adminAudience(scope),
    state: flow.state,
    nonce: flow.nonce,
    code_challenge: sha256(flow.verifier),
    code_challenge_method: 'S256',
    prompt: 'login',
  }).toString();
  const locale = query.get('ui_locales');
  if (locale) authorize.searchParams.set('ui_locales', locale.slice(0, 50));
  return seeOther(c, authorize.href);
}

function problem(c: Context, scope: IssuerScope, reason: 'flow' | 'denied' | 'notAdmin', status: number): Promise<Response> {
  return sendPage(c, SignInProblemPage({ frame: { scope, t: consoleTextOf(c) }, reason }), status as 400);
}

/**
 * GET /admin/callback: the authorization response. It must answer the state this browser
 * started with and name this issuer (RFC 9207); the code is exchanged with the verifier, the ID
 * token verified, and only someone with an admin role here gets a console session.
 */
export function finishSignIn(fetch: AppFetch): (c: Context) => Promise<Response> {
  return async (c) => {
    c.header('Cache-Control', 'no-store');
    const scope = issuerScope(c);
    const query = new URLSearchParams(rawQuery(c));
    const flow = await takeConsoleFlow(c, scope);
    const state = query.get('state');
    if (!flow || !state || state !== flow.state || query.get('iss') !== scope.url) return problem(c, scope, 'flow', 400);
    if (query.get('error')) return problem(c, scope, 'denied', 400);
    const code = query.get('code');
    const env = forwardedEnv(c.env);
    const tokens = code ? await exchangeCode(fetch, scope, code, flow.verifier, env) : undefined;
    const subject = tokens?.id_token ? await verifiedSubject(scope, tokens.id_token, flow.nonce) : undefined;
    if (!tokens || !subject) return problem(c, scope, 'flow', 400);
    const [user, role] = await Promise.all([scope.repos.users.findById(subject.sub), scope.repos.adminRoles.find(subject.sub)]);
    const address = clientIp(c, scope.services.config.trustProxy);
    if (!user || !role) {
      if (tokens.refresh_token) await revokeRefreshToken(fetch, scope, tokens.refresh_token, env);
      return problem(c, scope, 'notAdmin', 403);
    }
    const now = scope.services.clock();
    await writeConsoleSession(c, scope, {
      sub: user.id,
      email: user.email,
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token,
      accessExpiresAt: now + tokens.expires_in,
      sid: randomToken(16),
      expiresAt: now + CONSOLE_SESSION_SECONDS,
    });
    await scope.repos.events.record({ type: 'admin.signed_in', actor: `user:${user.id}`, userId: user.id, address, payload: { role } });
    return seeOther(c, scope.path(flow.returnTo));
  };
}

/**
 * POST /admin/signout: revokes the console's grant (its tokens stop working everywhere at once)
 * and forgets the session. The end-user session of the same browser is left as it was.
 */
export function signOut(fetch: AppFetch): (c: Context) => Promise<Response> {
  return async (c) => {
    c.header('Cache-Control', 'no-store');
    const scope = issuerScope(c);
    const session = await readConsoleSession(c, scope);
    const form = await readPageForm(c);
    if (session && validConsoleCsrf(scope, session, form.get('csrf') ?? undefined)) {
      if (session.refreshToken) await revokeRefreshToken(fetch, scope, session.refreshToken, forwardedEnv(c.env));
      await scope.repos.events.record({
        type: 'admin.signed_out',
        actor: `user:${session.sub}`,
        userId: session.sub,
        address: clientIp(c, scope.services.config.trustProxy),
        payload: {},
      });
      clearConsoleSession(c, scope);
    } else if (session) {
      // A cross-site post must not sign anyone out: back to the console as it was.
      return seeOther(c, scope.path(CONSOLE_PATHS.overview));
    }
    return seeOther(c, `${scope.path(CONSOLE_PATHS.signIn)}?signed_out=1`);
  };
}
