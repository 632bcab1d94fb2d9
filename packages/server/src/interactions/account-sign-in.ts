import type { Context } from 'hono';
import { accountPageUrl } from '../account/notice.js';
import { PageError } from '../errors.js';
import { pageTranslator } from '../http/locale.js';
import { say } from '../pages/translator.js';
import { seeOther } from '../http/respond.js';
import { type Authentication, PASSWORD } from '../signin/assurance.js';
import type { IssuerScope } from '../issuers/scope.js';
import { ACCOUNT_SIGN_IN, type AccountSignIn } from './account-request.js';
import type { LoadedAccountSignIn } from './load.js';

/**
 * Starts the hosted sign-in for someone who opened the account page without a session: an
 * interaction like an authorization request's (bound to this browser by a cookie, with its CSRF
 * token), whose params are only the account marker.
 */
export async function startAccountSignIn(c: Context, scope: IssuerScope): Promise<LoadedAccountSignIn> {
  const ttl = scope.services.config.interactionTtl;
  // A language asked for in the URL stays with the sign-in, as an authorization request's does.
  const t = pageTranslator(c);
  const params: AccountSignIn = t.chosen ? { ...ACCOUNT_SIGN_IN, uiLocale: t.locale } : ACCOUNT_SIGN_IN;
  const { interaction, browserSecret } = await scope.repos.interactions.create<AccountSignIn>(params, 'login', ttl, null, null);
  scope.cookies.setInteraction(c, interaction.id, browserSecret, ttl);
  return { interaction, client: undefined };
}

/**
 * The end of an account sign-in whose password was right: a new session (ending the one the
 * browser had, as every login does, so a planted session id is worth nothing), then the account
 * page. No code, no consent, and no redirect anywhere but the fixed account path.
 */
export async function signInToAccount(
  c: Context,
  scope: IssuerScope,
  loaded: LoadedAccountSignIn,
  userId: string,
  auth: Authentication = PASSWORD,
): Promise<Response> {
  const previous = scope.cookies.getSession(c);
  const cookieValue = await scope.transaction(async (repos) => {
    // complete() succeeds once: a second submit of the same form starts no second session.
    if (!(await repos.interactions.complete(loaded.interaction.id))) {
      throw new PageError(say('interaction.accountAlreadyUsed'));
    }
    return (await repos.sessions.replace(previous, userId, scope.settings.sessionTtl, auth)).cookieValue;
  });
  scope.cookies.setSession(c, cookieValue, scope.settings.sessionTtl);
  scope.cookies.clearInteraction(c, loaded.interaction.id);
  scope.services.logger.log('info', 'login', { user: userId, account: true });
  return seeOther(c, pageTranslator(c).carry(accountPageUrl(scope.url)));
}
