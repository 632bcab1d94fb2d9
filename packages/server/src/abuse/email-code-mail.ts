import { randomInt } from 'node:crypto';
import type { IssuerScope } from '../issuers/scope.js';
import type { Mailer } from '../mail/mailer.js';
import type { MailKind } from '../mail/outbox.js';
import { MailSendError, toMailSendError } from '../mail/send-error.js';
import { DEFAULT_LOCALE, isLocale } from '../pages/locales.js';
import { translator } from '../pages/translator.js';
import type { Services } from '../services.js';
import { normalizeEmail } from '../store/repos/users.js';

/** The outbox's kind for sign-in codes: the row holds the email as typed and the interaction id. */
export const EMAIL_CODE_MAIL = 'email_code';

/** How long a mailed code works: long enough to switch to the mail app and back. */
export const EMAIL_CODE_TTL = 10 * 60;

/** Whether the sign-in page offers "Email me a code": the issuer enabled it and the deployment can send mail. */
export function emailCodeOffered(scope: IssuerScope): boolean {
  return scope.settings.emailCode && scope.services.outbox !== undefined;
}

/** The stored form of a code: keyed by the master secret and bound to the issuer, interaction and address. */
export function codeHash(scope: IssuerScope, interactionId: string, email: string, code: string): string {
  return scope.services.box.mac(`${interactionId}\0${normalizeEmail(email)}\0${code}`, `email-code/${scope.id}`);
}

/**
 * Mails a fresh code for `interactionId` when `email` belongs to an account that may sign in,
 * replacing the interaction's earlier code; otherwise does nothing. Run from the outbox after
 * the request was answered, so neither the answer nor its timing tells who has an account.
 */
export async function sendEmailCode(scope: IssuerScope, mailer: Mailer, email: string, interactionId: string, locale: string): Promise<void> {
  const user = await scope.repos.users.findByEmail(email);
  if (!user || user.disabled) return;
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  await scope.repos.emailCodes.put(interactionId, user.id, codeHash(scope, interactionId, user.email, code), EMAIL_CODE_TTL);
  const t = translator(isLocale(locale) ? locale : DEFAULT_LOCALE);
  // The brand name is free text; a header holds one line.
  const brand = scope.settings.brand.name.replace(/\p{Cc}/gu, ' ');
  try {
    await mailer.send({
      to: user.email,
      fromName: scope.settings.mailFromName,
      subject: t.t('abuse.mail.subject', { brand }),
      text: t.t('abuse.mail.text', { brand, code, count: EMAIL_CODE_TTL / 60 }),
    });
  } catch (error) {
    // SMTP replies often quote the recipient: the log names the user by id, not by address.
    const failure = toMailSendError(error);
    throw new MailSendError(`mail to user ${user.id} not sent: ${failure.message.split(user.email).join('<recipient>')}`, failure.permanent);
  }
  scope.services.logger.log('info', 'email_code_mailed', { user: user.id });
}

export function emailCodeMailKind(services: Services, mailer: Mailer): MailKind {
  return {
    event: 'email_code_mail',
    send: async (email, issuerId, locale, data) => {
      // An issuer deleted since the mail was asked for has no one left to mail.
      const scope = await services.scopes.byId(issuerId);
      if (scope && data.interaction) await sendEmailCode(scope, mailer, email, data.interaction, locale);
    },
  };
}
