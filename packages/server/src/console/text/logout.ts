import { defineArea } from './area.js';

/** Back-channel logout on an app's form (helper "logout"). */
export const logoutText = defineArea({
  en: {
    'logout.backchannelUri': 'Back-channel logout URL',
    'logout.backchannelHint':
      'Gatehouse POSTs a signed logout token here whenever a session that signed in to this app ends, so the app can end its own session (OpenID Connect Back-Channel Logout).',
    'logout.sessionRequired': 'The app needs the session id (sid) in logout tokens',
  },
  de: {
    'logout.backchannelUri': 'URL für Back-Channel-Abmeldung',
    'logout.backchannelHint':
      'Gatehouse sendet hierher per POST ein signiertes Logout-Token, sobald eine Sitzung endet, mit der sich jemand bei dieser Anwendung angemeldet hat, damit die Anwendung ihre eigene Sitzung beendet (OpenID Connect Back-Channel Logout).',
    'logout.sessionRequired': 'Die Anwendung braucht die Sitzungs-ID (sid) im Logout-Token',
  },
  fr: {
    'logout.backchannelUri': 'URL de déconnexion back-channel',
    'logout.backchannelHint':
      'Gatehouse envoie ici par POST un jeton de déconnexion signé dès qu’une session qui s’est connectée à cette application prend fin, pour que l’application termine sa propre session (OpenID Connect Back-Channel Logout).',
    'logout.sessionRequired': 'L’application a besoin de l’identifiant de session (sid) dans les jetons de déconnexion',
  },
  es: {
    'logout.backchannelUri': 'URL de cierre de sesión por canal secundario',
    'logout.backchannelHint':
      'Gatehouse envía aquí por POST un token de cierre de sesión firmado cuando termina una sesión que inició sesión en esta aplicación, para que la aplicación cierre su propia sesión (OpenID Connect Back-Channel Logout).',
    'logout.sessionRequired': 'La aplicación necesita el identificador de sesión (sid) en los tokens de cierre de sesión',
  },
  ar: {
    'logout.backchannelUri': 'عنوان URL لتسجيل الخروج عبر القناة الخلفية',
    'logout.backchannelHint':
      'يرسل Gatehouse إلى هنا رمز تسجيل خروج موقّعًا عند انتهاء أي جلسة سجّلت الدخول إلى هذا التطبيق، لكي ينهي التطبيق جلسته الخاصة (OpenID Connect Back-Channel Logout).',
    'logout.sessionRequired': 'يحتاج التطبيق إلى معرّف الجلسة (sid) في رموز تسجيل الخروج',
  },
});
