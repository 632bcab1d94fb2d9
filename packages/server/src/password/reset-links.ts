import type { Mailer } from '../mail/mailer.js';
import type { MailKind } from '../mail/outbox.js';
import { MailSendError, toMailSendError } from '../mail/send-error.js';
import type { IssuerScope } from '../issuers/scope.js';
import type { Services } from '../services.js';
import { RESET_LINK_TTL, RESET_PATH } from './paths.js';

/** The mailed link: the issuer and a fixed path, nothing from the request. */
export function resetLink(scope: IssuerScope, token: string): string {
  return scope.href(`${RESET_PATH}?token=${encodeURIComponent(token)}`);
}

function resetMail(scope: IssuerScope, email: string, link: string): { subject: string; text: string } {
  // The brand name is free text; a header holds one line.
  const brand = scope.settings.brand.name.replace(/\p{Cc}/gu, ' ');
  return {
    subject: `Reset your ${brand} password`,
    text: `Someone, probably you, asked to reset the password of the ${brand} account ${email}.

To choose a new password, open this link within ${RESET_LINK_TTL / 60} minutes:

${link}

The link works once. If you did not ask for this, ignore this message: your password stays as it is.
`,
  };
}

/**
 * Mails a reset link if `email` belongs to an account that may sign in; otherwise does nothing.
 * Run from the mail outbox, after the request was answered (see forgot.ts), so neither the
 * answer nor its timing depends on whether the account exists. Each attempt mails a new link.
 */
export async function sendResetLink(scope: IssuerScope, mailer: Mailer, email: string): Promise<void> {
  const user = await scope.repos.users.findByEmail(email);
  if (!user || user.disabled) return;
  const token = await scope.repos.passwordResets.create(user.id, RESET_LINK_TTL);
  try {
    await mailer.send({ to: user.email, fromName: scope.settings.mailFromName, ...resetMail(scope, user.email, resetLink(scope, token)) });
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
    send: async (email, issuerId) => {
      // An issuer deleted since the mail was asked for has no one left to mail.
      const scope = await services.scopes.byId(issuerId);
      if (scope) await sendResetLink(scope, mailer, email);
    },
  };
}
