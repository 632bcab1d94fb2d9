import type { IssuerScope } from '../issuers/scope.js';
import type { Mailer, MailMessage } from '../mail/mailer.js';
import type { MailKind } from '../mail/outbox.js';
import { MailSendError, toMailSendError } from '../mail/send-error.js';
import { DEFAULT_LOCALE, type Locale, isLocale } from '../pages/locales.js';
import { translator } from '../pages/translator.js';
import type { Services } from '../services.js';
import type { EmailVerification } from '../store/repos/email-verifications.js';
import { ACCOUNT_APPS_PATH } from '../account/paths.js';
import { codeHash, linkTokenHash, newCode, newLinkToken } from './codes.js';
import { EMAIL_CHANGE_VERIFY_PATH, VERIFICATION_TTL, signUpVerifyPath } from './paths.js';

/** The outbox's kinds: the rows hold the recipient and the verification's id, never a code. */
export const SIGNUP_MAIL = 'sign_up_verification';
export const EMAIL_CHANGE_MAIL = 'email_change_verification';
export const EMAIL_CHANGED_MAIL = 'email_changed_notice';

/** The brand name is free text; a header holds one line. */
const brandOf = (scope: IssuerScope): string => scope.settings.brand.name.replace(/\p{Cc}/gu, ' ');

async function send(scope: IssuerScope, mailer: Mailer, message: Omit<MailMessage, 'fromName'>, who: string): Promise<void> {
  try {
    await mailer.send({ ...message, fromName: scope.settings.mailFromName });
  } catch (error) {
    // SMTP replies often quote the recipient: the log names the verification, not the address.
    const failure = toMailSendError(error);
    throw new MailSendError(`mail for ${who} not sent: ${failure.message.split(message.to).join('<recipient>')}`, failure.permanent);
  }
}

function verifyLink(scope: IssuerScope, v: EmailVerification, token: string, locale: Locale): string {
  const path = v.purpose === 'sign_up' && v.interactionId ? signUpVerifyPath(v.interactionId) : EMAIL_CHANGE_VERIFY_PATH;
  return scope.href(`${path}?token=${encodeURIComponent(token)}&ui_locales=${locale}`);
}

/**
 * Sends what a pending verification promised, from the outbox, after the request was answered:
 * to an address without an account, a new code and link (their hashes stored, the earlier ones
 * of the row dead); to an address that has an account, a warning to its owner and no code at
 * all. The page the request got was the same either way (enumeration: signup/sign-up.ts).
 */
export async function sendVerification(scope: IssuerScope, mailer: Mailer, verificationId: string, locale: Locale): Promise<void> {
  const repo = scope.repos.emailVerifications;
  const v = await repo.findLive(verificationId);
  if (!v) return;
  const t = translator(locale);
  const brand = brandOf(scope);
  const owner = await scope.repos.users.findByEmail(v.email);
  if (owner) {
    await scope.repos.events.record({ type: 'user.sign_up_attempted', userId: owner.id, actor: 'system', payload: { purpose: v.purpose } });
    const message =
      v.purpose === 'sign_up'
        ? {
            subject: t.t('signup.mail.exists.subject', { brand }),
            text: t.t('signup.mail.exists.text', { brand, email: owner.email, link: scope.href(`${ACCOUNT_APPS_PATH}?ui_locales=${locale}`) }),
          }
        : { subject: t.t('signup.mail.changeTaken.subject', { brand }), text: t.t('signup.mail.changeTaken.text', { brand, email: owner.email }) };
    await send(scope, mailer, { to: owner.email, ...message }, `verification ${v.id}`);
    scope.services.logger.log('info', 'sign_up_warning_mailed', { user: owner.id, purpose: v.purpose });
    return;
  }
  const code = newCode();
  const token = newLinkToken();
  if (!(await repo.arm(v.id, codeHash(scope, v.id, code), linkTokenHash(token), VERIFICATION_TTL))) return;
  const link = verifyLink(scope, v, token, locale);
  const message =
    v.purpose === 'sign_up'
      ? { subject: t.t('signup.mail.verify.subject', { brand }), text: t.t('signup.mail.verify.text', { brand, email: v.email, code, link }) }
      : { subject: t.t('signup.mail.change.subject', { brand }), text: t.t('signup.mail.change.text', { brand, email: v.email, code, link }) };
  await send(scope, mailer, { to: v.email, ...message }, `verification ${v.id}`);
  scope.services.logger.log('info', 'verification_mailed', { purpose: v.purpose });
}

/** Tells the previous address that the account's email changed (it was the account's until now). */
async function sendChangedNotice(scope: IssuerScope, mailer: Mailer, oldEmail: string, newEmail: string, locale: Locale): Promise<void> {
  const t = translator(locale);
  const brand = brandOf(scope);
  await send(
    scope,
    mailer,
    { to: oldEmail, subject: t.t('signup.mail.changed.subject', { brand }), text: t.t('signup.mail.changed.text', { brand, old: oldEmail, new: newEmail }) },
    'an email change notice',
  );
}

function kind(
  services: Services,
  event: string,
  run: (scope: IssuerScope, recipient: string, locale: Locale, data: Record<string, string>) => Promise<void>,
): MailKind {
  return {
    event,
    send: async (recipient, issuerId, locale, data) => {
      // An issuer deleted since the mail was asked for has no one left to mail.
      const scope = await services.scopes.byId(issuerId);
      if (scope) await run(scope, recipient, isLocale(locale) ? locale : DEFAULT_LOCALE, data);
    },
  };
}

/** The mail kinds of sign-up and email changes, for the outbox (services.ts). */
export function signUpMailKinds(services: Services, mailer: Mailer): Record<string, MailKind> {
  const verification = (scope: IssuerScope, _recipient: string, locale: Locale, data: Record<string, string>): Promise<void> =>
    data.verification ? sendVerification(scope, mailer, data.verification, locale) : Promise.resolve();
  return {
    [SIGNUP_MAIL]: kind(services, 'sign_up_mail', verification),
    [EMAIL_CHANGE_MAIL]: kind(services, 'email_change_mail', verification),
    [EMAIL_CHANGED_MAIL]: kind(services, 'email_changed_mail', (scope, recipient, locale, data) =>
      sendChangedNotice(scope, mailer, recipient, data.new_email ?? '', locale),
    ),
  };
}
