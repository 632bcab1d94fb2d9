import type { Context } from 'hono';
import { type Locale, isLocale } from '../pages/locales.js';
import { fromAcceptLanguage, fromUiLocales } from '../pages/negotiate.js';
import { type Translator, translator } from '../pages/translator.js';

// The language an interaction was asked in, for the rest of its request (error pages too).
const asked = new WeakMap<Request, Locale>();

/** Keeps the language of the interaction this request is about (its stored ui_locales). */
export function useAskedLocale(c: Context, locale: Locale | undefined): void {
  // Read back from a stored row: only a language there is a catalog for counts.
  if (locale && isLocale(locale)) asked.set(c.req.raw, locale);
}

/**
 * The language of a hosted page: the one the interaction was asked in (ui_locales of the
 * authorization request), or a `ui_locales` in this URL (carried on by the pages' own links
 * and forms), then the browser's Accept-Language, then English.
 */
export function pageTranslator(c: Context): Translator {
  // URL never throws on a malformed query: this runs in the error handler too.
  const chosen = asked.get(c.req.raw) ?? fromUiLocales(new URL(c.req.url).searchParams.get('ui_locales'));
  if (chosen) return translator(chosen, true);
  return translator(fromAcceptLanguage(c.req.header('accept-language')));
}
