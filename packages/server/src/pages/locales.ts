import { type Catalog, MESSAGES } from './messages/all.js';

/** The languages of the hosted pages and mails, by their BCP 47 primary language subtag. */
export const CATALOGS = MESSAGES satisfies Record<string, Catalog>;

export type Locale = keyof typeof CATALOGS;

/** In the order discovery lists them (ui_locales_supported). */
export const LOCALES = Object.keys(CATALOGS) as Locale[];

export const DEFAULT_LOCALE: Locale = 'en';

const RIGHT_TO_LEFT: ReadonlySet<Locale> = new Set(['ar']);

export function isLocale(value: string): value is Locale {
  return Object.hasOwn(CATALOGS, value);
}

export function direction(locale: Locale): 'ltr' | 'rtl' {
  return RIGHT_TO_LEFT.has(locale) ? 'rtl' : 'ltr';
}

/**
 * The locale Intl formats dates in: British English keeps the day-month order the English page
 * has always shown; the others are their own.
 */
export function formattingLocale(locale: Locale): string {
  return locale === 'en' ? 'en-GB' : locale;
}
