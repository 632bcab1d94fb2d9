import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromAcceptLanguage, fromUiLocales, matchLanguageTag } from '../../src/pages/negotiate.js';

describe('choosing the language', () => {
  it('matches a tag by its primary language, whatever its region, script or case', () => {
    assert.equal(matchLanguageTag('de-AT'), 'de');
    assert.equal(matchLanguageTag('FR-ca'), 'fr');
    assert.equal(matchLanguageTag('es-419'), 'es');
    assert.equal(matchLanguageTag('ar-EG'), 'ar');
    assert.equal(matchLanguageTag('en'), 'en');
    for (const tag of ['nl', 'deu', '', '*', 'de_AT', 'de-', '<script>', 'x'.repeat(40)]) assert.equal(matchLanguageTag(tag), undefined, tag);
  });

  it('takes the first supported tag of ui_locales, in its order, passing over the rest', () => {
    assert.equal(fromUiLocales('nl de-CH fr'), 'de');
    assert.equal(fromUiLocales('  ar  '), 'ar');
    assert.equal(fromUiLocales('nl ja'), undefined);
    assert.equal(fromUiLocales('%%% fr'), 'fr');
    assert.equal(fromUiLocales(undefined), undefined);
    assert.equal(fromUiLocales(''), undefined);
  });

  it('takes Accept-Language by q-value, then by order; q=0 is a refusal and * is left to the default', () => {
    assert.equal(fromAcceptLanguage('de-AT,de;q=0.9,en;q=0.8'), 'de');
    assert.equal(fromAcceptLanguage('nl, fr;q=0.5, es;q=0.7'), 'es');
    assert.equal(fromAcceptLanguage('fr;q=0.5, es;q=0.5'), 'fr');
    assert.equal(fromAcceptLanguage('ar;q=0, de;q=0.1'), 'de');
    assert.equal(fromAcceptLanguage('*'), undefined);
    assert.equal(fromAcceptLanguage('nl, ja;q=0.9'), undefined);
    assert.equal(fromAcceptLanguage('de;q=2, fr;q=abc, es'), 'es');
    assert.equal(fromAcceptLanguage(`${'nl,'.repeat(30)}de`), undefined, 'read no further than 20 ranges');
    assert.equal(fromAcceptLanguage(undefined), undefined);
  });
});
