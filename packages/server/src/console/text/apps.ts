import { defineArea } from './area.js';

/** The applications pages' messages added after the core catalog (core-en.ts holds the rest). */
export const appsText = defineArea({
  en: {
    'apps.resources': 'APIs it may get access tokens for (one per line, optional)',
    'apps.resourcesHint':
      'Resource indicators (RFC 8707): the URL that names each API, e.g. https://api.example.com. Tokens for an API carry it as their audience.',
  },
  de: {
    'apps.resources': 'APIs, für die sie Zugriffstokens erhalten darf (eine pro Zeile, optional)',
    'apps.resourcesHint':
      'Ressourcen-Indikatoren (RFC 8707): die URL, die eine API benennt, z. B. https://api.example.com. Tokens für eine API tragen sie als Zielgruppe (aud).',
  },
  fr: {
    'apps.resources': 'API pour lesquelles elle peut obtenir des jetons d’accès (une par ligne, facultatif)',
    'apps.resourcesHint':
      'Indicateurs de ressource (RFC 8707) : l’URL qui désigne chaque API, par ex. https://api.example.com. Les jetons pour une API la portent comme audience (aud).',
  },
  es: {
    'apps.resources': 'API para las que puede obtener tokens de acceso (una por línea, opcional)',
    'apps.resourcesHint':
      'Indicadores de recurso (RFC 8707): la URL que nombra cada API, p. ej. https://api.example.com. Los tokens para una API la llevan como audiencia (aud).',
  },
  ar: {
    'apps.resources': 'واجهات API التي يمكنه الحصول على رموز وصول لها (واحدة في كل سطر، اختياري)',
    'apps.resourcesHint':
      'مؤشرات الموارد (RFC 8707): عنوان URL الذي يسمّي كل واجهة API، مثل https://api.example.com. تحمله رموز تلك الواجهة بوصفه الجمهور (aud).',
  },
});
