import type { Context } from 'hono';
import { signedInRecently } from '../account/recent.js';
import { accountCsrfToken, checkAccountCsrf } from '../account/csrf.js';
import { ACCOUNT_APPS_PATH } from '../account/paths.js';
import { PageError } from '../errors.js';
import { clientIp } from '../http/client-ip.js';
import { parseParams, rawQuery, readPageForm } from '../http/form.js';
import { pageTranslator } from '../http/locale.js';
import { logSecurityEvent } from '../http/request-log.js';
import { sendPage } from '../http/respond.js';
import { type ActiveSession, currentSession } from '../http/session.js';
import { startAccountSignIn } from '../interactions/account-sign-in.js';
import { showLogin } from '../interactions/login.js';
import type { IssuerScope } from '../issuers/scope.js';
import { EmailChangePage, EmailChangedPage } from '../pages/account-email.js';
import { CheckEmailPage, ConfirmLinkPage, SignUpMessagePage } from '../pages/signup.js';
import { type Text, say } from '../pages/translator.js';
import type { EmailVerification } from '../store/repos/email-verifications.js';
import { DuplicateEmailError, normalizeEmail } from '../store/repos/users.js';
import { codeMatches, isLinkToken, linkFormCsrf, linkFormCsrfMatches, linkTokenHash, typedCode } from './codes.js';
import { emailChangeAllowed } from './gate.js';
import { EMAIL_CHANGED_MAIL, EMAIL_CHANGE_MAIL } from './mails.js';
import { EMAIL_CHANGE_CODE_PATH, EMAIL_CHANGE_PATH, EMAIL_CHANGE_VERIFY_PATH, VERIFICATION_TTL } from './paths.js';

const MAX_EMAIL = 320;

function showForm(
  c: Context,
  scope: IssuerScope,
  active: ActiveSession,
  values: { email?: string } = {},
  failure?: { status: 400 | 403 | 429; error: Text },
): Promise<Response> {
  return sendPage(
    c,
    EmailChangePage({
      site: scope,
      t: pageTranslator(c),
      userEmail: active.user.email,
      csrf: accountCsrfToken(scope, active.session),
      recent: signedInRecently(scope, active.session),
      email: values.email,
      error: failure?.error,
    }),
    failure?.status,
  );
}

function checkPage(c: Context, scope: IssuerScope, active: ActiveSession, email: string, error?: Text, status?: 400 | 429): Promise<Response> {
  return sendPage(
    c,
    CheckEmailPage({
      site: scope,
      t: pageTranslator(c),
      action: EMAIL_CHANGE_CODE_PATH,
      intro: say('signup.email.check', { email }),
      csrf: accountCsrfToken(scope, active.session),
      againHref: EMAIL_CHANGE_PATH,
      error,
    }),
    status,
  );
}

/** The signed-in person, or a 403 page for a post without a session (a GET shows the sign-in instead). */
async function signedIn(c: Context, scope: IssuerScope): Promise<ActiveSession> {
  const active = await currentSession(c, scope);
  if (!active) throw new PageError(say('account.notSignedIn'), { status: 403 });
  return active;
}

/**
 * GET /account/email: the form for a new address. Without a session, or with `?reauth=1` (the
 * page's "sign in again" when the sign-in is older than five minutes), the account sign-in.
 */
export async function showEmailChange(c: Context, scope: IssuerScope): Promise<Response> {
  const active = await currentSession(c, scope);
  const reauth = parseParams(rawQuery(c)).get('reauth') === '1';
  if (!active || reauth) return showLogin(c, scope, await startAccountSignIn(c, scope), active?.user.email);
  return showForm(c, scope, active);
}

/**
 * POST /account/email: needs a sign-in within five minutes (account/recent.ts). Mails a code
 * and a link to the new address; the address changes only when one of them comes back. As for
 * a sign-up, the answer and the work are the same whether or not the new address already has
 * an account (its owner gets a warning instead of a code, signup/mails.ts).
 */
