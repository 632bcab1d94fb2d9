import type { Locale } from '../../pages/locales.js';
import { formattingLocale } from '../../pages/locales.js';
import { CATALOGS, type ConsoleKey } from './catalog.js';

type Value = string | number;

/** The console's messages in one language (the same five as the hosted pages). */
export interface ConsoleText {
  readonly locale: Locale;
  readonly dir: 'ltr' | 'rtl';
  t(key: ConsoleKey, values?: Readonly<Record<string, Value>>): string;
  /** A date and time (seconds since the epoch), in UTC. */
  dateTime(seconds: number): string;
  /** A day (seconds since the epoch), short, in UTC. */
  day(seconds: number): string;
  number(value: number): string;
}

const cache = new Map<Locale, ConsoleText>();

export function consoleText(locale: Locale): ConsoleText {
  const found = cache.get(locale);
  if (found) return found;
  const catalog = CATALOGS[locale];
  const numbers = new Intl.NumberFormat(formattingLocale(locale));
  const dates = new Intl.DateTimeFormat(formattingLocale(locale), { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
  const days = new Intl.DateTimeFormat(formattingLocale(locale), { month: 'short', day: 'numeric', timeZone: 'UTC' });
  const text: ConsoleText = {
    locale,
    dir: locale === 'ar' ? 'rtl' : 'ltr',
    t: (key, values = {}) =>
      catalog[key].replace(/\{(\w+)\}/g, (whole, name: string) => {
        if (!Object.hasOwn(values, name)) return whole;
        const value = values[name] as Value;
        return typeof value === 'number' ? numbers.format(value) : value;
      }),
    dateTime: (seconds) => dates.format(new Date(seconds * 1000)),
    day: (seconds) => days.format(new Date(seconds * 1000)),
    number: (value) => numbers.format(value),
  };
  cache.set(locale, text);
  return text;
}
