import type { Context } from 'hono';
import type { EventType } from '../events/catalog.js';
import { clientIp } from '../http/client-ip.js';
import { pageTranslator } from '../http/locale.js';
import type { IssuerScope } from '../issuers/scope.js';
import type { Mailer } from '../mail/mailer.js';
import type { MailKind } from '../mail/outbox.js';
import { MailSendError, toMailSendError } from '../mail/send-error.js';
import { DEFAULT_LOCALE, isLocale } from '../pages/locales.js';
import { translator } from '../pages/translator.js';
import type { Services } from '../services.js';
import type { Repos } from '../store/repos.js';
import type { User } from '../store/repos/users.js';

/** The outbox's kind for "your second factors changed": the row holds the address and which change. */
export const FACTOR_MAIL = 'factor_changed';

export type FactorChange = 'totp_added' | 'totp_removed' | 'recovery_generated';

const EVENTS: Record<FactorChange, { type: EventType; factor: string }> = {
  totp_added: { type: 'mfa.factor_added', factor: 'totp' },
  totp_removed: { type: 'mfa.factor_removed', factor: 'totp' },
  recovery_generated: { type: 'mfa.recovery_codes_generated', factor: 'recovery' },
};

/**
 * Records a change of the user's second factors in the caller's transaction: its event, and the
 * notification mail (through the outbox, when mail is configured), so the owner hears of a
 * change they did not make. Call `kickMail` after the transaction commits.
 */
export async function recordFactorChange(
  c: Context,
  scope: IssuerScope,
  repos: Repos,
  user: User,
  change: FactorChange,
  count = 0,
  options: { mail?: boolean } = {},
): Promise<void> {
  const address = clientIp(c, scope.services.config.trustProxy);
  const { type, factor } = EVENTS[change];
  const actor = `user:${user.id}`;
  if (type === 'mfa.recovery_codes_generated') await repos.events.record({ type, actor, userId: user.id, address, payload: { count } });
  else await repos.events.record({ type: type as 'mfa.factor_added', actor, userId: user.id, address, payload: { factor } });
  // One mail for one action: codes made with a new app are told of by the app's own mail.
  if (scope.services.outbox && options.mail !== false) await repos.mailOutbox.enqueue(FACTOR_MAIL, user.email, scope.id, pageTranslator(c).locale, { change });
  scope.services.logger.log('info', 'factor_changed', { user: user.id, change });
}

/** Starts sending what recordFactorChange queued, once its transaction has committed. */
export function kickMail(scope: IssuerScope): void {
  scope.services.outbox?.kick();
}

const TEXT = { totp_added: 'mfa.mail.totpAdded', totp_removed: 'mfa.mail.totpRemoved', recovery_generated: 'mfa.mail.recoveryGenerated' } as const;

export function factorMailKind(services: Services, mailer: Mailer): MailKind {
  return {
    event: 'factor_mail',
    send: async (email, issuerId, locale, data) => {
      const scope = await services.scopes.byId(issuerId);
      const change = data.change as FactorChange | undefined;
      if (!scope || !change || !(change in TEXT)) return;
      const t = translator(isLocale(locale) ? locale : DEFAULT_LOCALE);
      const brand = scope.settings.brand.name.replace(/\p{Cc}/gu, ' ');
      try {
        await mailer.send({
          to: email,
          fromName: scope.settings.mailFromName,
          subject: t.t('mfa.mail.subject', { brand }),
          text: t.t(TEXT[change], { brand, email }),
        });
      } catch (error) {
        const failure = toMailSendError(error);
        throw new MailSendError(`factor mail not sent: ${failure.message.split(email).join('<recipient>')}`, failure.permanent);
      }
    },
  };
}
