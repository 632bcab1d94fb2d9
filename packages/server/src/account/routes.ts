import type { Context, Hono } from 'hono';
import { parseParams, rawQuery } from '../http/form.js';
import { allowOnly } from '../http/methods.js';
import { sendPage } from '../http/respond.js';
import type { ActiveSession } from '../http/session.js';
import { accountSession } from '../factors/account-session.js';
import { startAccountSignIn } from '../interactions/account-sign-in.js';
import { showLogin } from '../interactions/login.js';
import { pageTranslator } from '../http/locale.js';
import { AccountAppsPage } from '../pages/account-apps.js';
import type { IssuerScope } from '../issuers/scope.js';
import { issuerScope } from '../http/scope.js';
import { showActivity } from './activity.js';
import { appsWithAccess } from './apps.js';
import { handleChangePassword, showChangePassword } from './change-password.js';
import { handleClose, showClose } from './close.js';
import { accountCsrfToken } from './csrf.js';
import { noticeText } from './notice.js';
import {
  ACCOUNT_ACTIVITY_PATH,
  ACCOUNT_APPS_PATH,
  ACCOUNT_HOME_PATH,
  ACCOUNT_SECURITY_PATH,
  ACCOUNT_SESSIONS_PATH,
  type AccountReturnPath,
  CHANGE_PASSWORD_PATH,
  CLOSE_ACCOUNT_PATH,
  END_OTHER_SESSIONS_PATH,
  END_SESSION_PATH,
  REAUTH_PATH,
  REMOVE_ACCESS_PATH,
  REMOVE_SCOPE_PATH,
} from './paths.js';
import { handleProfile, showAccountHome } from './profile.js';
import { handleReauth } from './reauth.js';
import { handleRemoveAccess } from './remove-access.js';
import { handleRemoveScope } from './remove-scope.js';
import { showSecurity } from './security.js';
import { handleEndOtherSessions, handleEndSession, showSessions } from './sessions.js';
import { registerPasskeyAccount } from '../passkeys/account-routes.js';
import { registerWallets } from '../wallets/routes.js';

async function showApps(c: Context, scope: IssuerScope, active: ActiveSession): Promise<Response> {
  const notice = noticeText(parseParams(rawQuery(c)).get('notice'));
  return sendPage(
    c,
    AccountAppsPage({
      site: scope,
      t: pageTranslator(c),
      userEmail: active.user.email,
      csrf: accountCsrfToken(scope, active.session),
      apps: await appsWithAccess(scope, active.user.id),
      notice,
      apis: scope.registries.apis,
    }),
  );
}

type Show = (c: Context, scope: IssuerScope, active: ActiveSession) => Promise<Response>;

/**
 * The end user's own pages: the profile (the account home), security (password and the
 * factors' sections), sessions and devices, recent activity, apps with access, and closing the
 * account. Without a session a page is the hosted sign-in (an account interaction), which
 * comes back to that page: the route's own constant path, never one from the request.
 */
export function registerAccount(app: Hono): void {
  // A page for the signed-in person; anyone else gets the account sign-in, back to `path`.
  const signedIn =
    (path: AccountReturnPath, show: Show) =>
    async (c: Context): Promise<Response> => {
      c.header('Cache-Control', 'no-store');
      const scope = issuerScope(c);
      const active = await accountSession(c, scope);
      if (active) return show(c, scope, active);
      return showLogin(c, scope, await startAccountSignIn(c, scope, path), undefined);
    };
  const form =
    (handle: (c: Context, scope: IssuerScope) => Promise<Response>) =>
    (c: Context): Promise<Response> => {
      c.header('Cache-Control', 'no-store');
      return handle(c, issuerScope(c));
    };

  const pages: readonly [AccountReturnPath, Show][] = [
    [ACCOUNT_HOME_PATH, showAccountHome],
    [ACCOUNT_SECURITY_PATH, showSecurity],
    [ACCOUNT_SESSIONS_PATH, showSessions],
    [ACCOUNT_ACTIVITY_PATH, showActivity],
    [ACCOUNT_APPS_PATH, showApps],
    [CHANGE_PASSWORD_PATH, (c, scope, active) => showChangePassword(c, scope, active)],
    [CLOSE_ACCOUNT_PATH, (c, scope, active) => showClose(c, scope, active)],
  ];
  for (const [path, show] of pages) app.get(path, signedIn(path, show));

  const posts: readonly [string, (c: Context, scope: IssuerScope) => Promise<Response>][] = [
    [ACCOUNT_HOME_PATH, handleProfile],
    [REMOVE_ACCESS_PATH, handleRemoveAccess],
    [REMOVE_SCOPE_PATH, handleRemoveScope],
    [CHANGE_PASSWORD_PATH, handleChangePassword],
    [END_SESSION_PATH, handleEndSession],
    [END_OTHER_SESSIONS_PATH, handleEndOtherSessions],
    [REAUTH_PATH, handleReauth],
    [CLOSE_ACCOUNT_PATH, handleClose],
  ];
  for (const [path, handle] of posts) app.post(path, form(handle));
  registerPasskeyAccount(app);
  registerWallets(app);

  for (const [path] of pages) allowOnly(app, path, posts.some(([p]) => p === path) ? ['GET', 'POST'] : ['GET']);
  for (const [path] of posts) if (!pages.some(([p]) => p === path)) allowOnly(app, path, ['POST']);
}
