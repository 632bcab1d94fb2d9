import { defineArea } from './area.js';

/** The MFA policy in the console: the security settings page and an app's page (helper "mfa"). */
export const mfaText = defineArea({
  en: {
    'mfa.policy': 'Second factor at sign-in',
    'mfa.policyOff': 'Off: never asked',
    'mfa.policyOptional': 'Optional: asked of people who have set one up',
    'mfa.policyRequired': 'Required: asked of everyone; people without one set one up when they sign in',
    'mfa.rememberDevice': 'Offer “Remember this device for 30 days” at the second factor',
    'mfa.requireMfa': 'Ask for a second factor at every sign-in to this app',
  },
  de: {
    'mfa.policy': 'Zweiter Faktor bei der Anmeldung',
    'mfa.policyOff': 'Aus: nie verlangt',
    'mfa.policyOptional': 'Optional: verlangt von Personen, die einen eingerichtet haben',
    'mfa.policyRequired': 'Erforderlich: von allen verlangt; wer keinen hat, richtet ihn bei der Anmeldung ein',
    'mfa.rememberDevice': '„Dieses Gerät 30 Tage lang merken“ beim zweiten Faktor anbieten',
    'mfa.requireMfa': 'Bei jeder Anmeldung bei dieser Anwendung einen zweiten Faktor verlangen',
  },
  fr: {
    'mfa.policy': 'Deuxième facteur à la connexion',
    'mfa.policyOff': 'Désactivé : jamais demandé',
    'mfa.policyOptional': 'Facultatif : demandé aux personnes qui en ont configuré un',
    'mfa.policyRequired': 'Obligatoire : demandé à tous ; les personnes sans facteur en configurent un à la connexion',
    'mfa.rememberDevice': 'Proposer « Se souvenir de cet appareil pendant 30 jours » au deuxième facteur',
    'mfa.requireMfa': 'Demander un deuxième facteur à chaque connexion à cette application',
  },
  es: {
    'mfa.policy': 'Segundo factor al iniciar sesión',
    'mfa.policyOff': 'Desactivado: nunca se pide',
    'mfa.policyOptional': 'Opcional: se pide a quienes han configurado uno',
    'mfa.policyRequired': 'Obligatorio: se pide a todos; quien no tenga uno lo configura al iniciar sesión',
    'mfa.rememberDevice': 'Ofrecer «Recordar este dispositivo durante 30 días» en el segundo factor',
    'mfa.requireMfa': 'Pedir un segundo factor en cada inicio de sesión en esta aplicación',
  },
  ar: {
    'mfa.policy': 'العامل الثاني عند تسجيل الدخول',
    'mfa.policyOff': 'متوقف: لا يُطلب أبدًا',
    'mfa.policyOptional': 'اختياري: يُطلب ممن أعدّوا عاملًا ثانيًا',
    'mfa.policyRequired': 'إلزامي: يُطلب من الجميع؛ ومن ليس لديه عامل يُعدّه عند تسجيل الدخول',
    'mfa.rememberDevice': 'عرض «تذكّر هذا الجهاز لمدة 30 يومًا» عند العامل الثاني',
    'mfa.requireMfa': 'طلب عامل ثانٍ عند كل تسجيل دخول إلى هذا التطبيق',
  },
});
