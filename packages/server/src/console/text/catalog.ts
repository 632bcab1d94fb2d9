import type { Locale } from '../../pages/locales.js';
import type { Area } from './area.js';
import { coreAr } from './core-ar.js';
import { coreDe } from './core-de.js';
import { coreEn } from './core-en.js';
import { coreEs } from './core-es.js';
import { coreFr } from './core-fr.js';
import { appsText } from './apps.js';
import { tryText } from './try.js';
import { usersText } from './users.js';
import { auditText } from './audit.js';
import { brandingText } from './branding.js';
import { issuersText } from './issuers.js';
import { securityText } from './security.js';
import { keysText } from './keys.js';
import { signUpText } from './sign-up.js';
import { organizationsText } from './organizations.js';
import { mfaText } from './mfa.js';
import { webhooksText } from './webhooks.js';
import { logoutText } from './logout.js';
import { closuresText } from './closures.js';
import { grantScopesText } from './grant-scopes.js';
import { claimsText } from './claims.js';
import { upstreamProvidersText } from './upstream-providers.js';

/** Every console area's messages: one line per area file (text/<area>.ts). */
const AREAS = [
  appsText,
  tryText,
  usersText,
  auditText,
  brandingText,
  issuersText,
  securityText,
  organizationsText,
  keysText,
  signUpText,
  mfaText,
  webhooksText,
  logoutText,
  closuresText,
  grantScopesText,
  claimsText,
  upstreamProvidersText,
] as const satisfies readonly Area<Record<string, string>>[];

type AreaKey<A> = A extends { en: infer E } ? keyof E : never;

export type ConsoleKey = keyof typeof coreEn | AreaKey<(typeof AREAS)[number]>;

/** A language's console messages: every English key, no other. */
export type ConsoleCatalog = { readonly [K in ConsoleKey]: string };

/** The core messages of a language other than English: the same keys as coreEn. */
export type CoreCatalog = { readonly [K in keyof typeof coreEn]: string };

const CORE: Readonly<Record<Locale, CoreCatalog>> = { en: coreEn, de: coreDe, fr: coreFr, es: coreEs, ar: coreAr };

function catalogOf(locale: Locale): ConsoleCatalog {
  return Object.assign({}, CORE[locale], ...AREAS.map((area: Area<Record<string, string>>) => area[locale])) as ConsoleCatalog;
}

export const CATALOGS: Readonly<Record<Locale, ConsoleCatalog>> = {
  en: catalogOf('en'),
  de: catalogOf('de'),
  fr: catalogOf('fr'),
  es: catalogOf('es'),
  ar: catalogOf('ar'),
};
