import { definePageArea } from './area.js';

// Arabic plurals have six forms; a form may leave the number out where the word says it.
const arMinutes = (before: string, after: string): { zero: string; one: string; two: string; few: string; many: string; other: string } => ({
  zero: `${before}{count} دقيقة${after}`,
  one: `${before}دقيقة واحدة${after}`,
  two: `${before}دقيقتين${after}`,
  few: `${before}{count} دقائق${after}`,
  many: `${before}{count} دقيقة${after}`,
  other: `${before}{count} دقيقة${after}`,
});

/**
 * Abuse protection and email codes (src/abuse/): the breached-password refusal, the
 * proof-of-work check of the sign-in form, and "Email me a code" with its page and mail.
 */
export const ABUSE_MESSAGES = definePageArea({
  en: {
    'abuse.breached': 'This password appears in a known data breach, so others may try it. Choose another one.',
    'abuse.powFailed': 'The automatic security check of this form did not pass. Try again.',
    'abuse.powNotice': 'Your browser runs a short security check before this form is sent.',
    'abuse.emailCode.button': 'Email me a code',
    'abuse.emailCode.title': 'Enter your code',
    'abuse.emailCode.sent': {
      one: 'If {email} has an account, we sent it a 6-digit code. It works once, for {count} minute.',
      other: 'If {email} has an account, we sent it a 6-digit code. It works once, for {count} minutes.',
    },
    'abuse.emailCode.label': 'Code from the mail',
    'abuse.emailCode.submit': 'Sign in',
    'abuse.emailCode.missingEmail': 'Enter your email to get a code.',
    'abuse.emailCode.malformed': 'Enter the 6 digits of the code.',
    'abuse.emailCode.wrong': 'The code is wrong, has expired or was already used.',
    'abuse.emailCode.throttled': {
      one: 'Too many codes asked for or tried. Wait {count} minute and try again.',
      other: 'Too many codes asked for or tried. Wait {count} minutes and try again.',
    },
    'abuse.emailCode.back': 'Sign in another way',
    'abuse.mail.subject': 'Your {brand} sign-in code',
    'abuse.mail.text': {
      one: 'Your code to sign in to {brand} is:\n\n{code}\n\nIt works once, for {count} minute, in the browser where you asked for it. If you did not ask for it, ignore this mail: no one can sign in without the code.',
      other:
        'Your code to sign in to {brand} is:\n\n{code}\n\nIt works once, for {count} minutes, in the browser where you asked for it. If you did not ask for it, ignore this mail: no one can sign in without the code.',
    },
  },
  de: {
    'abuse.breached': 'Dieses Passwort ist aus einem bekannten Datenleck bekannt, andere könnten es ausprobieren. Wählen Sie ein anderes.',
    'abuse.powFailed': 'Die automatische Sicherheitsprüfung dieses Formulars ist fehlgeschlagen. Versuchen Sie es noch einmal.',
    'abuse.powNotice': 'Ihr Browser führt eine kurze Sicherheitsprüfung aus, bevor dieses Formular gesendet wird.',
    'abuse.emailCode.button': 'Code per E-Mail senden',
    'abuse.emailCode.title': 'Code eingeben',
    'abuse.emailCode.sent': {
      one: 'Wenn es zu {email} ein Konto gibt, haben wir dorthin einen 6-stelligen Code gesendet. Er gilt einmal, {count} Minute lang.',
      other: 'Wenn es zu {email} ein Konto gibt, haben wir dorthin einen 6-stelligen Code gesendet. Er gilt einmal, {count} Minuten lang.',
    },
    'abuse.emailCode.label': 'Code aus der E-Mail',
    'abuse.emailCode.submit': 'Anmelden',
    'abuse.emailCode.missingEmail': 'Geben Sie Ihre E-Mail-Adresse ein, um einen Code zu erhalten.',
    'abuse.emailCode.malformed': 'Geben Sie die 6 Ziffern des Codes ein.',
    'abuse.emailCode.wrong': 'Der Code ist falsch, abgelaufen oder wurde schon verwendet.',
    'abuse.emailCode.throttled': {
      one: 'Zu viele Codes angefordert oder ausprobiert. Warten Sie {count} Minute und versuchen Sie es dann noch einmal.',
      other: 'Zu viele Codes angefordert oder ausprobiert. Warten Sie {count} Minuten und versuchen Sie es dann noch einmal.',
    },
    'abuse.emailCode.back': 'Auf andere Weise anmelden',
    'abuse.mail.subject': 'Ihr Anmeldecode für {brand}',
    'abuse.mail.text': {
      one: 'Ihr Code für die Anmeldung bei {brand} lautet:\n\n{code}\n\nEr gilt einmal, {count} Minute lang, in dem Browser, in dem Sie ihn angefordert haben. Wenn Sie ihn nicht angefordert haben, ignorieren Sie diese E-Mail: Ohne den Code kann sich niemand anmelden.',
      other:
        'Ihr Code für die Anmeldung bei {brand} lautet:\n\n{code}\n\nEr gilt einmal, {count} Minuten lang, in dem Browser, in dem Sie ihn angefordert haben. Wenn Sie ihn nicht angefordert haben, ignorieren Sie diese E-Mail: Ohne den Code kann sich niemand anmelden.',
    },
  },
  fr: {
    'abuse.breached': 'Ce mot de passe figure dans une fuite de données connue, d’autres pourraient l’essayer. Choisissez-en un autre.',
    'abuse.powFailed': 'La vérification de sécurité automatique de ce formulaire a échoué. Réessayez.',
    'abuse.powNotice': 'Votre navigateur effectue une courte vérification de sécurité avant l’envoi de ce formulaire.',
    'abuse.emailCode.button': 'Recevoir un code par e-mail',
    'abuse.emailCode.title': 'Saisissez votre code',
    'abuse.emailCode.sent': {
      one: 'Si {email} a un compte, nous lui avons envoyé un code à 6 chiffres. Il ne sert qu’une fois, pendant {count} minute.',
      other: 'Si {email} a un compte, nous lui avons envoyé un code à 6 chiffres. Il ne sert qu’une fois, pendant {count} minutes.',
    },
    'abuse.emailCode.label': 'Code reçu par e-mail',
    'abuse.emailCode.submit': 'Se connecter',
    'abuse.emailCode.missingEmail': 'Saisissez votre adresse e-mail pour recevoir un code.',
    'abuse.emailCode.malformed': 'Saisissez les 6 chiffres du code.',
    'abuse.emailCode.wrong': 'Le code est erroné, a expiré ou a déjà été utilisé.',
    'abuse.emailCode.throttled': {
      one: 'Trop de codes demandés ou essayés. Attendez {count} minute puis réessayez.',
      other: 'Trop de codes demandés ou essayés. Attendez {count} minutes puis réessayez.',
    },
    'abuse.emailCode.back': 'Se connecter autrement',
    'abuse.mail.subject': 'Votre code de connexion {brand}',
    'abuse.mail.text': {
      one: 'Votre code pour vous connecter à {brand} est :\n\n{code}\n\nIl ne sert qu’une fois, pendant {count} minute, dans le navigateur où vous l’avez demandé. Si vous ne l’avez pas demandé, ignorez cet e-mail : personne ne peut se connecter sans le code.',
      other:
        'Votre code pour vous connecter à {brand} est :\n\n{code}\n\nIl ne sert qu’une fois, pendant {count} minutes, dans le navigateur où vous l’avez demandé. Si vous ne l’avez pas demandé, ignorez cet e-mail : personne ne peut se connecter sans le code.',
    },
  },
  es: {
    'abuse.breached': 'Esta contraseña aparece en una filtración de datos conocida, así que otros podrían probarla. Elige otra.',
    'abuse.powFailed': 'La comprobación de seguridad automática de este formulario no se superó. Inténtalo de nuevo.',
    'abuse.powNotice': 'Tu navegador hace una breve comprobación de seguridad antes de enviar este formulario.',
    'abuse.emailCode.button': 'Enviarme un código por correo',
    'abuse.emailCode.title': 'Introduce tu código',
    'abuse.emailCode.sent': {
      one: 'Si {email} tiene una cuenta, le hemos enviado un código de 6 dígitos. Sirve una vez, durante {count} minuto.',
      other: 'Si {email} tiene una cuenta, le hemos enviado un código de 6 dígitos. Sirve una vez, durante {count} minutos.',
    },
    'abuse.emailCode.label': 'Código del correo',
    'abuse.emailCode.submit': 'Iniciar sesión',
    'abuse.emailCode.missingEmail': 'Introduce tu correo para recibir un código.',
    'abuse.emailCode.malformed': 'Introduce los 6 dígitos del código.',
    'abuse.emailCode.wrong': 'El código es incorrecto, ha caducado o ya se usó.',
    'abuse.emailCode.throttled': {
      one: 'Demasiados códigos pedidos o probados. Espera {count} minuto y vuelve a intentarlo.',
      other: 'Demasiados códigos pedidos o probados. Espera {count} minutos y vuelve a intentarlo.',
    },
    'abuse.emailCode.back': 'Iniciar sesión de otra forma',
    'abuse.mail.subject': 'Tu código de acceso a {brand}',
    'abuse.mail.text': {
      one: 'Tu código para iniciar sesión en {brand} es:\n\n{code}\n\nSirve una vez, durante {count} minuto, en el navegador donde lo pediste. Si no lo pediste, ignora este correo: nadie puede iniciar sesión sin el código.',
      other:
        'Tu código para iniciar sesión en {brand} es:\n\n{code}\n\nSirve una vez, durante {count} minutos, en el navegador donde lo pediste. Si no lo pediste, ignora este correo: nadie puede iniciar sesión sin el código.',
    },
  },
  ar: {
    'abuse.breached': 'كلمة المرور هذه موجودة في تسريب بيانات معروف، وقد يجربها آخرون. اختر كلمة مرور أخرى.',
    'abuse.powFailed': 'لم ينجح فحص الأمان التلقائي لهذا النموذج. حاول مرة أخرى.',
    'abuse.powNotice': 'يُجري متصفحك فحص أمان قصيرًا قبل إرسال هذا النموذج.',
    'abuse.emailCode.button': 'أرسل لي رمزًا بالبريد',
    'abuse.emailCode.title': 'أدخل الرمز',
    'abuse.emailCode.sent': arMinutes('إذا كان للعنوان {email} حساب، فقد أرسلنا إليه رمزًا من 6 أرقام. يصلح مرة واحدة، لمدة ', '.'),
    'abuse.emailCode.label': 'الرمز الوارد في البريد',
    'abuse.emailCode.submit': 'تسجيل الدخول',
    'abuse.emailCode.missingEmail': 'أدخل بريدك الإلكتروني لتتلقى رمزًا.',
    'abuse.emailCode.malformed': 'أدخل أرقام الرمز الستة.',
    'abuse.emailCode.wrong': 'الرمز خاطئ أو منتهي الصلاحية أو استُخدم من قبل.',
    'abuse.emailCode.throttled': arMinutes('طلبات أو محاولات رموز كثيرة جدًا. انتظر ', ' ثم حاول مرة أخرى.'),
    'abuse.emailCode.back': 'تسجيل الدخول بطريقة أخرى',
    'abuse.mail.subject': 'رمز تسجيل الدخول إلى {brand}',
    'abuse.mail.text': arMinutes(
      'رمزك لتسجيل الدخول إلى {brand} هو:\n\n{code}\n\nيصلح مرة واحدة، لمدة ',
      '، في المتصفح الذي طلبته منه. إذا لم تطلبه، فتجاهل هذه الرسالة: لا يمكن لأحد تسجيل الدخول دون الرمز.',
    ),
  },
});
