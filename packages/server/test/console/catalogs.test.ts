import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CATALOGS } from '../../src/console/text/catalog.js';
import { coreEn } from '../../src/console/text/core-en.js';
import { consoleText } from '../../src/console/text/translate.js';
import { LOCALES, type Locale } from '../../src/pages/locales.js';

type Messages = Readonly<Record<string, string>>;

const placeholders = (text: string): string[] => [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? ''))].sort();

/**
 * The few messages that are the very same word in a language as in English (a loanword the
 * language uses as is). Anything else equal to English is an untranslated message.
 */
const SAME_AS_ENGLISH: Readonly<Record<Exclude<Locale, 'en'>, readonly string[]>> = {
  de: ['field.name', 'inspect.token', 'inspect.kind.other'],
  fr: ['nav.label', 'nav.apps', 'apps.title', 'apps.type', 'overview.apps'],
  es: ['inspect.token', 'inspect.kind.other', 'try.no', 'orgs.no', 'orgs.roles', 'orgs.memberRoles'],
  ar: [],
};

/** What must stay as it is in every language: code, commands, protocol names, file names. */
const VERBATIM = [
  'Gatehouse',
  'openid profile email offline_access',
  'gatehouse admin create',
  'PKCE',
  'JWT',
  'JWE',
  'JSON',
  'base64url',
  '.env',
  'Next.js',
  'React',
  'iOS',
  'Android',
];

/** Whether a message has words of its own, not only {placeholders} and punctuation ("{kind}:"). */
const hasWords = (text: string): boolean => /\p{L}/u.test(text.replace(/\{\w+\}/g, ''));

/** The keys of `messages` whose text is the English text, other than those allowed. */
function untranslated(messages: Messages, allowed: readonly string[]): string[] {
  const english: Messages = CATALOGS.en;
  return Object.keys(english).filter((key) => messages[key] === english[key] && hasWords(english[key] ?? '') && !allowed.includes(key));
}

/** URLs, snake_case names and parenthesised identifiers such as (kid) of an English message. */
function identifiers(text: string): string[] {
  const urls = [...text.matchAll(/\b[a-z][a-z0-9.+-]*:\/{1,2}[^\s)]*[^\s).,]/g)].map((m) => m[0]);
  const snake = [...text.matchAll(/\b[a-z]+(?:_[a-z]+)+\b/g)].map((m) => m[0]);
  const named = [...text.matchAll(/\(([a-z]+(?: none)?)\)/g)].map((m) => m[1] ?? '');
  return [...urls, ...snake, ...named, ...VERBATIM.filter((word) => text.includes(word))];
}

const others = LOCALES.filter((l): l is Exclude<Locale, 'en'> => l !== 'en');

describe('console message catalogs', () => {
  it('has every English key, and no other, in each of the five languages', () => {
    const keys = Object.keys(CATALOGS.en).sort();
    assert.ok(keys.length >= Object.keys(coreEn).length);
    for (const locale of LOCALES) assert.deepEqual(Object.keys(CATALOGS[locale]).sort(), keys, locale);
  });

  it('fills in the same {placeholders} as English, and leaves no message empty', () => {
    for (const locale of LOCALES) {
      const messages: Messages = CATALOGS[locale];
      for (const [key, english] of Object.entries(CATALOGS.en as Messages)) {
        const text = messages[key] ?? '';
        assert.ok(text.trim().length > 0, `${locale} ${key} is empty`);
        assert.deepEqual(placeholders(text), placeholders(english), `${locale} ${key}`);
      }
    }
  });

  it('translates every message but the few listed words that are the same in the language', () => {
    for (const locale of others) {
      assert.deepEqual(untranslated(CATALOGS[locale], SAME_AS_ENGLISH[locale]), [], `${locale}: equal to English`);
      // The list stays honest: a listed key that was translated after all leaves it.
      for (const key of SAME_AS_ENGLISH[locale]) assert.equal((CATALOGS[locale] as Messages)[key], (CATALOGS.en as Messages)[key], `${locale} ${key}`);
    }
  });

  it('would refuse a copy of English (the temporary catalogs a new area starts from)', () => {
    const copy: Messages = { ...CATALOGS.en };
    const worded = Object.values(copy).filter(hasWords).length;
    assert.equal(untranslated(copy, SAME_AS_ENGLISH.de).length, worded - SAME_AS_ENGLISH.de.length);
    const half: Messages = { ...CATALOGS.de, 'apps.rotate': CATALOGS.en['apps.rotate'] };
    assert.deepEqual(untranslated(half, SAME_AS_ENGLISH.de), ['apps.rotate']);
  });

  it('keeps URLs, commands, parameter names and protocol names untranslated', () => {
    for (const [key, english] of Object.entries(CATALOGS.en as Messages)) {
      for (const word of identifiers(english)) {
        for (const locale of others) assert.ok((CATALOGS[locale] as Messages)[key]?.includes(word), `${locale} ${key} lost "${word}"`);
      }
    }
  });

  it('writes Arabic in Arabic script, and the console gives it right to left', () => {
    for (const [key, text] of Object.entries(CATALOGS.ar as Messages)) if (hasWords(text)) assert.match(text, /[\u0600-\u06FF]/, `ar ${key}`);
    assert.deepEqual(
      LOCALES.map((l) => consoleText(l).dir),
      ['ltr', 'ltr', 'ltr', 'ltr', 'rtl'],
    );
  });

  it('fills placeholders with numbers in the language’s own format', () => {
    assert.equal(consoleText('de').t('inspect.expired', { minutes: 5 }), 'Es ist vor 5 Min. abgelaufen.');
    assert.equal(consoleText('de').t('overview.signIns', { days: 1000 }), 'Anmeldungen in 1.000 Tagen');
    assert.equal(consoleText('fr').t('apps.deleteConfirm', { name: 'Boutique' }), 'Oui, supprimer Boutique');
    assert.match(consoleText('ar').t('overview.signIns', { days: 14 }), /14|١٤/);
  });
});
