import type { Mailer } from '../mail/mailer.js';
import type { MailKind } from '../mail/outbox.js';
import { DEFAULT_LOCALE, isLocale } from '../pages/locales.js';
import { translator } from '../pages/translator.js';
import type { Services } from '../services.js';

/** The outbox's kind for "your webhook endpoint was disabled": data holds the URL (shortened) and the last error. */
export const WEBHOOK_DISABLED_MAIL = 'webhook_disabled';

export function webhookDisabledMailKind(services: Services, mailer: Mailer): MailKind {
  return {
    event: 'webhook_disabled_mail',
    send: async (email, issuerId, locale, data) => {
      // An issuer deleted since has no one left to tell.
      const scope = await services.scopes.byId(issuerId);
      if (!scope) return;
      const t = translator(isLocale(locale) ? locale : DEFAULT_LOCALE);
      const brand = scope.settings.brand.name.replace(/\p{Cc}/gu, ' ');
      await mailer.send({
        to: email,
        fromName: scope.settings.mailFromName,
        subject: t.t('webhooks.mail.disabled.subject', { brand }),
        text: t.t('webhooks.mail.disabled.text', { brand, url: data.url ?? '', error: data.error ?? '' }),
      });
    },
  };
}
