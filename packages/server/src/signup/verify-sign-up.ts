import type { Context } from 'hono';
import { PageError } from '../errors.js';
import { PASSWORD_MAX } from '../auth/password-policy.js';
import { verifyPassword } from '../auth/password.js';
import { clientIp } from '../http/client-ip.js';
import { parseParams, rawQuery, readPageForm } from '../http/form.js';
import { pageTranslator } from '../http/locale.js';
import { logSecurityEvent } from '../http/request-log.js';
import { sendPage } from '../http/respond.js';
import { type AnyLoadedInteraction, interactionId, loadAnyInteraction } from '../interactions/load.js';
import type { IssuerScope } from '../issuers/scope.js';
import { CheckEmailPage, ConfirmLinkPage, SignUpMessagePage, signUpCheck } from '../pages/signup.js';
import { type Text, say } from '../pages/translator.js';
import type { EmailVerification } from '../store/repos/email-verifications.js';
import { DuplicateEmailError, type User } from '../store/repos/users.js';
import { codeMatches, isLinkToken, linkFormCsrf, linkFormCsrfMatches, linkTokenHash, typedCode } from './codes.js';
import { signUpPath, signUpVerifyPath } from './paths.js';
import { signInAfterSignUp } from './sign-in.js';

function message(
  c: Context,
  scope: IssuerScope,
  title: Text,
  text: Text,
  status: 200 | 400 | 409,
  link?: { href: string; text: Text; id: string },
): Promise<Response> {
  return sendPage(c, SignUpMessagePage({ site: scope, t: pageTranslator(c), title, message: text, link }), status);
}

const linkInvalid = (c: Context, scope: IssuerScope): Promise<Response> =>
  message(c, scope, say('signup.linkInvalid.title'), say('signup.linkInvalid'), 400, {
    href: signUpPath(interactionId(c)),
    text: say('signup.startAgain'),
    id: 'start-again',
  });

/**
 * Creates the user of a spent sign-up verification, verified, in one transaction with its
 * events; every other pending sign-up of the address dies with it. Undefined when the address
 * got an account meanwhile (another sign-up, an administrator): the unique address decides.
 */
async function createVerifiedUser(
  c: Context,
  scope: IssuerScope,
  v: EmailVerification,
  method: 'code' | 'link',
  clientId: string | null,
): Promise<User | undefined> {
  const address = clientIp(c, scope.services.config.trustProxy);
  try {
    return await scope.transaction(async (repos) => {
      const user = await repos.users.create({ email: v.email, emailVerified: true, passwordHash: v.passwordHash, name: v.name });
      await repos.emailVerifications.spendPending({ email: v.email, purpose: 'sign_up' });
      const who = { userId: user.id, clientId, actor: `user:${user.id}`, address };
      await repos.events.record({ type: 'user.signed_up', payload: { method }, ...who });
      await repos.events.record({ type: 'user.email_verified', payload: { purpose: 'sign_up', method }, ...who });
      return user;
    });
  } catch (error) {
    if (error instanceof DuplicateEmailError) return undefined;
    throw error;
  }
}

/**
 * The end of a verified sign-up: the account, then the sign-in it was started in when this
 * browser is the one that started it (its cookie is the proof); a link opened anywhere else
 * makes the account and asks to sign in, so a forwarded link signs no one in.
 */
async function finish(
  c: Context,
  scope: IssuerScope,
  v: EmailVerification,
  method: 'code' | 'link',
  loaded: AnyLoadedInteraction | undefined,
): Promise<Response> {
  const user = await createVerifiedUser(c, scope, v, method, loaded?.client?.id ?? null);
  if (!user)
    return message(c, scope, say('signup.verified.title'), say('signup.taken'), 409, {
      href: `/interaction/${interactionId(c)}`,
      text: say('signup.signIn'),
      id: 'to-sign-in',
    });
  scope.services.logger.log('info', 'signed_up', { user: user.id, method });
  if (loaded) return signInAfterSignUp(c, scope, loaded, user.id);
  return message(c, scope, say('signup.verified.title'), say('signup.verified.elsewhere'), 200);
}

/**
 * POST /interaction/:uid/signup/code: the code of the newest sign-up of this sign-in. Each try
 * is counted before it is compared (at most five per mailed code, the right one included), so
 * six digits cannot be guessed; then the sign-up has to start again.
 */
