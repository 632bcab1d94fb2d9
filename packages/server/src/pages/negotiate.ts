import { type Locale, isLocale } from './locales.js';

// Enough for any real preference list; a longer one is read no further than this.
const MAX_TAGS = 20;
const TAG = /^[a-z]{1,8}(?:-[a-z0-9]{1,8})*$/;

/** The supported language a BCP 47 tag asks for, by its primary subtag: de-AT is German. */
export function matchLanguageTag(tag: string): Locale | undefined {
  const lower = tag.trim().toLowerCase();
  if (!TAG.test(lower)) return undefined;
  const primary = lower.split('-', 1)[0] ?? '';
  return isLocale(primary) ? primary : undefined;
}

/**
 * The first supported language of an OIDC `ui_locales` value (Core §3.1.2.1: space-separated
 * BCP 47 tags, most preferred first). Unsupported or malformed tags are passed over, never an
 * error: the parameter is a preference.
 */
export function fromUiLocales(value: string | undefined | null): Locale | undefined {
  if (!value) return undefined;
  for (const tag of value.split(' ').filter(Boolean).slice(0, MAX_TAGS)) {
    const match = matchLanguageTag(tag);
    if (match) return match;
  }
  return undefined;
}

/**
 * The best supported language of an Accept-Language header (RFC 9110 §12.5.4): by q-value,
 * then in the order given; q=0 means "not this one", and `*` is left to the default.
 */
export function fromAcceptLanguage(header: string | undefined | null): Locale | undefined {
  if (!header) return undefined;
  const ranges: { locale: Locale; q: number; order: number }[] = [];
  header
    .split(',')
    .slice(0, MAX_TAGS)
    .forEach((part, order) => {
      const [tag = '', ...params] = part.split(';');
      let q = 1;
      for (const param of params) {
        const [name, value] = param.split('=').map((s) => s.trim());
        if (name?.toLowerCase() === 'q') q = value !== undefined && /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/.test(value) ? Number(value) : 0;
      }
      const locale = matchLanguageTag(tag);
      if (locale && q > 0) ranges.push({ locale, q, order });
    });
  ranges.sort((a, b) => b.q - a.q || a.order - b.order);
  return ranges[0]?.locale;
}
