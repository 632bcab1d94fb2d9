import type { Message } from './catalog.js';

/** The languages other than English, spelled here so an area file needs no runtime import of locales.ts. */
type OtherLocale = 'de' | 'fr' | 'es' | 'ar';

/** The messages of one area of the hosted pages (sign-up, passkeys, …) in every language; English defines the keys. */
export type PageArea<E extends Record<string, Message>> = { readonly en: E } & {
  readonly [L in OtherLocale]: { readonly [K in keyof E]: Message };
};

/**
 * Keeps an area's English messages as literal types (so placeholders are typed) and makes the
 * compiler refuse a language that lacks a key or has one more; test/pages/catalogs.test.ts
 * checks placeholders and plural forms as it does for the core catalogs.
 */
export function definePageArea<const E extends Record<string, Message>>(area: PageArea<E>): PageArea<E> {
  return area;
}
