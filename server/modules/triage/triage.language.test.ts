import { describe, expect, it } from 'vitest';
import { cleanForDetection, detectLanguage, DETECTABLE_LANGUAGES } from './triage.language.js';

// Short and medium messages of the kind residents send, written for these tests.
const SAMPLES: [language: string, text: string][] = [
  ['en', 'Pothole on Elm Street'],
  ['en', 'There is a large pothole outside number 12 on Elm Street. Two cyclists have already fallen off their bikes this week. Please fix it before somebody gets badly hurt.'],
  ['es', 'Hay un bache enorme delante del número 12 de la calle Olmo. Esta semana ya se han caído dos ciclistas. Por favor, arréglenlo antes de que alguien se haga daño.'],
  ['es', 'No han recogido la basura en tres semanas y hay ratas'],
  ['fr', 'Nos poubelles de recyclage n\'ont pas été ramassées depuis trois semaines. La rue sent très mauvais et il y a des rats partout.'],
  ['pt', 'Os nossos caixotes de reciclagem não são recolhidos há três semanas. A rua cheira muito mal e há ratos por todo o lado.'],
  ['pl', 'Nasze pojemniki na odpady nie były opróżniane od trzech tygodni. Na ulicy strasznie śmierdzi i wszędzie są szczury.'],
  ['ar', 'لم يتم جمع صناديق إعادة التدوير منذ ثلاثة أسابيع. الشارع رائحته كريهة والفئران في كل مكان.'],
  ['zh', '我们的回收垃圾桶已经三个星期没有人收了。街上很臭，到处都是老鼠。'],
  ['bn', 'তিন সপ্তাহ ধরে আমাদের রিসাইক্লিং বিন খালি করা হয়নি। রাস্তায় খুব দুর্গন্ধ আর সব জায়গায় ইঁদুর।'],
];

const fastestOf = (runs: number, fn: () => unknown) => Math.min(...Array.from({ length: runs }, () => {
  const started = performance.now();
  fn();
  return performance.now() - started;
}));

const SPANISH_COMPLAINT = 'Llevamos tres semanas sin que recojan los contenedores de reciclaje. La calle huele fatal y hay ratas por todas partes. He llamado dos veces al ayuntamiento y nadie ha venido. Por favor, envíen a alguien cuanto antes.';

describe('detectLanguage', () => {
  it.each(SAMPLES)('detects %s reliably in a resident message', (language, text) => {
    const result = detectLanguage(text);
    expect(result).toMatchObject({ language, reliable: true });
    expect(result.confidence).toBeGreaterThan(0);
    expect(result.confidence).toBeLessThanOrEqual(1);
  });

  it.each([
    ['empty', ''],
    ['spaces and line breaks', '  \n\t '],
    ['digits only', '12345 678 90'],
    ['a URL only', 'https://www.example.org/reports/123?x=1'],
    ['an email address only', 'resident.name@example.com'],
    ['fewer than three letters', 'ok'],
    ['a signature only', '--\nJane Doe\n07700 900123'],
  ])('gives no language for %s', (_name, text) => {
    expect(detectLanguage(text)).toEqual({ language: null, confidence: 0, reliable: false });
  });

  it('keeps a guess for one or two words but does not call it reliable', () => {
    for (const text of ['Merci', 'Thanks!', 'Mattress dumped', 'Fly tipping. Mattress']) {
      expect(detectLanguage(text).reliable).toBe(false);
    }
  });

  it('ignores the quoted message of a reply: an English reply quoting Spanish is English', () => {
    const quoted = SPANISH_COMPLAINT.split('. ').map((line) => `> ${line}.`).join('\n');
    const reply = `Thank you, please keep me updated on this.\n\nOn Mon, 2 Mar 2026, Ana wrote:\n${quoted}`;
    expect(detectLanguage(reply)).toMatchObject({ language: 'en', reliable: true });
    expect(detectLanguage(quoted.replaceAll('> ', ''))).toMatchObject({ language: 'es', reliable: true });
  });

  it('ignores an original-message block, signatures, URLs and email addresses', () => {
    const text = `Gracias, el problema sigue sin resolver en mi calle desde hace semanas.\n\n-----Original Message-----\nFrom: council@example.gov.uk\nThank you for your report about the bins, we will be in touch shortly with an update.`;
    expect(detectLanguage(text)).toMatchObject({ language: 'es', reliable: true });
    expect(cleanForDetection('See https://example.org/x and write to a@b.example today\nSent from my iPhone')).toBe('See and write to today');
  });

  it('does not claim Welsh, which the detector does not know, reliably', () => {
    expect(DETECTABLE_LANGUAGES).not.toContain('cy');
    expect(detectLanguage('Mae twll mawr yn y ffordd y tu allan i rif 12. Mae dau feiciwr wedi syrthio yr wythnos hon yn barod.').reliable).toBe(false);
  });

  it('lists the detectable languages as ISO 639-1 codes', () => {
    expect(DETECTABLE_LANGUAGES).toEqual(expect.arrayContaining(['en', 'es', 'fr', 'pt', 'pl', 'ar', 'zh', 'bn', 'ur', 'pa']));
    for (const code of DETECTABLE_LANGUAGES) expect(code).toMatch(/^[a-z]{2}$/);
  });

  it('answers a 100 KB body quickly by reading only its start', () => {
    detectLanguage('warm up the detector');
    const body = `${SPANISH_COMPLAINT}\n`.repeat(Math.ceil(100_000 / SPANISH_COMPLAINT.length));
    expect(body.length).toBeGreaterThan(100_000);
    expect(detectLanguage(body)).toMatchObject({ language: 'es', reliable: true });
    for (const text of [body, 'a'.repeat(100_000), 'x@'.repeat(50_000), `${'> quoted\n'.repeat(12_000)}`]) {
      // The fastest of three runs: a garbage collection pause is not what this looks for.
      expect(fastestOf(3, () => detectLanguage(text))).toBeLessThan(50);
    }
  });
});
