import type { IssuerScope } from '../issuers/scope.js';
import type { Mailer } from '../mail/mailer.js';
import type { MailKind } from '../mail/outbox.js';
import { MailSendError, toMailSendError } from '../mail/send-error.js';
import { DEFAULT_LOCALE, type Locale, isLocale } from '../pages/locales.js';
import { translator } from '../pages/translator.js';
import type { Services } from '../services.js';
import type { Repos } from '../store/repos.js';
import type { User } from '../store/repos/users.js';

/** The outbox's kind for "a wallet was linked to / unlinked from your account". */
export const WALLET_MAIL = 'wallet_changed';

export type WalletChange = 'linked' | 'unlinked';

/**
 * Asks for the notification mail in the change's transaction (the outbox row is an event with
 * a delivery), so the mail is promised exactly when the change is made. Without mail configured
 * there is no outbox and nothing to ask.
 */
export async function requestWalletMail(scope: IssuerScope, repos: Repos, user: User, change: WalletChange, address: string, locale: string): Promise<void> {
  if (!scope.services.outbox) return;
  await repos.mailOutbox.enqueue(WALLET_MAIL, user.email, scope.id, locale, { change, address });
}

/** Starts sending what requestWalletMail promised, once its transaction has committed. */
export function sendWalletMail(scope: IssuerScope): void {
  scope.services.outbox?.kick();
}

async function sendWalletChange(scope: IssuerScope, mailer: Mailer, email: string, locale: Locale, data: Record<string, string>): Promise<void> {
  const user = await scope.repos.users.findByEmail(email);
  if (!user || user.disabled) return;
  const t = translator(locale);
  const brand = scope.settings.brand.name.replace(/\p{Cc}/gu, ' ');
  const address = (data.address ?? '').replace(/[^0-9A-Za-z]/g, '').slice(0, 42);
  const linked = data.change === 'linked';
  try {
    await mailer.send({
      to: user.email,
      fromName: scope.settings.mailFromName,
      subject: linked ? t.t('wallet.mail.linkedSubject', { brand }) : t.t('wallet.mail.unlinkedSubject', { brand }),
      text: linked
        ? t.t('wallet.mail.linkedText', { brand, address, link: `${scope.url}/account/security/wallets` })
        : t.t('wallet.mail.unlinkedText', { brand, address, link: `${scope.url}/account/security/wallets` }),
    });
  } catch (error) {
    // SMTP replies often quote the recipient: the log names the user by id, not by address.
    const failure = toMailSendError(error);
    throw new MailSendError(`mail to user ${user.id} not sent: ${failure.message.split(user.email).join('<recipient>')}`, failure.permanent);
  }
  scope.services.logger.log('info', 'wallet_mail_sent', { user: user.id });
}

/** The outbox's sender of wallet notifications (listed in services.ts). */
export function walletMailKind(services: Services, mailer: Mailer): MailKind {
  return {
    event: 'wallet_mail',
    send: async (email, issuerId, locale, data) => {
      const scope = await services.scopes.byId(issuerId);
      if (scope) await sendWalletChange(scope, mailer, email, isLocale(locale) ? locale : DEFAULT_LOCALE, data);
    },
  };
}
