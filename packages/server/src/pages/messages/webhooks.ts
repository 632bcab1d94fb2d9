import { definePageArea } from './area.js';

/** The mail an issuer's owners get when one of its webhook endpoints is disabled (webhooks/disabled-mail.ts). */
export const WEBHOOK_MESSAGES = definePageArea({
  en: {
    'webhooks.mail.disabled.subject': '{brand}: a webhook endpoint was disabled',
    'webhooks.mail.disabled.text':
      'Every delivery to the webhook endpoint {url} of {brand} has failed for a day, so it has been disabled and receives no more events.\n\nLast error: {error}\n\nOnce the endpoint works again, enable it in the console (Webhooks) and replay the deliveries it missed from its delivery log.\n',
  },
  de: {
    'webhooks.mail.disabled.subject': '{brand}: Ein Webhook-Endpunkt wurde deaktiviert',
    'webhooks.mail.disabled.text':
      'Jede Zustellung an den Webhook-Endpunkt {url} von {brand} ist seit einem Tag fehlgeschlagen. Er wurde deshalb deaktiviert und erhält keine Ereignisse mehr.\n\nLetzter Fehler: {error}\n\nSobald der Endpunkt wieder funktioniert, aktivieren Sie ihn in der Konsole (Webhooks) und stellen Sie die verpassten Zustellungen aus seinem Zustellprotokoll erneut zu.\n',
  },
  fr: {
    'webhooks.mail.disabled.subject': '{brand} : un point de terminaison webhook a été désactivé',
    'webhooks.mail.disabled.text':
      'Toutes les livraisons vers le point de terminaison webhook {url} de {brand} échouent depuis un jour : il a donc été désactivé et ne reçoit plus d’événements.\n\nDernière erreur : {error}\n\nUne fois le point de terminaison réparé, réactivez-le dans la console (Webhooks) et relancez depuis son journal les livraisons manquées.\n',
  },
  es: {
    'webhooks.mail.disabled.subject': '{brand}: se ha desactivado un endpoint de webhook',
    'webhooks.mail.disabled.text':
      'Todas las entregas al endpoint de webhook {url} de {brand} han fallado durante un día, así que se ha desactivado y ya no recibe eventos.\n\nÚltimo error: {error}\n\nCuando el endpoint vuelva a funcionar, actívelo en la consola (Webhooks) y reenvíe desde su registro las entregas que no recibió.\n',
  },
  ar: {
    'webhooks.mail.disabled.subject': '{brand}: تم تعطيل نقطة نهاية webhook',
    'webhooks.mail.disabled.text':
      'فشلت كل عمليات التسليم إلى نقطة نهاية webhook ‏{url} التابعة لـ {brand} طوال يوم كامل، لذلك تم تعطيلها ولن تتلقى أي أحداث بعد الآن.\n\nآخر خطأ: {error}\n\nعندما تعمل نقطة النهاية مجددًا، فعّلها من وحدة التحكم (Webhooks) وأعد إرسال عمليات التسليم الفائتة من سجل التسليم الخاص بها.\n',
  },
});
