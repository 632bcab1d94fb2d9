import { definePageArea } from './area.js';

/** Closing issue 20's gaps (helper "accounts"): the recovery codes shown after setting up an authenticator app in a sign-in. */
export const ACCOUNTS_MESSAGES = definePageArea({
  en: {
    'accounts.recoveryAfterEnrol.title': 'Save your recovery codes',
    'accounts.recoveryAfterEnrol.intro':
      'Your authenticator app is set up. If you lose it, each of these codes signs you in once in its place. Keep them somewhere safe: they are shown only now.',
    'accounts.recoveryAfterEnrol.continue': 'I have saved them, continue',
  },
  de: {
    'accounts.recoveryAfterEnrol.title': 'Speichern Sie Ihre Wiederherstellungscodes',
    'accounts.recoveryAfterEnrol.intro':
      'Ihre Authenticator-App ist eingerichtet. Falls Sie sie verlieren, meldet Sie jeder dieser Codes einmal an ihrer Stelle an. Bewahren Sie sie sicher auf: Sie werden nur jetzt angezeigt.',
    'accounts.recoveryAfterEnrol.continue': 'Ich habe sie gespeichert, weiter',
  },
  fr: {
    'accounts.recoveryAfterEnrol.title': 'Enregistrez vos codes de récupération',
    'accounts.recoveryAfterEnrol.intro':
      'Votre application d’authentification est configurée. Si vous la perdez, chacun de ces codes vous connecte une fois à sa place. Gardez-les en lieu sûr : ils ne sont affichés que maintenant.',
    'accounts.recoveryAfterEnrol.continue': 'Je les ai enregistrés, continuer',
  },
  es: {
    'accounts.recoveryAfterEnrol.title': 'Guarda tus códigos de recuperación',
    'accounts.recoveryAfterEnrol.intro':
      'Tu aplicación de autenticación está configurada. Si la pierdes, cada uno de estos códigos te permite iniciar sesión una vez en su lugar. Guárdalos en un lugar seguro: solo se muestran ahora.',
    'accounts.recoveryAfterEnrol.continue': 'Ya los guardé, continuar',
  },
  ar: {
    'accounts.recoveryAfterEnrol.title': 'احفظ رموز الاسترداد',
    'accounts.recoveryAfterEnrol.intro':
      'تم إعداد تطبيق المصادقة. إذا فقدته، يتيح لك كل رمز من هذه الرموز تسجيل الدخول مرة واحدة بدلًا منه. احفظها في مكان آمن: فهي لا تُعرض إلا الآن.',
    'accounts.recoveryAfterEnrol.continue': 'حفظتها، متابعة',
  },
});
