import { defineArea } from './area.js';

/** Removing one scope of a user's grant on the user's page (console/users.ts, pages/grant-scopes.tsx). */
export const grantScopesText = defineArea({
  en: {
    'grantScopes.remove': 'Remove {scope}',
    'grantScopes.removed': 'Scope removed. The app’s tokens with it stopped working; without openid or any scope left, the grant is revoked.',
  },
  de: {
    'grantScopes.remove': '{scope} entfernen',
    'grantScopes.removed':
      'Scope entfernt. Die Tokens der App mit diesem Scope funktionieren nicht mehr; ohne openid oder ohne verbleibenden Scope ist die Berechtigung widerrufen.',
  },
  fr: {
    'grantScopes.remove': 'Retirer {scope}',
    'grantScopes.removed':
      'Scope retiré. Les jetons de l’application qui le portaient ne fonctionnent plus ; sans openid ou sans scope restant, l’autorisation est révoquée.',
  },
  es: {
    'grantScopes.remove': 'Quitar {scope}',
    'grantScopes.removed':
      'Scope quitado. Los tokens de la aplicación que lo llevaban dejaron de funcionar; sin openid o sin ningún scope restante, la autorización queda revocada.',
  },
  ar: {
    'grantScopes.remove': 'إزالة {scope}',
    'grantScopes.removed': 'أُزيل النطاق. توقفت رموز التطبيق التي تحمله عن العمل؛ وبدون openid أو بدون أي نطاق متبقٍ يُلغى التفويض.',
  },
});
