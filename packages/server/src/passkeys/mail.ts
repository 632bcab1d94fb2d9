import type { Repos } from '../store/repos.js';
import type { IssuerScope } from '../issuers/scope.js';
import type { Mailer } from '../mail/mailer.js';
import type { MailKind } from '../mail/outbox.js';
import { MailSendError, toMailSendError } from '../mail/send-error.js';
import { DEFAULT_LOCALE, isLocale } from '../pages/locales.js';
import { translator } from '../pages/translator.js';
import type { Services } from '../services.js';

/** The outbox's kind for "a passkey was added/removed": the row holds the user's email, the change and the passkey's name. */
export const PASSKEY_MAIL = 'passkey_changed';

/**
 * Asks for the notification in the change's own transaction (`repos`), when the deployment
 * sends mail: a passkey added by someone who took over a session is seen by the owner.
 */
export async function requestPasskeyMail(
  scope: IssuerScope,
  repos: Repos,
  email: string,
  locale: string,
  change: 'added' | 'removed',
  name: string,
): Promise<void> {
  if (!scope.services.outbox) return;
  await repos.mailOutbox.enqueue(PASSKEY_MAIL, email, scope.id, locale, { change, name });
}

export function passkeyMailKind(services: Services, mailer: Mailer): MailKind {
  return {
    event: 'passkey_mail',
    send: async (email, issuerId, locale, data) => {
      const scope = await services.scopes.byId(issuerId);
      if (!scope) return;
      const user = await scope.repos.users.findByEmail(email);
      if (!user) return;
      const t = translator(isLocale(locale) ? locale : DEFAULT_LOCALE);
      const brand = scope.settings.brand.name.replace(/\p{Cc}/gu, ' ');
      const values = { brand, email: user.email, name: data.name ?? '' };
      const added = data.change === 'added';
      try {
        await mailer.send({
          to: user.email,
          fromName: scope.settings.mailFromName,
          subject: t.t(added ? 'passkeys.mailAddedSubject' : 'passkeys.mailRemovedSubject', { brand }),
          text: t.t(added ? 'passkeys.mailAddedText' : 'passkeys.mailRemovedText', values),
        });
      } catch (error) {
        const failure = toMailSendError(error);
        throw new MailSendError(`mail to user ${user.id} not sent: ${failure.message.split(user.email).join('<recipient>')}`, failure.permanent);
      }
      services.logger.log('info', 'passkey_mailed', { user: user.id, change: data.change });
    },
  };
}