export async function handleEmailChange(c: Context, scope: IssuerScope): Promise<Response> {
  const form = await readPageForm(c);
  const active = await signedIn(c, scope);
  checkAccountCsrf(scope, active.session, form.get('csrf'));
  const outbox = scope.services.outbox;
  if (!outbox) throw new PageError(say('error.unexpected'), { status: 500 });
  if (!signedInRecently(scope, active.session)) return showForm(c, scope, active, {}, { status: 403, error: say('signup.email.recent') });
  const email = (form.get('email') ?? '').trim().slice(0, MAX_EMAIL + 1);
  const parts = email.split('@');
  if (email.length > MAX_EMAIL || parts.length !== 2 || !parts[0] || !parts[1] || /[\s\p{Cc}]/u.test(email)) {
    return showForm(c, scope, active, { email: email.slice(0, MAX_EMAIL) }, { status: 400, error: say('signup.badEmail') });
  }
  if (normalizeEmail(email) === active.user.email) return showForm(c, scope, active, { email }, { status: 400, error: say('signup.email.same') });
  if (!(await emailChangeAllowed(scope, active.user.id))) {
    logSecurityEvent(c, 'warn', 'email_change_throttled', { user: active.user.id });
    return showForm(c, scope, active, { email }, { status: 429, error: say('signup.email.throttled') });
  }
  const t = pageTranslator(c);
  const id = await scope.repos.emailVerifications.create(
    { purpose: 'email_change', email: normalizeEmail(email), userId: active.user.id, locale: t.locale },
    VERIFICATION_TTL,
  );
  await outbox.enqueue(EMAIL_CHANGE_MAIL, email, scope.id, t.locale, { verification: id });
  return checkPage(c, scope, active, email);
}

/**
 * Makes the proven address the user's, in one transaction with its events; the other pending
 * changes of the user die, and so do reset and invitation links mailed to the old address
 * (store/repos/users.ts update). Then the old address is told. Undefined when the user is gone
 * or disabled, or the address got an account meanwhile.
 */
async function changeEmail(c: Context, scope: IssuerScope, v: EmailVerification, method: 'code' | 'link'): Promise<Response> {
  const user = v.userId ? await scope.repos.users.findById(v.userId) : undefined;
  const t = pageTranslator(c);
  if (!user || user.disabled) return linkInvalid(c, scope);
  const address = clientIp(c, scope.services.config.trustProxy);
  const who = { userId: user.id, actor: `user:${user.id}`, address };
  try {
    await scope.transaction(async (repos) => {
      if (!(await repos.users.update(user.id, { email: v.email, emailVerified: true }))) throw new PageError(say('signup.linkInvalid'));
      await repos.emailVerifications.spendPending({ userId: user.id, purpose: 'email_change' });
      await repos.events.record({ type: 'user.email_verified', payload: { purpose: 'email_change', method }, ...who });
      await repos.events.record({ type: 'user.email_changed', payload: {}, ...who });
    });
  } catch (error) {
    if (!(error instanceof DuplicateEmailError)) throw error;
    return sendPage(c, SignUpMessagePage({ site: scope, t, title: say('signup.email.title'), message: say('signup.taken') }), 409);
  }
  // The notice goes to the address the account had until now, in the language of the change.
  await scope.services.outbox?.enqueue(EMAIL_CHANGED_MAIL, user.email, scope.id, v.locale, { new_email: v.email });
  scope.services.logger.log('info', 'email_changed', { user: user.id, method });
  return sendPage(c, EmailChangedPage({ site: scope, t, email: v.email }));
}

