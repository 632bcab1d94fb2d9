import { timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { logSecurityEvent } from '../http/request-log.js';
import { clientIp } from '../http/client-ip.js';
import { readPageForm } from '../http/form.js';
import { pageTranslator } from '../http/locale.js';
import { sendPage } from '../http/respond.js';
import { toInteractionPage } from '../interactions/advance.js';
import { completeLogin } from '../interactions/complete-login.js';
import { type AnyLoadedInteraction, loadAnyInteraction } from '../interactions/load.js';
import { showLogin } from '../interactions/login.js';
import type { IssuerScope } from '../issuers/scope.js';
import { type Text, say } from '../pages/translator.js';
import { type Authentication, authenticatedBy } from '../signin/assurance.js';
import { normalizeEmail } from '../store/repos/users.js';
import { EMAIL_CODE_MAIL, EMAIL_CODE_TTL, codeHash, emailCodeOffered } from './email-code-mail.js';
import { EmailCodePage } from './email-code-page.js';

/** Codes one email may be sent per window (the issuer's sign-in window): a lost mail or two. */
export const SENDS_PER_EMAIL = 5;
/** Codes one client address may ask for per window, over every email. */
export const SENDS_PER_ADDRESS = 20;
/** Tries at one interaction's code per window: then it is dropped and a new one must be asked for. */
export const TRIES_PER_INTERACTION = 5;
/** Tries at one email's codes per window, over every interaction: a million codes stay out of reach. */
export const TRIES_PER_EMAIL = 10;

/**
 * RFC 8176 has no value for a code sent by mail; `otp` (a one-time password) is what many
 * providers state for it, and it is the kind of proof it is: something the person has (the mailbox).
 */
export const EMAIL_CODE: Authentication = authenticatedBy(['otp']);

const CODE = /^\d{6}$/;
const MAX_EMAIL = 320;

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function showCodePage(
  c: Context,
  scope: IssuerScope,
  loaded: AnyLoadedInteraction,
  email: string,
  failure?: { status: 400 | 401 | 403 | 429; error: Text },
): Promise<Response> {
  const t = pageTranslator(c);
  return sendPage(
    c,
    EmailCodePage({
      site: scope,
      t,
      uid: loaded.interaction.id,
      csrf: loaded.interaction.csrfToken,
      email,
      minutes: EMAIL_CODE_TTL / 60,
      error: failure?.error,
    }),
    failure?.status,
  );
}

/** Reads the form and the interaction; a page instead when the interaction is past the sign-in (a replayed form). */
async function readStep(c: Context, scope: IssuerScope): Promise<{ form: URLSearchParams; loaded: AnyLoadedInteraction; email: string } | Response> {
  const form = await readPageForm(c);
  const loaded = await loadAnyInteraction(c, scope, form.get('csrf'));
  // Past the login step: a replayed form signs no one in again (as the password form).
  if (loaded.client && loaded.interaction.prompt !== 'login') return toInteractionPage(c, scope, loaded);
  return { form, loaded, email: (form.get('email') ?? '').trim().slice(0, MAX_EMAIL) };
}

function throttled(scope: IssuerScope): Text {
  return say('abuse.emailCode.throttled', { count: Math.ceil(scope.settings.login.windowSeconds / 60) });
}

/**
 * POST /interaction/:uid/email-code/send ("Email me a code" on the sign-in form): the same
 * answer, the code page, whether or not the address has an account; the mail is the outbox's.
 */
export async function handleEmailCodeSend(c: Context, scope: IssuerScope): Promise<Response> {
  if (!emailCodeOffered(scope)) return c.notFound();
  const step = await readStep(c, scope);
  if (step instanceof Response) return step;
  const { loaded, email } = step;
  if (email === '') return showLogin(c, scope, loaded, email, { status: 400, error: say('abuse.emailCode.missingEmail') });
  const ip = clientIp(c, scope.services.config.trustProxy).slice(0, 64);
  const window = scope.settings.login.windowSeconds;
  const { rateLimits } = scope.repos;
  // Every request counts, whether or not the email has an account: being held back tells nothing.
  const overAddress = (await rateLimits.hit(`emailcode:send:ip:${ip}`, window)) > SENDS_PER_ADDRESS;
  if (overAddress || (await rateLimits.hit(`emailcode:send:acct:${normalizeEmail(email)}`, window)) > SENDS_PER_EMAIL) {
    logSecurityEvent(c, 'warn', 'email_code_throttled', { limit: overAddress ? 'address' : 'account' });
    return showLogin(c, scope, loaded, email, { status: 429, error: throttled(scope) });
  }
  await scope.services.outbox?.enqueue(EMAIL_CODE_MAIL, email, scope.id, pageTranslator(c).locale, { interaction: loaded.interaction.id });
  return showCodePage(c, scope, loaded, email);
}

/**
 * Records `sign_in.email_code_failed` for the account of the typed address (none for an unknown
 * one), so its owner's activity page and the operator see codes being guessed. The lookup is
 * made for every failure, known address or not: it takes the same time.
 */
async function codeFailed(c: Context, scope: IssuerScope, loaded: AnyLoadedInteraction, email: string, reason: 'wrong' | 'throttled'): Promise<void> {
  const owner = await scope.repos.users.findByEmail(email);
  await scope.repos.events.record({
    type: 'sign_in.email_code_failed',
    userId: owner?.id ?? null,
    clientId: loaded.client?.id ?? null,
    address: clientIp(c, scope.services.config.trustProxy),
    payload: { reason },
  });
}

/**
 * POST /interaction/:uid/email-code/verify: a right code, in the interaction it was mailed
 * for, to the address it was mailed to, signs the person in once (the code is spent in the
 * statement that checks it); tries are counted per interaction and per address.
 */
export async function handleEmailCodeVerify(c: Context, scope: IssuerScope): Promise<Response> {
  if (!emailCodeOffered(scope)) return c.notFound();
  const step = await readStep(c, scope);
  if (step instanceof Response) return step;
  const { loaded, email, form } = step;
  const uid = loaded.interaction.id;
  const code = (form.get('code') ?? '').replace(/[\s-]/g, '').slice(0, 12);
  if (email === '' || !CODE.test(code)) return showCodePage(c, scope, loaded, email, { status: 400, error: say('abuse.emailCode.malformed') });
  const window = scope.settings.login.windowSeconds;
  const { rateLimits, emailCodes } = scope.repos;
  const overInteraction = (await rateLimits.hit(`emailcode:try:ix:${uid}`, window)) > TRIES_PER_INTERACTION;
  if (overInteraction || (await rateLimits.hit(`emailcode:try:acct:${normalizeEmail(email)}`, window)) > TRIES_PER_EMAIL) {
    // The interaction's code is worth nothing now: a guesser cannot wait the window out on it.
    if (overInteraction) await emailCodes.discard(uid);
    logSecurityEvent(c, 'warn', 'email_code_throttled', { limit: overInteraction ? 'interaction' : 'account' });
    await codeFailed(c, scope, loaded, email, 'throttled');
    return showCodePage(c, scope, loaded, email, { status: 429, error: throttled(scope) });
  }
  const userId = await emailCodes.consume(uid, codeHash(scope, uid, email, code));
  const user = userId === undefined ? undefined : await scope.repos.users.findById(userId);
  if (!user || !sameHash(normalizeEmail(user.email), normalizeEmail(email))) {
    logSecurityEvent(c, 'warn', 'email_code_failed', { user: user?.id });
    await codeFailed(c, scope, loaded, email, 'wrong');
    return showCodePage(c, scope, loaded, email, { status: 401, error: say('abuse.emailCode.wrong') });
  }
  if (user.disabled) {
    return showLogin(c, scope, loaded, email, { status: 403, error: say('login.disabled', { brand: scope.settings.brand.name }) });
  }
  scope.services.metrics.signIn(scope.id, 'success');
  const address = clientIp(c, scope.services.config.trustProxy);
  // Written with the session, in its transaction: a sign-in that stores no session (the
  // interaction finished meanwhile) records none and proves nothing.
  return completeLogin(c, scope, loaded, user.id, EMAIL_CODE, async (repos) => {
    // The code came to this address: using it proves the address, as a reset link does.
    if (!user.emailVerified) await repos.users.update(user.id, { emailVerified: true });
    await repos.events.record({ type: 'sign_in.email_code', userId: user.id, clientId: loaded.client?.id ?? null, address, payload: {} });
  });
}
