// The portal's languages: one ICU MessageFormat catalogue per language in messages/<code>.json
// (adding a language is adding a file), the choice of language for a request (?lang= >
// the civitas_lang cookie > Accept-Language > the office's locale > English), and formatting
// of messages, dates and numbers in that language and the office's time zone.
import fs from 'node:fs';
import path from 'node:path';
import { IntlMessageFormat } from 'intl-messageformat';
import { projectRoot } from '../../platform/paths.js';

export const MESSAGES_DIR = path.join(projectRoot, 'server', 'modules', 'portal', 'messages');
export const FALLBACK = 'en';
export const LANG_COOKIE = 'civitas_lang';

export type Catalogue = Record<string, string>;

/** Every catalogue in the directory, by language code (the file's name). */
export function loadCatalogues(dir = MESSAGES_DIR): Map<string, Catalogue> {
  const out = new Map<string, Catalogue>();
  for (const file of fs.readdirSync(dir).filter((f) => /^[a-z]{2,3}\.json$/.test(f)).sort()) {
    out.set(file.slice(0, -5), JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Catalogue);
  }
  if (!out.has(FALLBACK)) throw new Error(`The portal needs ${FALLBACK}.json in ${dir}`);
  return out;
}

const catalogues = loadCatalogues();
/** The portal's languages, English first, then by code. */
export const LANGUAGES = [FALLBACK, ...[...catalogues.keys()].filter((l) => l !== FALLBACK)];

const primary = (tag: string) => tag.trim().toLowerCase().split(/[-_]/)[0] ?? '';
const known = (tag: string | undefined) => (tag && catalogues.has(primary(tag)) ? primary(tag) : undefined);

/** Accept-Language's languages, most wanted first (q=0 means not wanted). */
export function acceptedLanguages(header: string | undefined): string[] {
  return (header ?? '').split(',').map((part, i) => {
    const [tag = '', ...params] = part.split(';');
    const q = Number(params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean) ?? 1);
    return { tag: tag.trim(), q: Number.isFinite(q) ? q : 0, i };
  }).filter((l) => l.tag && l.tag !== '*' && l.q > 0).sort((a, b) => b.q - a.q || a.i - b.i).map((l) => l.tag);
}

export type LanguageChoice = { lang: string; fromQuery: boolean };

export function negotiate(s: { query?: string | undefined; cookie?: string | undefined; acceptLanguage?: string | undefined; officeLocale?: string | undefined }): LanguageChoice {
  const fromQuery = known(s.query);
  if (fromQuery) return { lang: fromQuery, fromQuery: true };
  const lang = known(s.cookie) ?? acceptedLanguages(s.acceptLanguage).map(known).find(Boolean) ?? known(s.officeLocale) ?? FALLBACK;
  return { lang, fromQuery: false };
}

export type Values = Record<string, string | number | Date>;

export type Translator = {
  lang: string;
  t(key: string, values?: Values): string;
  date(d: Date): string;
  dateTime(d: Date): string;
  number(n: number): string;
  /** Each language's own name, for the language switcher. */
  languages: { code: string; name: string }[];
};

const formats = new Map<string, IntlMessageFormat>();

function format(lang: string, key: string, timeZone: string): IntlMessageFormat {
  const id = `${lang}\u0000${timeZone}\u0000${key}`;
  let f = formats.get(id);
  if (!f) {
    const text = catalogues.get(lang)?.[key] ?? catalogues.get(FALLBACK)?.[key];
    if (text === undefined) throw new Error(`No portal message ${key}`);
    f = new IntlMessageFormat(text, lang, { date: { long: { dateStyle: 'long', timeZone } as Intl.DateTimeFormatOptions } });
    formats.set(id, f);
  }
  return f;
}

export function translator(lang: string, timeZone: string): Translator {
  const dateFormat = new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone });
  const dateTimeFormat = new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeStyle: 'short', timeZone });
  const numberFormat = new Intl.NumberFormat(lang);
  return {
    lang,
    t: (key, values) => String(format(lang, key, timeZone).format(values)),
    date: (d) => dateFormat.format(d),
    dateTime: (d) => dateTimeFormat.format(d),
    number: (n) => numberFormat.format(n),
    languages: LANGUAGES.map((code) => ({ code, name: catalogues.get(code)!['language.name'] ?? code })),
  };
}
