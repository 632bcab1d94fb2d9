import type { Context } from 'hono';
import { ACCOUNT_HOME_PATH, type AccountReturnPath, accountReturnPath } from '../account/paths.js';
import { PageError } from '../errors.js';
import { pageTranslator } from '../http/locale.js';
import { say } from '../pages/translator.js';
import { seeOther } from '../http/respond.js';
import { sessionDevice } from '../http/session-device.js';
import type { IssuerScope } from '../issuers/scope.js';
import { ACCOUNT_SIGN_IN, type AccountSignIn } from './account-request.js';
import type { LoadedAccountSignIn } from './load.js';
import { secondFactorDue } from '../factors/need.js';
import { type Authentication, PASSWORD } from '../signin/assurance.js';
import type { WithSession } from './complete-login.js';

/**
 * Starts the hosted sign-in for someone who opened an account page without a session, or who
 * asked to prove who they are again (account/reauth.ts): an interaction like an authorization
 * request's (bound to this browser by a cookie, with its CSRF token), whose params are only the
 * account marker, a language and the fixed account page to come back to. The password is
 * always asked, whatever session the browser has: that is what makes it a fresh sign-in.
 */
export async function startAccountSignIn(c: Context, scope: IssuerScope, returnTo?: AccountReturnPath): Promise<LoadedAccountSignIn> {
  const ttl = scope.services.config.interactionTtl;
  // A language asked for in the URL stays with the sign-in, as an authorization request's does.
  const t = pageTranslator(c);
  const params: AccountSignIn = {
    ...ACCOUNT_SIGN_IN,
    ...(t.chosen ? { uiLocale: t.locale } : {}),
    ...(returnTo && returnTo !== ACCOUNT_HOME_PATH ? { returnTo } : {}),
  };
  const { interaction, browserSecret } = await scope.repos.interactions.create<AccountSignIn>(params, 'login', ttl, null, null);
  scope.cookies.setInteraction(c, interaction.id, browserSecret, ttl);
  return { interaction, client: undefined };
}

/**
 * The end of an account sign-in whose password was right: a new session (ending the one the
 * browser had, as every login does, so a planted session id is worth nothing; its auth_time is
 * now, which is what signedInRecently checks), then the account page it was started from. No
 * code, no consent, and no redirect anywhere but a fixed account path: the stored one is
 * checked against the list again, so even a tampered row leads nowhere else.
 */
export async function signInToAccount(
  c: Context,
  scope: IssuerScope,
  loaded: LoadedAccountSignIn,
  userId: string,
  auth: Authentication = PASSWORD,
  withSession?: WithSession,
): Promise<Response> {
  const previous = scope.cookies.getSession(c);
  const device = sessionDevice(c, scope);
  // The account pages ask the second factor as the issuer's and organizations' policies do: the
  // session is stored with one factor, and the interaction moves to the `mfa` step.
  if (await secondFactorDue(c, scope)({ userId, authTime: scope.services.clock(), acr: auth.acr })) {
    const pending = await scope.transaction(async (repos) => {
      const created = await repos.sessions.replace(previous, userId, scope.settings.sessionTtl, auth, device);
      await withSession?.(repos);
      await repos.interactions.advance(loaded.interaction.id, 'mfa', userId, created.session.id, 'mfa_required');
      return created.cookieValue;
    });
    scope.cookies.setSession(c, pending, scope.settings.sessionTtl);
    return seeOther(c, pageTranslator(c).carry(`${scope.url}/interaction/${loaded.interaction.id}`));
  }
  const cookieValue = await scope.transaction(async (repos) => {
    // complete() succeeds once: a second submit of the same form starts no second session.
    if (!(await repos.interactions.complete(loaded.interaction.id))) {
      throw new PageError(say('interaction.accountAlreadyUsed'));
    }
    const created = await repos.sessions.replace(previous, userId, scope.settings.sessionTtl, auth, device);
    await withSession?.(repos);
    return created.cookieValue;
  });
  scope.cookies.setSession(c, cookieValue, scope.settings.sessionTtl);
  scope.cookies.clearInteraction(c, loaded.interaction.id);
  scope.services.logger.log('info', 'login', { user: userId, account: true });
  const path = accountReturnPath(loaded.interaction.params.returnTo) ?? ACCOUNT_HOME_PATH;
  return seeOther(c, pageTranslator(c).carry(`${scope.url}${path}`));
}
