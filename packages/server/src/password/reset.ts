import type { Context } from 'hono';
import { parseParams, rawQuery, readForm } from '../http/form.js';
import { sendPage } from '../http/respond.js';
import { passwordChangedPage, resetLinkInvalidPage, resetPasswordPage } from '../pages/password.js';
import type { Services } from '../services.js';
import { changePasswordWithToken } from './change.js';
import { checkPasswordFormCsrf, passwordFormCsrf } from './csrf.js';
import { continueSignIn } from './return-to.js';
import { newPasswordProblem } from './rules.js';

// Tokens are 256-bit base64url (randomToken(32)); anything else is no token, not a lookup.
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

function invalidLink(c: Context, services: Services): Promise<Response> {
  return sendPage(c, resetLinkInvalidPage(services.config), 400);
}

/** The user a token would reset, if it is well formed, live and the account may sign in. */
async function liveTokenOwner(services: Services, token: string): Promise<string | undefined> {
  if (!TOKEN.test(token)) return undefined;
  const userId = await services.repos.passwordResets.findUserId(token);
  if (userId === undefined) return undefined;
  const user = await services.repos.users.findById(userId);
  return user && !user.disabled ? user.id : undefined;
}

/** GET /password/reset?token=…: the new-password form, or a page saying the link is spent. */
export async function showReset(c: Context, services: Services): Promise<Response> {
  const token = parseParams(rawQuery(c)).get('token') ?? '';
  if ((await liveTokenOwner(services, token)) === undefined) return invalidLink(c, services);
  return sendPage(c, resetPasswordPage(services.config, { csrf: passwordFormCsrf(c, services), token }));
}

/**
 * POST /password/reset: a new password that is refused leaves the token as it was, so the form
 * can be filled in again; an accepted one spends it (change.ts).
 */
export async function handleReset(c: Context, services: Services): Promise<Response> {
  const form = await readForm(c);
  checkPasswordFormCsrf(c, services, form.get('csrf'));
  const token = form.get('token') ?? '';
  // Checked before argon2 runs, so made-up tokens cost a lookup, not a hash.
  if ((await liveTokenOwner(services, token)) === undefined) return invalidLink(c, services);
  const problem = newPasswordProblem(form.get('password') ?? '', form.get('confirm') ?? '');
  if (problem) return sendPage(c, resetPasswordPage(services.config, { csrf: passwordFormCsrf(c, services), token, error: problem }), 400);
  if (!(await changePasswordWithToken(services, token, form.get('password') ?? ''))) return invalidLink(c, services);
  return sendPage(c, passwordChangedPage(services.config, await continueSignIn(c, services)));
}
