import { THEMES, AFFECTED_GROUPS } from '../migrations/1795961000000-themes.data';
import { LANGUAGES, pickLanguage, Translator, translator } from '../src/i18n/i18n';
import { FORM_GROUPS, FORM_THEMES } from '../src/web/testify/testify-choices';
import { CATALOGUES } from './support/testify-pages';

/**
 * The message catalogues (src/i18n/locales): every language has every key of English and no other,
 * no text is empty, and a text left in English in another language is caught (only the few that are
 * the same in both, listed here, may be).
 */
const SAME_AS_ENGLISH: Record<string, string[]> = { es: [], fr: [], ht: [] };

describe('i18n catalogues', () => {
  const english = CATALOGUES.en;

  it.each(LANGUAGES.filter((l) => l !== 'en'))('should give %s exactly the keys of English', (language) => {
    const keys = [...CATALOGUES[language].keys()].sort();
    const englishKeys = [...english.keys()].sort();
    expect({ missing: englishKeys.filter((k) => !keys.includes(k)), extra: keys.filter((k) => !englishKeys.includes(k)) }).toEqual({ missing: [], extra: [] });
  });

  it.each(LANGUAGES)('should have no empty text in %s', (language) => {
    expect([...CATALOGUES[language]].filter(([, text]) => text.trim() === '').map(([key]) => key)).toEqual([]);
  });

  it.each(LANGUAGES.filter((l) => l !== 'en'))('should leave no text of %s in English', (language) => {
    const same = [...CATALOGUES[language]].filter(([key, text]) => english.get(key) === text && !SAME_AS_ENGLISH[language].includes(key)).map(([key]) => key);
    expect(same).toEqual([]);
  });

  it.each(LANGUAGES.filter((l) => l !== 'en'))('should keep the {{values}} of every English text in %s', (language) => {
    const names = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    const differing = [...english].filter(([key, text]) => names(text).join() !== names(CATALOGUES[language].get(key) ?? '').join()).map(([key]) => key);
    expect(differing).toEqual([]);
  });

  it('should offer on the form only canonical themes and groups, each named in the catalogues', () => {
    const codes = new Set(THEMES.map(([code]) => code));
    expect(FORM_THEMES.filter((code) => !codes.has(code))).toEqual([]);
    expect(FORM_GROUPS.filter(([, name]) => !AFFECTED_GROUPS.includes(name))).toEqual([]);
    expect(FORM_THEMES.filter((code) => !english.has(`themes.${code}`))).toEqual([]);
    expect(FORM_GROUPS.filter(([key]) => !english.has(`groups.${key}`))).toEqual([]);
    expect([...english.keys()].filter((k) => k.startsWith('themes.')).length).toBe(FORM_THEMES.length);
    expect([...english.keys()].filter((k) => k.startsWith('groups.')).length).toBe(FORM_GROUPS.length);
  });

  it('should translate with the language given, whatever was asked before, and fall back to English for a missing key', () => {
    const t = new Translator({ en: { a: 'Hello {{name}}', b: 'Only English' }, es: { a: 'Hola {{name}}' }, fr: { a: 'Bonjour {{name}}' }, ht: { a: 'Bonjou {{name}}' } });
    expect([t.t('es', 'a', { name: 'Ana' }), t.t('en', 'a', { name: 'Ann' }), t.t('ht', 'a', { name: 'Jan' })]).toEqual(['Hola Ana', 'Hello Ann', 'Bonjou Jan']);
    expect(t.t('fr', 'b')).toBe('Only English');
    expect([t.has('fr', 'b'), t.has('en', 'b')]).toEqual([false, true]);
    // Values are not HTML-escaped by the translator: pages escape them, emails' text parts need none.
    expect(t.t('en', 'a', { name: '<b>' })).toBe('Hello <b>');
    expect(translator().t('ht', 'form.submit')).toBe(CATALOGUES.ht.get('form.submit'));
  });

  it('should pick ?lang= first, then the best of Accept-Language we have, then English', () => {
    const accepts = (wanted: string[]) => (...offered: string[]) => wanted.find((w) => offered.includes(w)) ?? false;
    expect(pickLanguage('ht', accepts(['es']))).toBe('ht');
    expect(pickLanguage('de', accepts(['fr']))).toBe('fr');
    expect(pickLanguage(undefined, accepts(['de']))).toBe('en');
    expect(pickLanguage(['es', 'fr'], accepts([]))).toBe('en');
  });
});
