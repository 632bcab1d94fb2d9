import { defineArea } from './area.js';

/** "Try sign-in" on an app's page (try-sign-in.ts). */
export const tryText = defineArea({
  en: {
    'try.title': 'Try sign-in',
    'try.intro':
      'Runs a real sign-in with this application’s own settings: its client ID, scopes and client authentication. You sign in as any account of this issuer, and see the tokens the app would get, decoded and checked.',
    'try.enableText':
      'The try comes back to the console, so this address must be one of the app’s redirect URIs (Gatehouse matches them exactly). Adding it is a change to the app, recorded in the audit log; remove it again when you no longer need it.',
    'try.enable': 'Add the try address',
    'try.enabled': 'The try address was added to the redirect URIs.',
    'try.secret': 'Client secret',
    'try.secretHint': 'The app’s secret, used for this try’s token request only. It stays sealed in your browser for at most ten minutes and is never stored.',
    'try.secretMissing': 'Enter the client secret to try a confidential application.',
    'try.start': 'Try sign-in',
    'try.resultTitle': 'Try sign-in: the result',
    'try.flow': 'This try could not be completed (it may have expired, or been started in another tab). Start it again from the application’s page.',
    'try.failed': 'The sign-in did not give tokens: {error}.',
    'try.done': 'The sign-in worked. These are the tokens the application would get; they have been revoked since, so the try leaves no working token behind.',
    'try.subject': 'Signed in as (sub)',
    'try.scope': 'Scopes granted',
    'try.expiresIn': 'Access token lifetime, in seconds',
    'try.nonce': 'ID token verified, nonce matched',
    'try.yes': 'yes',
    'try.no': 'no',
    'try.back': 'Back to {name}',
  },
  de: {
    'try.title': 'Anmeldung testen',
    'try.intro':
      'Führt eine echte Anmeldung mit den Einstellungen dieser Anwendung aus: ihrer Client-ID, ihren Scopes und ihrer Client-Authentifizierung. Sie melden sich mit einem beliebigen Konto dieses Ausstellers an und sehen die Tokens, die die Anwendung erhalten würde, dekodiert und geprüft.',
    'try.enableText':
      'Der Test kehrt zur Konsole zurück, daher muss diese Adresse eine der Weiterleitungs-URIs der Anwendung sein (Gatehouse vergleicht sie exakt). Das Hinzufügen ist eine Änderung der Anwendung und wird im Prüfprotokoll festgehalten; entfernen Sie sie wieder, wenn Sie sie nicht mehr brauchen.',
    'try.enable': 'Testadresse hinzufügen',
    'try.enabled': 'Die Testadresse wurde zu den Weiterleitungs-URIs hinzugefügt.',
    'try.secret': 'Client-Geheimnis',
    'try.secretHint':
      'Das Geheimnis der Anwendung, nur für die Token-Anfrage dieses Tests verwendet. Es bleibt höchstens zehn Minuten versiegelt in Ihrem Browser und wird nie gespeichert.',
    'try.secretMissing': 'Geben Sie das Client-Geheimnis ein, um eine vertrauliche Anwendung zu testen.',
    'try.start': 'Anmeldung testen',
    'try.resultTitle': 'Anmeldung testen: das Ergebnis',
    'try.flow':
      'Dieser Test konnte nicht abgeschlossen werden (er ist vielleicht abgelaufen oder wurde in einem anderen Tab gestartet). Starten Sie ihn erneut auf der Seite der Anwendung.',
    'try.failed': 'Die Anmeldung hat keine Tokens geliefert: {error}.',
    'try.done':
      'Die Anmeldung hat funktioniert. Dies sind die Tokens, die die Anwendung erhalten würde; sie wurden inzwischen widerrufen, der Test hinterlässt also kein gültiges Token.',
    'try.subject': 'Angemeldet als (sub)',
    'try.scope': 'Gewährte Scopes',
    'try.expiresIn': 'Lebensdauer des Zugriffstokens, in Sekunden',
    'try.nonce': 'ID-Token geprüft, Nonce stimmt',
    'try.yes': 'ja',
    'try.no': 'nein',
    'try.back': 'Zurück zu {name}',
  },
  fr: {
    'try.title': 'Essayer la connexion',
    'try.intro':
      'Lance une vraie connexion avec les réglages propres à cette application : son identifiant client, ses scopes et son authentification client. Vous vous connectez avec n’importe quel compte de cet émetteur et voyez les jetons que l’application recevrait, décodés et vérifiés.',
    'try.enableText':
      'L’essai revient à la console : cette adresse doit donc faire partie des URI de redirection de l’application (Gatehouse les compare exactement). L’ajouter modifie l’application et figure dans le journal d’audit ; retirez-la quand vous n’en avez plus besoin.',
    'try.enable': 'Ajouter l’adresse d’essai',
    'try.enabled': 'L’adresse d’essai a été ajoutée aux URI de redirection.',
    'try.secret': 'Secret client',
    'try.secretHint':
      'Le secret de l’application, utilisé uniquement pour la requête de jeton de cet essai. Il reste scellé dans votre navigateur dix minutes au plus et n’est jamais enregistré.',
    'try.secretMissing': 'Saisissez le secret client pour essayer une application confidentielle.',
    'try.start': 'Essayer la connexion',
    'try.resultTitle': 'Essai de connexion : le résultat',
    'try.flow': 'Cet essai n’a pas pu aboutir (il a peut-être expiré, ou a été lancé dans un autre onglet). Relancez-le depuis la page de l’application.',
    'try.failed': 'La connexion n’a pas donné de jetons : {error}.',
    'try.done':
      'La connexion a fonctionné. Voici les jetons que l’application recevrait ; ils ont été révoqués depuis, l’essai ne laisse donc aucun jeton valide.',
    'try.subject': 'Connecté en tant que (sub)',
    'try.scope': 'Scopes accordés',
    'try.expiresIn': 'Durée de vie du jeton d’accès, en secondes',
    'try.nonce': 'Jeton d’identité vérifié, nonce conforme',
    'try.yes': 'oui',
    'try.no': 'non',
    'try.back': 'Retour à {name}',
  },
  es: {
    'try.title': 'Probar el inicio de sesión',
    'try.intro':
      'Ejecuta un inicio de sesión real con la configuración propia de esta aplicación: su ID de cliente, sus scopes y su autenticación de cliente. Inicia sesión con cualquier cuenta de este emisor y ve los tokens que recibiría la aplicación, decodificados y comprobados.',
    'try.enableText':
      'La prueba vuelve a la consola, así que esta dirección debe ser uno de los URI de redirección de la aplicación (Gatehouse los compara de forma exacta). Añadirla es un cambio en la aplicación y queda en el registro de auditoría; quítela cuando ya no la necesite.',
    'try.enable': 'Añadir la dirección de prueba',
    'try.enabled': 'La dirección de prueba se añadió a los URI de redirección.',
    'try.secret': 'Secreto de cliente',
    'try.secretHint':
      'El secreto de la aplicación, usado solo para la solicitud de token de esta prueba. Permanece sellado en su navegador diez minutos como máximo y nunca se guarda.',
    'try.secretMissing': 'Introduzca el secreto de cliente para probar una aplicación confidencial.',
    'try.start': 'Probar el inicio de sesión',
    'try.resultTitle': 'Prueba de inicio de sesión: el resultado',
    'try.flow':
      'Esta prueba no pudo completarse (puede haber caducado o haberse iniciado en otra pestaña). Iníciela de nuevo desde la página de la aplicación.',
    'try.failed': 'El inicio de sesión no dio tokens: {error}.',
    'try.done':
      'El inicio de sesión funcionó. Estos son los tokens que recibiría la aplicación; ya se han revocado, así que la prueba no deja ningún token válido.',
    'try.subject': 'Sesión iniciada como (sub)',
    'try.scope': 'Scopes concedidos',
    'try.expiresIn': 'Duración del token de acceso, en segundos',
    'try.nonce': 'Token de ID verificado, nonce correcto',
    'try.yes': 'sí',
    'try.no': 'no',
    'try.back': 'Volver a {name}',
  },
  ar: {
    'try.title': 'تجربة تسجيل الدخول',
    'try.intro':
      'يُجري تسجيل دخول حقيقيًا بإعدادات هذا التطبيق نفسها: مُعرّف العميل والنطاقات (scopes) ومصادقة العميل. تسجّل الدخول بأي حساب لدى هذا المُصدِر، وترى الرموز التي سيحصل عليها التطبيق، مفكوكة ومُتحقَّقًا منها.',
    'try.enableText':
      'تعود التجربة إلى لوحة التحكم، لذا يجب أن يكون هذا العنوان أحد عناوين إعادة التوجيه للتطبيق (يطابقها Gatehouse تمامًا). إضافته تغيير في التطبيق يُسجَّل في سجل التدقيق؛ احذفه عندما لا تعود بحاجة إليه.',
    'try.enable': 'إضافة عنوان التجربة',
    'try.enabled': 'أُضيف عنوان التجربة إلى عناوين إعادة التوجيه.',
    'try.secret': 'سرّ العميل',
    'try.secretHint': 'سرّ التطبيق، يُستخدم لطلب الرمز في هذه التجربة فقط. يبقى مختومًا في متصفحك عشر دقائق على الأكثر ولا يُخزَّن أبدًا.',
    'try.secretMissing': 'أدخل سرّ العميل لتجربة تطبيق سرّي.',
    'try.start': 'تجربة تسجيل الدخول',
    'try.resultTitle': 'تجربة تسجيل الدخول: النتيجة',
    'try.flow': 'تعذّر إكمال هذه التجربة (ربما انتهت صلاحيتها أو بدأت في علامة تبويب أخرى). ابدأها من جديد من صفحة التطبيق.',
    'try.failed': 'لم يُعطِ تسجيل الدخول رموزًا: {error}.',
    'try.done': 'نجح تسجيل الدخول. هذه هي الرموز التي سيحصل عليها التطبيق؛ وقد أُلغيت بعد ذلك، فلا تترك التجربة أي رمز صالح.',
    'try.subject': 'مسجَّل الدخول باسم (sub)',
    'try.scope': 'النطاقات الممنوحة',
    'try.expiresIn': 'مدة صلاحية رمز الوصول، بالثواني',
    'try.nonce': 'تم التحقق من رمز الهوية وتطابق الـ nonce',
    'try.yes': 'نعم',
    'try.no': 'لا',
    'try.back': 'العودة إلى {name}',
  },
});
