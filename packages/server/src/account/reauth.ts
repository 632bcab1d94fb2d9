import type { Context } from 'hono';
import { PageError } from '../errors.js';
import { readPageForm } from '../http/form.js';
import { logSecurityEvent } from '../http/request-log.js';
import { currentSession } from '../http/session.js';
import { startAccountSignIn } from '../interactions/account-sign-in.js';
import { showLogin } from '../interactions/login.js';
import type { IssuerScope } from '../issuers/scope.js';
import { say } from '../pages/translator.js';
import { checkAccountCsrf } from './csrf.js';
import { accountReturnPath } from './paths.js';

/**
 * POST /account/reauth (fields `csrf` and `return`): a fresh sign-in before a sensitive change
 * (a factor, the email, closing the account). It starts an account sign-in that asks for the
 * password again whatever the session (as prompt=login does), prefilled with the signed-in
 * address, and comes back to `return` with a new session whose auth_time is now, which
 * signedInRecently accepts. `return` must be exactly one of ACCOUNT_RETURN_PATHS: anything
 * else (a URL, `//host`, a path with a query) is refused, so this is no open redirect.
 */
export async function handleReauth(c: Context, scope: IssuerScope): Promise<Response> {
  const form = await readPageForm(c);
  const active = await currentSession(c, scope);
  if (!active) throw new PageError(say('account.notSignedIn'), { status: 403 });
  checkAccountCsrf(scope, active.session, form.get('csrf'));
  const returnTo = accountReturnPath(form.get('return'));
  if (!returnTo) {
    logSecurityEvent(c, 'warn', 'reauth_return_refused', { user: active.user.id });
    throw new PageError(say('accountPages.reauth.badReturn'));
  }
  return showLogin(c, scope, await startAccountSignIn(c, scope, returnTo), active.user.email);
}
