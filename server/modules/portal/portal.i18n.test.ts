// The portal's catalogues and language choice: every language has exactly English's keys,
// every message parses as ICU MessageFormat with the same placeholders as English's, and the
// order of negotiation; the colour of text on the office's brand colour keeps AA contrast.
import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { acceptedLanguages, FALLBACK, LANGUAGES, loadCatalogues, negotiate, translator } from './portal.i18n.js';
import { contrastRatio, themeOf } from './portal.theme.js';

type Node = { type: number; value?: unknown; options?: Record<string, { value: Node[] }> };

/** The argument names a message uses, through plural and select branches. */
function argumentsOf(nodes: Node[], out = new Set<string>()): Set<string> {
  for (const n of nodes) {
    // Literal (0) and pound (7) nodes name nothing.
    if (n.type !== 0 && n.type !== 7 && typeof n.value === 'string') out.add(n.value);
    for (const branch of Object.values(n.options ?? {})) argumentsOf(branch.value, out);
  }
  return out;
}

const catalogues = loadCatalogues();

describe('the catalogues', () => {
  it('has English and Spanish, found from the files alone', () => {
    expect(LANGUAGES).toEqual(['en', 'es']);
  });

  it('gives every language exactly the keys of English, each a message that parses with the same placeholders', () => {
    const english = catalogues.get(FALLBACK)!;
    for (const [lang, messages] of catalogues) {
      expect(Object.keys(messages).sort(), lang).toEqual(Object.keys(english).sort());
      for (const [key, text] of Object.entries(messages)) {
        expect(text.trim(), `${lang} ${key}`).not.toBe('');
        const args = [...argumentsOf(new IntlMessageFormat(text, lang).getAst() as Node[])].sort();
        expect(args, `${lang} ${key}`).toEqual([...argumentsOf(new IntlMessageFormat(english[key]!, 'en').getAst() as Node[])].sort());
      }
    }
  });

  it('formats plurals, numbers and dates in the language and the office\'s time zone', () => {
    const en = translator('en', 'America/New_York');
    const es = translator('es', 'Europe/Madrid');
    expect(en.t('track.history.count', { count: 0 })).toBe('No updates yet');
    expect(en.t('track.history.count', { count: 1 })).toBe('1 update');
    expect(en.t('track.history.count', { count: 1200 })).toBe('1,200 updates');
    expect(es.t('track.history.count', { count: 2 })).toBe('2 novedades');
    // 02:30 UTC on 1 March is still 28 February in New York.
    expect(en.date(new Date('2027-03-01T02:30:00Z'))).toBe('February 28, 2027');
    expect(es.date(new Date('2027-03-01T02:30:00Z'))).toBe('1 de marzo de 2027');
  });
});

describe('language negotiation', () => {
  it('prefers ?lang=, then the cookie, then Accept-Language by q, then the office locale, then English', () => {
    expect(negotiate({ query: 'es', cookie: 'en', acceptLanguage: 'en', officeLocale: 'en-GB' })).toEqual({ lang: 'es', fromQuery: true });
    expect(negotiate({ query: 'xx', cookie: 'es', acceptLanguage: 'en' })).toEqual({ lang: 'es', fromQuery: false });
    expect(negotiate({ cookie: 'de', acceptLanguage: 'de, en;q=0.2, es-MX;q=0.7' }).lang).toBe('es');
    expect(negotiate({ acceptLanguage: 'de', officeLocale: 'es-ES' }).lang).toBe('es');
    expect(negotiate({ acceptLanguage: 'es;q=0', officeLocale: 'fr-FR' }).lang).toBe('en');
    expect(acceptedLanguages('fr-CA, fr;q=0.9, *;q=0.5, en;q=0.8')).toEqual(['fr-CA', 'fr', 'en']);
  });
});

describe('the brand colour', () => {
  it('puts white on dark colours and near-black on light ones, always at AA contrast or better', () => {
    expect(themeOf('#1d3557').onBrand).toBe('#ffffff');
    expect(themeOf('#ffdd00').onBrand).toBe('#000000');
    expect(themeOf('not a colour').brand).toBe('#1d3557');
    for (const colour of ['#000000', '#ffffff', '#777777', '#808080', '#e4002b', '#0b0c0c', '#00ff00', '#2b8cc4']) {
      const { brand, onBrand } = themeOf(colour);
      expect(contrastRatio(brand, onBrand), colour).toBeGreaterThanOrEqual(4.5);
    }
  });
});
