import type { Context } from 'hono';
import { DEFAULT_ISSUER_ID } from '../issuers/ids.js';
import type { IssuerScope } from '../issuers/scope.js';
import { readPageForm } from '../http/form.js';
import { pageTranslator } from '../http/locale.js';
import { seeOther } from '../http/respond.js';
import type { IssuerBindings } from '../http/scope.js';
import { issuerScope } from '../http/scope.js';
import { PageError } from '../errors.js';
import { say } from '../pages/translator.js';
import { type AppFetch, type ConsoleApi, consoleApi, forwardedEnv } from './api.js';
import type { Frame } from './layout.js';
import { CONSOLE_PATHS } from './paths.js';
import { type ConsoleSession, clearConsoleSession, consoleCsrf, readConsoleSession, validConsoleCsrf, writeConsoleSession } from './session.js';
import { type ConsoleText, consoleText } from './text/translate.js';
import { refreshTokens } from './tokens.js';

/** Everything a console page handler works with. */
export interface ConsoleCall {
  c: Context;
  scope: IssuerScope;
  session: ConsoleSession;
  t: ConsoleText;
  api: ConsoleApi;
  frame: Frame;
  /** The posted form (POST only; its CSRF token already checked). */
  form: URLSearchParams;
  /** `route` of this issuer as a path on its host, for links and redirects. */
  path(route: string): string;
  redirect(route: string): Response;
  /** An Admin API read whose failure ends the page (sign-in again, not allowed, not found). */
  read<T>(route: string): Promise<T>;
}

/** An Admin API answer a page cannot go on without; consolePage turns it into a response. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly detail: string | undefined,
  ) {
    super(`Admin API answered ${status}`);
  }
}

/** Ends the page as the API's refusal says (sign in again, not allowed, not found, an error page). */
export function apiFailed(result: { status: number; problem: { detail?: string } }): never {
  throw new ApiFailure(result.status, result.problem.detail);
}

/** Refresh a little before the access token expires, so a page's API calls all find it live. */
const REFRESH_AHEAD = 30;

export function consoleTextOf(c: Context): ConsoleText {
  return consoleText(pageTranslator(c).locale);
}

function routeWithQuery(c: Context): string {
  const route = (c.env as IssuerBindings).route;
  const url = c.req.url;
  const q = url.indexOf('?');
  return q === -1 ? route : `${route}${url.slice(q)}`;
}

/**
 * A console page: the operator's console session or a sign-in (back to this page after), a
 * fresh access token (refreshed through the token endpoint when it is near its end), and on a
 * POST the form's CSRF token. A session whose grant ended (signed out elsewhere, revoked by
 * another admin, the role taken away) is sent to sign in again.
 */
export function consolePage(fetch: AppFetch, handle: (call: ConsoleCall) => Promise<Response>): (c: Context) => Promise<Response> {
  return async (c) => {
    c.header('Cache-Control', 'no-store');
    const scope = issuerScope(c);
    const t = consoleTextOf(c);
    const toSignIn = (): Response => {
      clearConsoleSession(c, scope);
      const back = c.req.method === 'GET' ? routeWithQuery(c) : CONSOLE_PATHS.overview;
      return seeOther(c, `${scope.path(CONSOLE_PATHS.signIn)}?return_to=${encodeURIComponent(back)}`);
    };
    let session = await readConsoleSession(c, scope);
    if (!session) return toSignIn();
    const env = forwardedEnv(c.env);
    if (session.accessExpiresAt - REFRESH_AHEAD <= scope.services.clock()) {
      const refreshed = session.refreshToken ? await refreshTokens(fetch, scope, session.refreshToken, env) : undefined;
      if (!refreshed) return toSignIn();
      session = {
        ...session,
        accessToken: refreshed.access_token,
        refreshToken: refreshed.refresh_token ?? session.refreshToken,
        accessExpiresAt: scope.services.clock() + refreshed.expires_in,
      };
      await writeConsoleSession(c, scope, session);
    }
    const role = await scope.repos.adminRoles.find(session.sub);
    if (!role) return toSignIn();
    let form = new URLSearchParams();
    if (c.req.method === 'POST') {
      form = await readPageForm(c);
      if (!validConsoleCsrf(scope, session, form.get('csrf') ?? undefined)) throw new PageError(say('form.unverified'), { status: 403 });
    }
    const frame: Frame = {
      scope,
      t,
      operator: { email: session.email, role, system: role === 'owner' && scope.id === DEFAULT_ISSUER_ID, csrf: consoleCsrf(scope, session) },
      current: (c.env as IssuerBindings).route,
    };
    const api = consoleApi(fetch, scope, session.accessToken, env);
    const call: ConsoleCall = {
      c,
      scope,
      session,
      t,
      api,
      frame,
      form,
      path: (route) => scope.path(route),
      redirect: (route) => seeOther(c, scope.path(route)),
      read: async <T>(route: string): Promise<T> => {
        const result = await api.get<T>(route);
        if (!result.ok) throw new ApiFailure(result.status, result.problem.detail);
        return result.body;
      },
    };
    try {
      return await handle(call);
    } catch (error) {
      if (!(error instanceof ApiFailure)) throw error;
      if (error.status === 401) return toSignIn();
      if (error.status === 404) throw new PageError(say('error.notFound'), { status: 404 });
      if (error.status === 403) throw new PageError(say('console.forbidden'), { status: 403 });
      // A read the page's own query made (a garbled cursor or filter): the request, not the API, is wrong.
      if (error.status === 400 || error.status === 409 || error.status === 412 || error.status === 422)
        throw new PageError(say('error.badRequest'), { status: error.status === 400 || error.status === 422 ? 400 : 409 });
      throw new PageError(say('error.unexpected'), { status: 502 });
    }
  };
}