export async function handleSignUpCode(c: Context, scope: IssuerScope): Promise<Response> {
  const form = await readPageForm(c);
  const loaded = await loadAnyInteraction(c, scope, form.get('csrf'));
  const uid = loaded.interaction.id;
  const repo = scope.repos.emailVerifications;
  const t = pageTranslator(c);
  const again = (error: Text, status: 400 | 429, email: string): Promise<Response> =>
    sendPage(c, CheckEmailPage({ site: scope, t, ...signUpCheck(uid, email, loaded.interaction.csrfToken, error) }), status);
  const v = await repo.latestForInteraction(uid);
  if (!v)
    return message(c, scope, say('signup.codeSpent.title'), say('signup.codeSpent'), 400, {
      href: signUpPath(uid),
      text: say('signup.startAgain'),
      id: 'start-again',
    });
  const counted = await repo.countAttempt(v.id);
  if (!counted) {
    logSecurityEvent(c, 'warn', 'verification_code_refused', { reason: 'no_attempts_left' });
    return again(say('signup.codeSpent'), 429, v.email);
  }
  if (!codeMatches(scope, v.id, typedCode(form.get('code')), counted.codeHash)) {
    logSecurityEvent(c, 'warn', 'verification_code_refused', { reason: 'wrong_code' });
    return again(say('signup.wrongCode'), 400, v.email);
  }
  const spent = await repo.spend(v.id);
  if (!spent) return again(say('signup.codeSpent'), 400, v.email);
  return finish(c, scope, spent, 'code', loaded);
}

/** The sign-up a link's token is for, if it is well formed, live, and of the sign-in in the URL. */
async function linkedSignUp(c: Context, scope: IssuerScope, token: string): Promise<EmailVerification | undefined> {
  if (!isLinkToken(token)) return undefined;
  const v = await scope.repos.emailVerifications.findByToken(linkTokenHash(token));
  return v && v.purpose === 'sign_up' && v.interactionId === interactionId(c) ? v : undefined;
}

/**
 * GET /interaction/:uid/signup/verify?token=…: a button that confirms, or a page saying the
 * link is spent. In a browser other than the sign-up's, the button needs the password chosen
 * with the sign-up: a link mailed to someone who did not ask for it (a sign-up made with their
 * address by someone else) cannot make that someone's account with a click.
 */
export async function showSignUpLink(c: Context, scope: IssuerScope): Promise<Response> {
  const token = parseParams(rawQuery(c)).get('token') ?? '';
  const v = await linkedSignUp(c, scope, token);
  if (!v) return linkInvalid(c, scope);
  return confirmPage(c, scope, v, token, (await thisBrowsersSignIn(c, scope)) === undefined);
}

function confirmPage(c: Context, scope: IssuerScope, v: EmailVerification, token: string, askPassword: boolean, error?: Text): Promise<Response> {
  const t = pageTranslator(c);
  return sendPage(
    c,
    ConfirmLinkPage({
      site: scope,
      t,
      action: signUpVerifyPath(interactionId(c)),
      token,
      csrf: linkFormCsrf(scope, token),
      email: v.email,
      askPassword,
      error,
    }),
    error ? 400 : 200,
  );
}

/**
 * POST /interaction/:uid/signup/verify: spends the link, makes the account, and signs in this
 * browser if it started the sign-up. Elsewhere the password is checked first, as a code is:
 * each try counts against the sign-up's five.
 */
export async function handleSignUpLink(c: Context, scope: IssuerScope): Promise<Response> {
  const form = await readPageForm(c);
  const token = form.get('token') ?? '';
  if (!linkFormCsrfMatches(scope, token, form.get('csrf'))) return linkInvalid(c, scope);
  const v = await linkedSignUp(c, scope, token);
  if (!v) return linkInvalid(c, scope);
  const loaded = await thisBrowsersSignIn(c, scope);
  if (!loaded) {
    if (!(await scope.repos.emailVerifications.countAttempt(v.id))) return linkInvalid(c, scope);
    const password = form.get('password') ?? '';
    if (password.length > PASSWORD_MAX || !(await verifyPassword(v.passwordHash, password))) {
      logSecurityEvent(c, 'warn', 'verification_link_refused', { reason: 'wrong_password' });
      return confirmPage(c, scope, v, token, true, say('signup.confirm.wrongPassword'));
    }
  }
  const spent = await scope.repos.emailVerifications.spendByToken(linkTokenHash(token));
  if (!spent) return linkInvalid(c, scope);
  return finish(c, scope, spent, 'link', loaded);
}

/** The sign-in in the URL if this browser started it and it is still open; else undefined. */
async function thisBrowsersSignIn(c: Context, scope: IssuerScope): Promise<AnyLoadedInteraction | undefined> {
  try {
    return await loadAnyInteraction(c, scope);
  } catch (error) {
    // Another browser, an expired or finished sign-in: the account is made, the sign-in is not.
    if (error instanceof PageError) return undefined;
    throw error;
  }
}
