import type { Mailer } from '../mail/mailer.js';
import type { MailKind } from '../mail/outbox.js';
import { MailSendError, toMailSendError } from '../mail/send-error.js';
import type { IssuerScope } from '../issuers/scope.js';
import { DEFAULT_LOCALE, type Locale, isLocale } from '../pages/locales.js';
import { type Translator, translator } from '../pages/translator.js';
import type { Services } from '../services.js';
import { RESET_LINK_TTL, RESET_PATH } from './paths.js';

/**
 * The mailed link: the issuer, a fixed path and the mail's language (one of the catalogs'), so
 * the page it opens speaks as the mail does; nothing from the request.
 */
export function resetLink(scope: IssuerScope, token: string, locale: Locale = DEFAULT_LOCALE): string {
  return scope.href(`${RESET_PATH}?token=${encodeURIComponent(token)}&ui_locales=${locale}`);
}

function resetMail(t: Translator, scope: IssuerScope, email: string, link: string): { subject: string; text: string } {
  // The brand name is free text; a header holds one line.
  const brand = scope.settings.brand.name.replace(/\p{Cc}/gu, ' ');
  return {
    subject: t.t('mail.reset.subject', { brand }),
    text: t.t('mail.reset.text', { brand, email, count: RESET_LINK_TTL / 60, link }),
  };
}

/**
 * Mails a reset link if `email` belongs to an account that may sign in; otherwise does nothing.
 * Run from the mail outbox, after the request was answered (see forgot.ts), so neither the
 * answer nor its timing depends on whether the account exists. Each attempt mails a new link.
 */
export async function sendResetLink(scope: IssuerScope, mailer: Mailer, email: string, locale: Locale = DEFAULT_LOCALE): Promise<void> {
  const user = await scope.repos.users.findByEmail(email);
  if (!user || user.disabled) return;
  const token = await scope.repos.passwordResets.create(user.id, RESET_LINK_TTL);
  try {
    await mailer.send({
      to: user.email,
      fromName: scope.settings.mailFromName,
      ...resetMail(translator(locale), scope, user.email, resetLink(scope, token, locale)),
    });
  } catch (error) {
    // SMTP replies often quote the recipient: the log names the user by id, not by address.
    const failure = toMailSendError(error);
    throw new MailSendError(`mail to user ${user.id} not sent: ${failure.message.split(user.email).join('<recipient>')}`, failure.permanent);
  }
  scope.services.logger.log('info', 'password_reset_mailed', { user: user.id });
}

/** The outbox's kind for reset links: the row holds the email as it was typed. */
export const RESET_MAIL = 'password_reset';

export function resetMailKind(services: Services, mailer: Mailer): MailKind {
  return {
    event: 'password_reset_mail',
    send: async (email, issuerId, locale) => {
      // An issuer deleted since the mail was asked for has no one left to mail.
      const scope = await services.scopes.byId(issuerId);
      if (scope) await sendResetLink(scope, mailer, email, isLocale(locale) ? locale : DEFAULT_LOCALE);
    },
  };
}
