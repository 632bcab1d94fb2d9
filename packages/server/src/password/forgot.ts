import type { Context } from 'hono';
import { clientIp } from '../http/client-ip.js';
import { logSecurityEvent } from '../http/request-log.js';
import { readForm } from '../http/form.js';
import { sendPage } from '../http/respond.js';
import type { MailOutbox } from '../mail/outbox.js';
import { pageTranslator } from '../http/locale.js';
import { ForgotPasswordPage, ResetLinkSentPage } from '../pages/password.js';
import { type Text, say } from '../pages/translator.js';
import type { IssuerScope } from '../issuers/scope.js';
import { checkPasswordFormCsrf, passwordFormCsrf } from './csrf.js';
import { RESET_MAIL } from './reset-links.js';
import { rememberReturn, returnTarget } from './return-to.js';
import { RESET_WINDOW_MINUTES, resetRequestAllowed } from './throttle.js';

const MAX_EMAIL = 320;

function showForm(
  c: Context,
  scope: IssuerScope,
  returnTo: string | undefined,
  email?: string,
  failure?: { status: 400 | 429; error: Text },
): Promise<Response> {
  return sendPage(
    c,
    ForgotPasswordPage({ site: scope, t: pageTranslator(c), csrf: passwordFormCsrf(c, scope), email, error: failure?.error, returnTo }),
    failure?.status,
  );
}

/**
 * GET /password/forgot[?return=<sign-in>]: the form asking for the email. The query is read
 * leniently: anything in it but a well-formed sign-in id is ignored, never an error.
 */
export function showForgot(c: Context, scope: IssuerScope): Promise<Response> {
  return showForm(c, scope, returnTarget(new URL(c.req.url).searchParams.get('return') ?? undefined));
}

/**
 * POST /password/forgot. The answer is the same page whether the email has an account, a
 * disabled one or none, and whether the mail goes out: every request stores the same outbox
 * row before it is answered, and looking the account up, storing a token and the SMTP exchange
 * all run after, from the outbox, where a failure is retried or logged.
 */
export async function handleForgot(c: Context, scope: IssuerScope, outbox: MailOutbox): Promise<Response> {
  // Strict: a repeated field is a broken or forged form, not a choice between two emails.
  const form = await readForm(c);
  checkPasswordFormCsrf(c, scope, form.get('csrf'));
  const email = (form.get('email') ?? '').trim();
  const returnTo = returnTarget(form.get('return'));
  if (email === '' || email.length > MAX_EMAIL) return showForm(c, scope, returnTo, email.slice(0, MAX_EMAIL), { status: 400, error: say('forgot.missing') });
  if (!(await resetRequestAllowed(scope, email, clientIp(c, scope.services.config.trustProxy)))) {
    // No email in the line: whether it has an account is what this page never tells.
    logSecurityEvent(c, 'warn', 'password_reset_throttled');
    return showForm(c, scope, returnTo, email, { status: 429, error: say('forgot.throttled', { count: RESET_WINDOW_MINUTES }) });
  }
  // The mail is written in the language of this page.
  await outbox.enqueue(RESET_MAIL, email, scope.id, pageTranslator(c).locale);
  rememberReturn(c, scope, returnTo);
  return sendPage(c, ResetLinkSentPage({ site: scope, t: pageTranslator(c) }));
}
