import { definePageArea } from './area.js';

/** The consent page's words for an issuer's own scopes and APIs (claims/, pages/scope-text.ts). */
export const SCOPES_AREA = definePageArea({
  en: {
    'scopes.forApi': 'For {api}',
  },
  de: {
    'scopes.forApi': 'Für {api}',
  },
  fr: {
    'scopes.forApi': 'Pour {api}',
  },
  es: {
    'scopes.forApi': 'Para {api}',
  },
  ar: {
    'scopes.forApi': 'لـ {api}',
  },
});
