import type { Child } from 'hono/jsx';
import type { PluralMessage, Placeholders } from './messages/catalog.js';
import type { English, MessageKey } from './messages/all.js';
import { CATALOGS, DEFAULT_LOCALE, type Locale, direction, formattingLocale } from './locales.js';

type Value = string | number;

/** The values a message takes: one per placeholder, none for a message without any. */
export type ValuesOf<K extends MessageKey> = { readonly [P in Placeholders<English[K]>]: Value };
export type ValuesArg<K extends MessageKey> = [Placeholders<English[K]>] extends [never] ? [] : [values: ValuesOf<K>];

/**
 * A message to show a person, not yet in their language: what handlers hand to pages (an error
 * line, a notice) and what a PageError carries, rendered by the page's Translator.
 */
export interface Text {
  readonly key: MessageKey;
  readonly values?: Readonly<Record<string, Value>>;
}

export function say<K extends MessageKey>(key: K, ...values: ValuesArg<K>): Text {
  return values[0] ? { key, values: values[0] } : { key };
}

/** The messages and formats of one language, for one page. */
export interface Translator {
  readonly locale: Locale;
  readonly dir: 'ltr' | 'rtl';
  /**
   * Whether the language was asked for (ui_locales) rather than taken from the browser's
   * Accept-Language: links and forms then carry it on, so the next page keeps it.
   */
  readonly chosen: boolean;
  /** The message as plain text, placeholders filled in (escaping is the renderer's). */
  t<K extends MessageKey>(key: K, ...values: ValuesArg<K>): string;
  /** A Text in this language. */
  say(text: Text): string;
  /** The message as JSX children, placeholders filled with strings (escaped) or elements. */
  rich<K extends MessageKey>(key: K, values: { readonly [P in Placeholders<English[K]>]: Child }): Child[];
  /** A date and time (seconds since the epoch) in UTC, as this language writes it. */
  dateTime(seconds: number): string;
  /** `href` with this language on it, when it was asked for (see `chosen`). */
  carry(href: string): string;
}

const PLACEHOLDER = /\{(\w+)\}/g;

function pick(locale: Locale, key: MessageKey, count: Value | undefined, rules: Intl.PluralRules): string {
  const message = CATALOGS[locale][key] as string | PluralMessage;
  if (typeof message === 'string') return message;
  const category = rules.select(typeof count === 'number' ? count : Number(count ?? 0));
  return message[category] ?? message.other;
}

function createTranslator(locale: Locale, chosen: boolean): Translator {
  const rules = new Intl.PluralRules(locale);
  const numbers = new Intl.NumberFormat(formattingLocale(locale), { useGrouping: false });
  const dates = new Intl.DateTimeFormat(formattingLocale(locale), { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
  const show = (value: Value): string => (typeof value === 'number' ? numbers.format(value) : value);
  const plain = (key: MessageKey, values: Readonly<Record<string, Value>> = {}): string =>
    pick(locale, key, values.count, rules).replace(PLACEHOLDER, (whole, name: string) => (Object.hasOwn(values, name) ? show(values[name] as Value) : whole));
  return {
    locale,
    dir: direction(locale),
    chosen,
    t: (key, ...values) => plain(key, values[0]),
    say: (text) => plain(text.key, text.values),
    rich: (key, values) => {
      const named = values as Readonly<Record<string, Child>>;
      const count = named.count;
      const parts = pick(locale, key, typeof count === 'number' || typeof count === 'string' ? count : undefined, rules).split(PLACEHOLDER);
      // split() with a group alternates text and placeholder names: even indexes are text.
      return parts.map((part, i) => {
        if (i % 2 === 0) return part;
        const value = named[part];
        return typeof value === 'number' ? numbers.format(value) : value;
      });
    },
    dateTime: (seconds) => dates.format(new Date(seconds * 1000)),
    carry: (href) => (chosen ? `${href}${href.includes('?') ? '&' : '?'}ui_locales=${locale}` : href),
  };
}

const TRANSLATORS = new Map<string, Translator>();

/** The Translator of `locale` (English by default); they are made once and shared. */
export function translator(locale: Locale = DEFAULT_LOCALE, chosen = false): Translator {
  const name = `${locale}:${chosen}`;
  let found = TRANSLATORS.get(name);
  if (!found) {
    found = createTranslator(locale, chosen);
    TRANSLATORS.set(name, found);
  }
  return found;
}
