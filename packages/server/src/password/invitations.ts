import type { Mailer } from '../mail/mailer.js';
import type { MailKind } from '../mail/outbox.js';
import { MailSendError, toMailSendError } from '../mail/send-error.js';
import type { IssuerScope } from '../issuers/scope.js';
import { DEFAULT_LOCALE, type Locale, isLocale } from '../pages/locales.js';
import { translator } from '../pages/translator.js';
import type { Services } from '../services.js';
import { resetLink } from './reset-links.js';

/**
 * Invitations: an administrator creates a user (or asks again) and the person gets a link to
 * choose their password. It is a password-reset link (the same token table, page and rules)
 * that lives longer, because an invitation waits in an inbox for days, not minutes.
 */

/** The outbox's kind for invitations: the row holds the user's email. */
export const INVITE_MAIL = 'invitation';

/** How long an invitation link works: a week. */
export const INVITE_LINK_TTL = 7 * 24 * 3600;

/**
 * Mails an invitation if `email` belongs to an account that may sign in. Run from the mail
 * outbox after the request was answered; each attempt mails a new link.
 */
export async function sendInvitation(scope: IssuerScope, mailer: Mailer, email: string, locale: Locale = DEFAULT_LOCALE): Promise<void> {
  const user = await scope.repos.users.findByEmail(email);
  if (!user || user.disabled) return;
  const token = await scope.repos.passwordResets.create(user.id, INVITE_LINK_TTL);
  const t = translator(locale);
  // The brand name is free text; a header holds one line.
  const brand = scope.settings.brand.name.replace(/\p{Cc}/gu, ' ');
  try {
    await mailer.send({
      to: user.email,
      fromName: scope.settings.mailFromName,
      subject: t.t('mail.invite.subject', { brand }),
      text: t.t('mail.invite.text', { brand, email: user.email, count: INVITE_LINK_TTL / 86400, link: resetLink(scope, token, locale) }),
    });
  } catch (error) {
    // SMTP replies often quote the recipient: the log names the user by id, not by address.
    const failure = toMailSendError(error);
    throw new MailSendError(`mail to user ${user.id} not sent: ${failure.message.split(user.email).join('<recipient>')}`, failure.permanent);
  }
  scope.services.logger.log('info', 'invitation_mailed', { user: user.id });
}

export function invitationMailKind(services: Services, mailer: Mailer): MailKind {
  return {
    event: 'invitation_mail',
    send: async (email, issuerId, locale) => {
      // An issuer deleted since the mail was asked for has no one left to mail.
      const scope = await services.scopes.byId(issuerId);
      if (scope) await sendInvitation(scope, mailer, email, isLocale(locale) ? locale : DEFAULT_LOCALE);
    },
  };
}
