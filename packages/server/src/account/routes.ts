import type { Context, Hono } from 'hono';
import { parseParams, rawQuery } from '../http/form.js';
import { allowOnly } from '../http/methods.js';
import { sendPage } from '../http/respond.js';
import { type ActiveSession, currentSession } from '../http/session.js';
import { startAccountSignIn } from '../interactions/account-sign-in.js';
import { showLogin } from '../interactions/login.js';
import { pageTranslator } from '../http/locale.js';
import { AccountAppsPage } from '../pages/account-apps.js';
import type { IssuerScope } from '../issuers/scope.js';
import { issuerScope } from '../http/scope.js';
import { appsWithAccess } from './apps.js';
import { handleChangePassword, showChangePassword } from './change-password.js';
import { accountCsrfToken } from './csrf.js';
import { noticeText } from './notice.js';
import { ACCOUNT_APPS_PATH, CHANGE_PASSWORD_PATH, REMOVE_ACCESS_PATH } from './paths.js';
import { handleRemoveAccess } from './remove-access.js';
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
    }),
  );
}

/**
 * The end user's own pages: which apps can use the account, taking that away, and changing the
 * password. Without a session a page is the hosted sign-in (an account interaction), which
 * comes back to the apps page.
 */
export function registerAccount(app: Hono): void {
  // A page for the signed-in person; anyone else gets the account sign-in.
  const signedIn =
    (show: (c: Context, active: ActiveSession) => Promise<Response>) =>
    async (c: Context): Promise<Response> => {
      c.header('Cache-Control', 'no-store');
      const active = await currentSession(c, issuerScope(c));
      if (active) return show(c, active);
      return showLogin(c, issuerScope(c), await startAccountSignIn(c, issuerScope(c)), undefined);
    };
  const form =
    (handle: (c: Context, scope: IssuerScope) => Promise<Response>) =>
    (c: Context): Promise<Response> => {
      c.header('Cache-Control', 'no-store');
      return handle(c, issuerScope(c));
    };

  app.get(
    ACCOUNT_APPS_PATH,
    signedIn((c, active) => showApps(c, issuerScope(c), active)),
  );
  app.post(REMOVE_ACCESS_PATH, form(handleRemoveAccess));
  app.get(
    CHANGE_PASSWORD_PATH,
    signedIn((c, active) => showChangePassword(c, issuerScope(c), active)),
  );
  app.post(CHANGE_PASSWORD_PATH, form(handleChangePassword));

  registerWallets(app);

  allowOnly(app, ACCOUNT_APPS_PATH, ['GET']);
  allowOnly(app, REMOVE_ACCESS_PATH, ['POST']);
  allowOnly(app, CHANGE_PASSWORD_PATH, ['GET', 'POST']);
}
