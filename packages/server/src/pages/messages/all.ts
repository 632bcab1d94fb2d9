import type { Message } from './catalog.js';
import type { PageArea } from './area.js';
import { PAGE_AREAS } from './areas.js';
import { type CoreCatalog, type CoreEnglish, en as coreEn } from './en.js';
import { ar } from './ar.js';
import { de } from './de.js';
import { es } from './es.js';
import { fr } from './fr.js';

/** The English messages of every area in the list, as one type. */
type AreasEnglish<T extends readonly unknown[]> = T extends readonly [infer Head, ...infer Rest]
  ? (Head extends { en: infer E } ? E : unknown) & AreasEnglish<Rest>
  : unknown;

/** Every English message, core and areas: the keys every language has. */
export type English = CoreEnglish & AreasEnglish<typeof PAGE_AREAS>;
export type MessageKey = keyof English & string;

/** A language's messages: every English key, no other. */
export type Catalog = { readonly [K in MessageKey]: Message };

const CORE = { en: coreEn, de, fr, es, ar } as const satisfies Record<string, CoreCatalog>;

function withAreas(locale: keyof typeof CORE): Catalog {
  const areas: readonly PageArea<Record<string, Message>>[] = PAGE_AREAS;
  return Object.assign({}, CORE[locale], ...areas.map((area) => area[locale])) as Catalog;
}

/** The full catalog of each language. */
export const MESSAGES = { en: withAreas('en'), de: withAreas('de'), fr: withAreas('fr'), es: withAreas('es'), ar: withAreas('ar') } as const;
