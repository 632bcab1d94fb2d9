import type { Context } from 'hono';
import { hashPassword, verifyPassword } from '../auth/password.js';
import { LoginThrottle } from '../auth/throttle.js';
import { logSecurityEvent } from '../http/request-log.js';
import { PageError } from '../errors.js';
import { pageTranslator } from '../http/locale.js';
import { type Text, say } from '../pages/translator.js';
import { clientIp } from '../http/client-ip.js';
import { readPageForm } from '../http/form.js';
import { seeOther, sendPage } from '../http/respond.js';
import type { ActiveSession } from '../http/session.js';
import { accountSession } from '../factors/account-session.js';
import { ChangePasswordPage } from '../pages/account-password.js';
import { newPasswordProblem } from '../password/rules.js';
import { checkNewPassword } from '../abuse/breached.js';
import type { IssuerScope } from '../issuers/scope.js';
import { accountCsrfToken, checkAccountCsrf } from './csrf.js';
import { accountPageUrl } from './notice.js';
import { endUserSessions } from '../services/sessions.js';

/** GET /account/password for a signed-in person (routes.ts sends anyone else to sign in). */
export function showChangePassword(c: Context, scope: IssuerScope, active: ActiveSession, error?: Text, status?: 400 | 429): Promise<Response> {
  return sendPage(
    c,
    ChangePasswordPage({ site: scope, t: pageTranslator(c), userEmail: active.user.email, csrf: accountCsrfToken(scope, active.session), error }),
    status,
  );
}

/**
 * POST /account/password: the current password, then the new one twice. The current password
 * is checked against the sign-in's failure counters, so a browser left signed in cannot be used
 * to guess it faster than the sign-in form allows. The new hash is stored and every other
 * session of the account ended in one transaction; this browser stays signed in, and apps keep
 * their grants (`gatehouse user set-password --revoke-grants` cuts them off).
 */
export async function handleChangePassword(c: Context, scope: IssuerScope): Promise<Response> {
  const form = await readPageForm(c);
  const active = await accountSession(c, scope);
  if (!active) throw new PageError(say('account.notSignedIn'), { status: 403 });
  checkAccountCsrf(scope, active.session, form.get('csrf'));
  const { user, session } = active;

  const throttle = new LoginThrottle(scope);
  const ip = clientIp(c, scope.services.config.trustProxy);
  const attempt = await throttle.reserve(user.email, ip);
  if (attempt.refused) {
    logSecurityEvent(c, 'warn', 'change_password_throttled', { user: user.id, reason: attempt.refused });
    const minutes = Math.ceil(scope.settings.login.windowSeconds / 60);
    return showChangePassword(c, scope, active, say('changePassword.throttled', { count: minutes }), 429);
  }
  if (!(await verifyPassword(user.passwordHash, form.get('current') ?? ''))) {
    logSecurityEvent(c, 'warn', 'change_password_failed', { user: user.id, reason: 'wrong_password' });
    return showChangePassword(c, scope, active, say('changePassword.wrongCurrent'), 400);
  }
  await attempt.succeeded(user.id);
  const problem = newPasswordProblem(form.get('password') ?? '', form.get('confirm') ?? '');
  if (problem) return showChangePassword(c, scope, active, problem, 400);
  const breached = await checkNewPassword(scope, form.get('password') ?? '', { place: 'change', userId: user.id, address: ip });
  if (breached) return showChangePassword(c, scope, active, breached, 400);

  // Hashed before the transaction, which would otherwise hold its locks through argon2's work.
  const passwordHash = await hashPassword(form.get('password') ?? '');
  await scope.transaction(async (repos) => {
    await repos.users.setPasswordHash(user.id, passwordHash);
    await endUserSessions(repos, user.id, 'password_changed', session.id);
  });
  scope.services.backchannel.wake();
  scope.services.logger.log('info', 'password_changed', { user: user.id });
  return seeOther(c, pageTranslator(c).carry(accountPageUrl(scope.url, 'password')));
}
