import { definePageArea } from './area.js';

/** Removing one permission (scope) of an app on the "apps with access" page (account/remove-scope.ts). */
export const SCOPE_REVOCATION_AREA = definePageArea({
  en: {
    'scopeRevoke.remove': 'Remove',
    'scopeRevoke.removeLabel': 'Remove “{scope}” from {app}',
    'scopeRevoke.title': 'Remove a permission',
    'scopeRevoke.heading': 'Remove this permission from {app}?',
    'scopeRevoke.explain':
      '{app} will no longer be able to: {scope}. What it holds with this permission stops working now; if it asks for it again, you will be asked first.',
    'scopeRevoke.explainAll': 'Without this permission {app} cannot use your account at all, so its access is removed entirely.',
    'scopeRevoke.confirm': 'Remove permission',
    'scopeRevoke.cancel': 'Keep it',
    'scopeRevoke.notice': 'Permission removed. The app can no longer do that; if it asks for it again, you will be asked first.',
  },
  de: {
    'scopeRevoke.remove': 'Entfernen',
    'scopeRevoke.removeLabel': '„{scope}“ für {app} entfernen',
    'scopeRevoke.title': 'Eine Berechtigung entfernen',
    'scopeRevoke.heading': 'Diese Berechtigung für {app} entfernen?',
    'scopeRevoke.explain':
      '{app} kann dann nicht mehr: {scope}. Was die App mit dieser Berechtigung erhalten hat, funktioniert ab sofort nicht mehr; fragt sie erneut danach, werden Sie zuerst gefragt.',
    'scopeRevoke.explainAll': 'Ohne diese Berechtigung kann {app} Ihr Konto gar nicht nutzen; ihr Zugriff wird daher ganz entfernt.',
    'scopeRevoke.confirm': 'Berechtigung entfernen',
    'scopeRevoke.cancel': 'Behalten',
    'scopeRevoke.notice': 'Berechtigung entfernt. Die App kann das nicht mehr; fragt sie erneut danach, werden Sie zuerst gefragt.',
  },
  fr: {
    'scopeRevoke.remove': 'Retirer',
    'scopeRevoke.removeLabel': 'Retirer « {scope} » à {app}',
    'scopeRevoke.title': 'Retirer une autorisation',
    'scopeRevoke.heading': 'Retirer cette autorisation à {app} ?',
    'scopeRevoke.explain':
      '{app} ne pourra plus : {scope}. Ce qu’elle détient avec cette autorisation cesse de fonctionner dès maintenant ; si elle la demande de nouveau, votre accord vous sera d’abord demandé.',
    'scopeRevoke.explainAll': 'Sans cette autorisation, {app} ne peut plus utiliser votre compte : son accès est donc entièrement retiré.',
    'scopeRevoke.confirm': 'Retirer l’autorisation',
    'scopeRevoke.cancel': 'La conserver',
    'scopeRevoke.notice': 'Autorisation retirée. L’application ne peut plus le faire ; si elle la demande de nouveau, votre accord vous sera d’abord demandé.',
  },
  es: {
    'scopeRevoke.remove': 'Quitar',
    'scopeRevoke.removeLabel': 'Quitar «{scope}» a {app}',
    'scopeRevoke.title': 'Quitar un permiso',
    'scopeRevoke.heading': '¿Quitar este permiso a {app}?',
    'scopeRevoke.explain': '{app} ya no podrá: {scope}. Lo que tenga con este permiso deja de funcionar ahora; si vuelve a pedirlo, primero se te preguntará.',
    'scopeRevoke.explainAll': 'Sin este permiso, {app} no puede usar tu cuenta en absoluto, así que se quita todo su acceso.',
    'scopeRevoke.confirm': 'Quitar el permiso',
    'scopeRevoke.cancel': 'Conservarlo',
    'scopeRevoke.notice': 'Permiso quitado. La aplicación ya no puede hacerlo; si vuelve a pedirlo, primero se te preguntará.',
  },
  ar: {
    'scopeRevoke.remove': 'إزالة',
    'scopeRevoke.removeLabel': 'إزالة «{scope}» من {app}',
    'scopeRevoke.title': 'إزالة إذن',
    'scopeRevoke.heading': 'إزالة هذا الإذن من {app}؟',
    'scopeRevoke.explain': 'لن يتمكن {app} بعد الآن من: {scope}. ما يملكه بهذا الإذن يتوقف عن العمل الآن؛ وإذا طلبه مرة أخرى فسيُطلب إذنك أولًا.',
    'scopeRevoke.explainAll': 'بدون هذا الإذن لا يمكن لـ {app} استخدام حسابك إطلاقًا، لذا يُزال وصوله بالكامل.',
    'scopeRevoke.confirm': 'إزالة الإذن',
    'scopeRevoke.cancel': 'الإبقاء عليه',
    'scopeRevoke.notice': 'أُزيل الإذن. لم يعد بإمكان التطبيق فعل ذلك؛ وإذا طلبه مرة أخرى فسيُطلب إذنك أولًا.',
  },
});
