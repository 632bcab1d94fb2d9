import type { Locale } from '../../pages/locales.js';

/** Messages of one console area in every language; the English defines the keys. */
export type Area<E extends Record<string, string>> = { readonly en: E } & {
  readonly [L in Exclude<Locale, 'en'>]: { readonly [K in keyof E]: string };
};

/**
 * Keeps an area's English keys as literal types, and makes the compiler refuse a language
 * that lacks one or has one more (test/console/catalogs.test.ts checks the placeholders).
 */
export function defineArea<const E extends Record<string, string>>(area: Area<E>): Area<E> {
  return area;
}
