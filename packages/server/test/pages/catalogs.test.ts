import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CATALOGS, LOCALES } from '../../src/pages/locales.js';
import type { Message } from '../../src/pages/messages/catalog.js';
import { say, translator } from '../../src/pages/translator.js';

const en = CATALOGS.en;

const forms = (message: Message): string[] => (typeof message === 'string' ? [message] : Object.values(message));
const placeholders = (message: Message): string[] =>
  [...new Set(forms(message).flatMap((form) => [...form.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '')))].sort();

// The compiler checks that every catalog has exactly the English keys; these check what it cannot.
describe('message catalogs', () => {
  it('ships English, German, French, Spanish and Arabic, each with every English key and no other', () => {
    assert.deepEqual(LOCALES, ['en', 'de', 'fr', 'es', 'ar']);
    for (const locale of LOCALES) assert.deepEqual(Object.keys(CATALOGS[locale]).sort(), Object.keys(en).sort(), locale);
  });

  it('fills in the same placeholders as English in every language (a plural form may spell the number out)', () => {
    for (const locale of LOCALES) {
      for (const [key, english] of Object.entries(en)) {
        const message = CATALOGS[locale][key as keyof typeof en];
        const wanted = placeholders(english).filter((name) => typeof message === 'string' || name !== 'count');
        const got = placeholders(message).filter((name) => typeof message === 'string' || name !== 'count');
        assert.deepEqual(got, wanted, `${locale} ${key}`);
        for (const form of forms(message)) assert.ok(form.trim().length > 0, `${locale} ${key} is not empty`);
      }
    }
  });

  it('has a form for every plural category a language uses for the numbers the pages show', () => {
    for (const locale of LOCALES) {
      const rules = new Intl.PluralRules(locale);
      for (const [key, message] of Object.entries(CATALOGS[locale])) {
        if (typeof message === 'string') continue;
        for (let n = 0; n <= 1100; n++) assert.ok(message[rules.select(n)] !== undefined, `${locale} ${key}: no "${rules.select(n)}" form (for ${n})`);
      }
    }
  });

  it('interpolates values and picks plural forms; markup in values is left to the renderer to escape', () => {
    const t = translator('en');
    assert.equal(t.t('login.cancel', { client: '<b>Acme</b>' }), 'Cancel and return to <b>Acme</b>');
    assert.equal(t.t('login.throttled', { count: 1 }), 'Too many failed sign-in attempts. Wait 1 minute and try again.');
    assert.equal(t.t('login.throttled', { count: 15 }), 'Too many failed sign-in attempts. Wait 15 minutes and try again.');
    const ar = translator('ar');
    assert.match(ar.t('login.throttled', { count: 2 }), /دقيقتين/);
    assert.match(ar.t('login.throttled', { count: 5 }), /5 دقائق/);
    assert.match(ar.t('login.throttled', { count: 15 }), /15 دقيقة/);
    assert.equal(translator('de').say(say('password.tooShort', { count: 8 })), 'Das Passwort muss mindestens 8 Zeichen lang sein.');
  });

  it('names each remove button with its visible text first, so a voice command for what is seen works', () => {
    for (const locale of LOCALES) {
      const t = translator(locale);
      assert.ok(t.t('apps.removeLabel', { app: 'Acme' }).startsWith(t.t('apps.remove')), locale);
    }
  });

  it('gives Arabic right to left and the others left to right', () => {
    assert.deepEqual(
      LOCALES.map((l) => translator(l).dir),
      ['ltr', 'ltr', 'ltr', 'ltr', 'rtl'],
    );
  });
});
