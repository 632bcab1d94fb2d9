import { defineArea } from './area.js';

/** The sign-up policy on the security settings page (signup/, docs/accounts.md). */
export const signUpText = defineArea({
  en: {
    'security.signUp': 'Self-service sign-up',
    'security.signUpHint':
      'Whether people can create an account themselves on the sign-in page. Each address is verified by mail first; without mail configured there is no sign-up.',
    'security.signUp.off': 'Off: only administrators create accounts',
    'security.signUp.open': 'Open: anyone with an email address',
    'security.signUp.invitation': 'By invitation: only people an administrator invited',
  },
  de: {
    'security.signUp': 'Selbstregistrierung',
    'security.signUpHint':
      'Ob Personen auf der Anmeldeseite selbst ein Konto erstellen können. Jede Adresse wird zuerst per E-Mail bestätigt; ohne eingerichteten E-Mail-Versand gibt es keine Registrierung.',
    'security.signUp.off': 'Aus: nur Administratoren erstellen Konten',
    'security.signUp.open': 'Offen: jede Person mit einer E-Mail-Adresse',
    'security.signUp.invitation': 'Auf Einladung: nur Personen, die ein Administrator eingeladen hat',
  },
  fr: {
    'security.signUp': 'Inscription libre',
    'security.signUpHint':
      'Si les personnes peuvent créer elles-mêmes un compte sur la page de connexion. Chaque adresse est d’abord vérifiée par e-mail ; sans envoi d’e-mails configuré, il n’y a pas d’inscription.',
    'security.signUp.off': 'Désactivée : seuls les administrateurs créent des comptes',
    'security.signUp.open': 'Ouverte : toute personne ayant une adresse e-mail',
    'security.signUp.invitation': 'Sur invitation : seules les personnes invitées par un administrateur',
  },
  es: {
    'security.signUp': 'Registro por cuenta propia',
    'security.signUpHint':
      'Si las personas pueden crear una cuenta por sí mismas en la página de inicio de sesión. Cada dirección se verifica antes por correo; sin correo configurado no hay registro.',
    'security.signUp.off': 'Desactivado: solo los administradores crean cuentas',
    'security.signUp.open': 'Abierto: cualquier persona con un correo electrónico',
    'security.signUp.invitation': 'Por invitación: solo las personas que invitó un administrador',
  },
  ar: {
    'security.signUp': 'التسجيل الذاتي',
    'security.signUpHint': 'هل يمكن للأشخاص إنشاء حساب بأنفسهم في صفحة تسجيل الدخول. يُتحقق من كل عنوان عبر البريد أولًا؛ ولا يوجد تسجيل دون إعداد البريد.',
    'security.signUp.off': 'متوقف: المسؤولون وحدهم ينشئون الحسابات',
    'security.signUp.open': 'مفتوح: أي شخص لديه بريد إلكتروني',
    'security.signUp.invitation': 'بالدعوة: فقط من دعاهم مسؤول',
  },
});