/** POST /account/email/code: the code of the user's newest change of address, five tries per mailed code. */
export async function handleEmailChangeCode(c: Context, scope: IssuerScope): Promise<Response> {
  const form = await readPageForm(c);
  const active = await signedIn(c, scope);
  checkAccountCsrf(scope, active.session, form.get('csrf'));
  const repo = scope.repos.emailVerifications;
  const v = await repo.latestForUser(active.user.id);
  if (!v) return showForm(c, scope, active, {}, { status: 400, error: say('signup.codeSpent') });
  const counted = await repo.countAttempt(v.id);
  if (!counted) {
    logSecurityEvent(c, 'warn', 'verification_code_refused', { reason: 'no_attempts_left', user: active.user.id });
    return showForm(c, scope, active, {}, { status: 429, error: say('signup.codeSpent') });
  }
  if (!codeMatches(scope, v.id, typedCode(form.get('code')), counted.codeHash)) {
    logSecurityEvent(c, 'warn', 'verification_code_refused', { reason: 'wrong_code', user: active.user.id });
    return checkPage(c, scope, active, v.email, say('signup.wrongCode'), 400);
  }
  const spent = await repo.spend(v.id);
  if (!spent) return showForm(c, scope, active, {}, { status: 400, error: say('signup.codeSpent') });
  return changeEmail(c, scope, spent, 'code');
}

function linkInvalid(c: Context, scope: IssuerScope): Promise<Response> {
  const t = pageTranslator(c);
  const link = { href: ACCOUNT_APPS_PATH, text: say('signup.email.back'), id: 'back-to-account' };
  return sendPage(c, SignUpMessagePage({ site: scope, t, title: say('signup.linkInvalid.title'), message: say('signup.linkInvalid'), link }), 400);
}

async function linkedChange(scope: IssuerScope, token: string): Promise<EmailVerification | undefined> {
  if (!isLinkToken(token)) return undefined;
  const v = await scope.repos.emailVerifications.findByToken(linkTokenHash(token));
  return v?.purpose === 'email_change' ? v : undefined;
}

/**
 * The link's verification, if this browser is signed in to the account it is for. Opened
 * anywhere else it proves nothing to act on: someone signed in to their own account could ask
 * for another person's address, and that person's click must not hand it over.
 */
async function ownersLink(c: Context, scope: IssuerScope, token: string): Promise<{ v?: EmailVerification; refusal?: Promise<Response> }> {
  const v = await linkedChange(scope, token);
  if (!v) return { refusal: linkInvalid(c, scope) };
  const active = await currentSession(c, scope);
  if (active?.user.id !== v.userId) {
    const t = pageTranslator(c);
    const link = { href: ACCOUNT_APPS_PATH, text: say('signup.email.back'), id: 'back-to-account' };
    return {
      refusal: sendPage(c, SignUpMessagePage({ site: scope, t, title: say('signup.confirm.title'), message: say('signup.email.signInToConfirm'), link }), 403),
    };
  }
  return { v };
}

/** GET /account/email/verify?token=…: a button that confirms the new address, in the browser signed in to the account. */
export async function showEmailChangeLink(c: Context, scope: IssuerScope): Promise<Response> {
  const token = parseParams(rawQuery(c)).get('token') ?? '';
  const { v, refusal } = await ownersLink(c, scope, token);
  if (!v) return refusal ?? linkInvalid(c, scope);
  return sendPage(
    c,
    ConfirmLinkPage({ site: scope, t: pageTranslator(c), action: EMAIL_CHANGE_VERIFY_PATH, token, csrf: linkFormCsrf(scope, token), email: v.email }),
  );
}

/** POST /account/email/verify: spends the link and changes the address. */
export async function handleEmailChangeLink(c: Context, scope: IssuerScope): Promise<Response> {
  const form = await readPageForm(c);
  const token = form.get('token') ?? '';
  if (!linkFormCsrfMatches(scope, token, form.get('csrf'))) return linkInvalid(c, scope);
  const { v, refusal } = await ownersLink(c, scope, token);
  if (!v) return refusal ?? linkInvalid(c, scope);
  const spent = await scope.repos.emailVerifications.spendByToken(linkTokenHash(token));
  if (!spent) return linkInvalid(c, scope);
  return changeEmail(c, scope, spent, 'link');
}
