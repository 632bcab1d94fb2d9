import type { Context } from 'hono';
import { parseParams, rawQuery, readForm } from '../http/form.js';
import { sendPage } from '../http/respond.js';
import { pageTranslator } from '../http/locale.js';
import { PasswordChangedPage, ResetLinkInvalidPage, ResetPasswordPage } from '../pages/password.js';
import type { IssuerScope } from '../issuers/scope.js';
import { changePasswordWithToken } from './change.js';
import { checkPasswordFormCsrf, passwordFormCsrf } from './csrf.js';
import { continueSignIn } from './return-to.js';
import { newPasswordProblem } from './rules.js';
import { checkNewPassword } from '../abuse/breached.js';
import { clientIp } from '../http/client-ip.js';

// Tokens are 256-bit base64url (randomToken(32)); anything else is no token, not a lookup.
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

function invalidLink(c: Context, scope: IssuerScope): Promise<Response> {
  return sendPage(c, ResetLinkInvalidPage({ site: scope, t: pageTranslator(c) }), 400);
}

/** The user a token would reset, if it is well formed, live and the account may sign in. */
async function liveTokenOwner(scope: IssuerScope, token: string): Promise<string | undefined> {
  if (!TOKEN.test(token)) return undefined;
  const userId = await scope.repos.passwordResets.findUserId(token);
  if (userId === undefined) return undefined;
  const user = await scope.repos.users.findById(userId);
  return user && !user.disabled ? user.id : undefined;
}

/** GET /password/reset?token=…: the new-password form, or a page saying the link is spent. */
export async function showReset(c: Context, scope: IssuerScope): Promise<Response> {
  const token = parseParams(rawQuery(c)).get('token') ?? '';
  if ((await liveTokenOwner(scope, token)) === undefined) return invalidLink(c, scope);
  return sendPage(c, ResetPasswordPage({ site: scope, t: pageTranslator(c), csrf: passwordFormCsrf(c, scope), token }));
}

/**
 * POST /password/reset: a new password that is refused leaves the token as it was, so the form
 * can be filled in again; an accepted one spends it (change.ts).
 */
export async function handleReset(c: Context, scope: IssuerScope): Promise<Response> {
  const form = await readForm(c);
  checkPasswordFormCsrf(c, scope, form.get('csrf'));
  const token = form.get('token') ?? '';
  // Checked before argon2 runs, so made-up tokens cost a lookup, not a hash.
  const owner = await liveTokenOwner(scope, token);
  if (owner === undefined) return invalidLink(c, scope);
  const problem =
    newPasswordProblem(form.get('password') ?? '', form.get('confirm') ?? '') ??
    (await checkNewPassword(scope, form.get('password') ?? '', { place: 'reset', userId: owner, address: clientIp(c, scope.services.config.trustProxy) }));
  if (problem) return sendPage(c, ResetPasswordPage({ site: scope, t: pageTranslator(c), csrf: passwordFormCsrf(c, scope), token, error: problem }), 400);
  if (!(await changePasswordWithToken(scope, token, form.get('password') ?? ''))) return invalidLink(c, scope);
  return sendPage(c, PasswordChangedPage({ site: scope, t: pageTranslator(c), next: await continueSignIn(c, scope) }));
}
