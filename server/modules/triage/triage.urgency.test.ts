import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../platform/paths.js';
import { detectLanguage } from './triage.language.js';
import { detectUrgency, URGENCY_LANGUAGES, URGENCY_TERMS_VERSION, type UrgencyKind } from './triage.urgency.js';
import {
  checkTermList, normalizeForMatching, URGENCY_KINDS, URGENCY_TERM_LISTS, type UrgencyTermList,
} from './triage.urgency-terms.js';

const fastestOf = (runs: number, fn: () => unknown) => Math.min(...Array.from({ length: runs }, () => {
  const started = performance.now();
  fn();
  return performance.now() - started;
}));
const kindsOf = (text: string, language?: string | null) => [...new Set(detectUrgency(text, language).matches.map((m) => m.kind))];

// [language, message, the kind it must raise]
const POSITIVES: [string, string, UrgencyKind][] = [
  ['en', 'My neighbour has threatened to kill me and my children', 'threat_to_life'],
  ['en', 'A man with a knife is outside our block', 'threat_to_life'],
  ['en', 'I fear for my life, he keeps coming back', 'threat_to_life'],
  ['en', 'I want to end my life, I can\'t take this any more', 'self_harm'],
  ['en', 'Honestly I don\'t want to live anymore with this damp', 'self_harm'],
  ['en', 'My daughter has been self-harming since the move', 'self_harm'],
  ['en', 'The neighbour hits the children every night, we hear screaming', 'abuse'],
  ['en', 'I think she is a victim of domestic abuse', 'abuse'],
  ['en', 'My elderly neighbour has not been seen for a week and the post is piling up', 'welfare_concern'],
  ['en', 'There is a strong smell of gas in the stairwell', 'gas_or_fire'],
  ['en', 'Gas leak at number 4!', 'gas_or_fire'],
  ['en', 'Our carbon monoxide alarm keeps going off', 'gas_or_fire'],
  ['en', 'The flat next door is on fire', 'gas_or_fire'],
  ['en', 'Water is pouring through the ceiling into the bedroom', 'flooding'],
  ['en', 'Sewage in the kitchen coming up from the sink', 'flooding'],
  ['en', 'Exposed wires hanging from the lamp post by the school', 'electrical'],
  ['en', 'The socket is sparking', 'electrical'],
  ['en', 'Part of the ceiling has collapsed in the hallway', 'dangerous_structure'],
  ['en', 'No heating for a week and my mum is 92-year-old', 'no_heat_or_water_vulnerable'],
  ['en', 'Boiler broken down, I have a 3 month old baby', 'no_heat_or_water_vulnerable'],
  ['en', 'We have no water and my husband is on dialysis', 'no_heat_or_water_vulnerable'],
  ['en', 'The boiler is broken and I\'m 87, it is freezing', 'no_heat_or_water_vulnerable'],
  ['en', 'Water is leaking from the flat above into our kitchen', 'flooding'],
  ['en', 'My partner is violent towards me', 'abuse'],
  ['en', 'We are being evicted tonight and have nowhere to go', 'eviction'],
  ['en', 'The bailiffs are coming to evict us', 'eviction'],
  ['en', 'Our landlord changed the locks while we were out', 'eviction'],
  ['es', 'Mi vecino me ha amenazado de muerte', 'threat_to_life'],
  ['es', 'Hay un hombre con un cuchillo en el portal', 'threat_to_life'],
  ['es', 'Mi expareja me quiere matar', 'threat_to_life'],
  ['es', 'Ya no quiero vivir, estoy pensando en el suicidio', 'self_harm'],
  ['es', 'Me quiero morir', 'self_harm'],
  ['es', 'Mi pareja me pega y tengo miedo', 'abuse'],
  ['es', 'Creo que hay violencia doméstica en el piso de arriba', 'abuse'],
  ['es', 'Hace días que no la vemos y es una señora mayor que vive sola', 'welfare_concern'],
  ['es', 'Hay un fuerte olor a gas en la escalera', 'gas_or_fire'],
  ['es', 'Hay un incendio en el edificio', 'gas_or_fire'],
  ['es', 'Cae agua del techo de la habitación', 'flooding'],
  ['es', 'Hay cables pelados en la farola', 'electrical'],
  ['es', 'Se ha caído el techo del baño', 'dangerous_structure'],
  ['es', 'Estamos sin calefacción y tengo un bebé de 3 meses', 'no_heat_or_water_vulnerable'],
  ['es', 'La caldera no funciona y mi madre tiene 87 años', 'no_heat_or_water_vulnerable'],
  ['es', 'Nos van a desahuciar mañana con dos niños', 'eviction'],
  ['es', 'El casero ha cambiado la cerradura', 'eviction'],
  ['fr', 'Il a menacé de me tuer', 'threat_to_life'],
  ['fr', 'Je veux mourir, je n\'en peux plus', 'self_harm'],
  ['fr', 'Mon mari me frappe', 'abuse'],
  ['fr', 'Il y a une forte odeur de gaz dans l\'immeuble', 'gas_or_fire'],
  ['fr', 'L\'eau coule du plafond', 'flooding'],
  ['fr', 'Des fils dénudés sur le poteau', 'electrical'],
  ['fr', 'Pas de chauffage depuis trois jours avec un bébé', 'no_heat_or_water_vulnerable'],
  ['fr', 'On va être expulsés demain', 'eviction'],
  ['pt', 'Ele disse que vai matar-me', 'threat_to_life'],
  ['pt', 'Não quero viver mais', 'self_harm'],
  ['pt', 'Há violência doméstica no prédio', 'abuse'],
  ['pt', 'Há cheiro a gás na cozinha', 'gas_or_fire'],
  ['pt', 'Cai água do teto da sala', 'flooding'],
  ['pt', 'Estamos sem aquecimento e a minha mãe é idosa', 'no_heat_or_water_vulnerable'],
  ['pt', 'Recebemos uma ordem de despejo para amanhã', 'eviction'],
  ['pl', 'Sąsiad grozi, że mnie zabije', 'threat_to_life'],
  ['pl', 'Nie chcę żyć', 'self_harm'],
  ['pl', 'W mieszkaniu obok jest przemoc domowa', 'abuse'],
  ['pl', 'Na klatce czuć gaz, wyciek gazu', 'gas_or_fire'],
  ['pl', 'Woda leci z sufitu', 'flooding'],
  ['pl', 'Odsłonięte przewody przy latarni', 'electrical'],
  ['pl', 'Brak ogrzewania, a mam niemowlę', 'no_heat_or_water_vulnerable'],
  ['pl', 'Jutro komornik, eksmisja z mieszkania', 'eviction'],
  ['cy', 'Mae e wedi bygwth fy lladd', 'threat_to_life'],
  ['cy', 'Dw i eisiau marw', 'self_harm'],
  ['cy', 'Mae trais domestig yn y fflat drws nesaf', 'abuse'],
  ['cy', 'Mae arogl nwy yn y gegin', 'gas_or_fire'],
  ['cy', 'Gwifrau noeth ar y polyn', 'electrical'],
  ['cy', 'Dim gwres ac mae babi yn y tŷ', 'no_heat_or_water_vulnerable'],
  ['cy', 'Maen nhw am ein troi allan heno', 'eviction'],
];

const NEGATIVES: string[] = [
  'Fly-tipping on the corner',
  'Pothole',
  'Dangerous pothole outside the school',
  'This pothole will kill someone',
  'Graffiti on the bridge',
  'Threatening graffiti on the wall of the underpass',
  'The bins were not collected',
  'Dead pigeon on the pavement',
  'Killing weeds with spray on the verge',
  'Council should skill up its contractors',
  'Car with Las Vegas plates abandoned',
  'Gasoline price sign fallen over',
  'No heating in the community hall',
  'The boiler in the library is broken',
  'Not urgent: streetlight flickering',
  'There is no smell of gas any more, thank you',
  'No gas smell, but the pipe is rusty',
  'There has been no fire since you came',
  'Potential arson risk from the dumped mattresses',
  'Burnt out car, someone set fire to it last week',
  'Homeless man sleeping in the doorway every night',
  'Homeless man sleeping in the doorway today',
  'Rubbish thrown out onto the pavement today',
  'The drain is blocked and the water has nowhere to go today',
  'Litter on the streets again today',
  'Film crew shooting on our road today, cones everywhere',
  'Litter lying on the floor of the car park',
  'Bailiffs letter about council tax',
  'We were evicted two years ago and now live in Catford',
  'The council changed the locks on the bin store',
  'Fire hydrant cover missing',
  'Broken fence at the park',
  'Potholes on the road, no water drainage',
  'No hay calefacción en el centro cívico',
  'Nos echan la basura en la puerta',
  'Hoy nos echan la basura en la puerta otra vez',
  'Le camion passera demain à la rue Victor Hugo',
  'O lixo vai ficar na rua hoje',
];

describe('detectUrgency', () => {
  it.each(POSITIVES)('[%s] flags "%s" as %s', (language, text, kind) => {
    const result = detectUrgency(text, language);
    expect(result.urgent).toBe(true);
    expect(result.matches.map((m) => m.kind)).toContain(kind);
    for (const match of result.matches) expect([language, 'en']).toContain(match.language);
  });

  it.each(POSITIVES)('[%s] flags "%s" as %s without being told the language', (_language, text, kind) => {
    expect(kindsOf(text, null)).toContain(kind);
  });

  it.each(NEGATIVES)('does not flag routine text: "%s"', (text) => {
    expect(detectUrgency(text, null)).toEqual({ urgent: false, matches: [] });
    expect(detectUrgency(text, 'en').urgent).toBe(false);
  });

  it('names the kind, severity, list term and language of each match', () => {
    const result = detectUrgency('He threatened to kill me and I can smell gas', 'en');
    expect(result.matches).toEqual([
      { kind: 'threat_to_life', severity: 'safeguarding', term: 'threaten* to kill', language: 'en' },
      { kind: 'threat_to_life', severity: 'safeguarding', term: 'kill me', language: 'en' },
      { kind: 'gas_or_fire', severity: 'urgent', term: 'smell* ~ gas', language: 'en' },
    ]);
  });

  it('folds accents and case: desahucio, desahúcio and DESAHUCIO; calefacción and calefaccion', () => {
    for (const word of ['desahucio', 'desahúcio', 'DESAHUCIO', 'Desahucio']) {
      expect(kindsOf(`Tenemos un ${word} hoy`, 'es')).toEqual(['eviction']);
    }
    for (const word of ['calefacción', 'calefaccion', 'CALEFACCIÓN']) {
      expect(kindsOf(`Sin ${word} y con un bebé`, 'es')).toEqual(['no_heat_or_water_vulnerable']);
    }
    expect(normalizeForMatching("Łódź: “Don't” — 90-year-old, ÇA")).toBe('lodz | do not | 90 year old | ca');
  });

  it('matches whole words with plurals and stems, never inside another word', () => {
    expect(kindsOf('Gas leaks on two floors', 'en')).toEqual(['gas_or_fire']);
    expect(kindsOf('They are evicting us today', 'en')).toEqual(['eviction']);
    expect(kindsOf('A skill-share on gaslighting and Vegas', 'en')).toEqual([]);
  });

  it('needs every group of a two-part rule: no heating with a vulnerable person, eviction with a time', () => {
    expect(kindsOf('No heating since Monday', 'en')).toEqual([]);
    expect(kindsOf('No heating since Monday, my dad is disabled', 'en')).toEqual(['no_heat_or_water_vulnerable']);
    expect(kindsOf('No heating, he is 84 years old', 'en')).toEqual(['no_heat_or_water_vulnerable']);
    expect(kindsOf('No heating, he is 34 years old', 'en')).toEqual([]);
    expect(kindsOf('We got an eviction notice', 'en')).toEqual([]);
    expect(kindsOf('We got an eviction notice, the bailiffs come at 9', 'en')).toEqual(['eviction']);
    expect(kindsOf('Bailiffs are at the door', 'en')).toEqual([]);
  });

  it('counts a group from either language of a mixed message', () => {
    expect(kindsOf('No heating en casa, mi madre tiene 90 años', 'es')).toEqual(['no_heat_or_water_vulnerable']);
  });

  it('skips a hazard after a negation in the same clause, but never a safeguarding term', () => {
    expect(kindsOf('There is no gas leak', 'en')).toEqual([]);
    expect(kindsOf('No, I can smell gas right now', 'en')).toEqual(['gas_or_fire']);
    expect(kindsOf('Nobody came and I can smell gas', 'en')).toEqual(['gas_or_fire']);
    expect(kindsOf('No hay olor a gas', 'es')).toEqual([]);
    expect(kindsOf('I am not joking, he threatened to kill me', 'en')).toEqual(['threat_to_life']);
    expect(kindsOf('I do not want to live like this', 'en')).toEqual(['self_harm']);
  });

  it('checks English alongside any language and every list when the language is unknown', () => {
    expect(kindsOf('Hay un gas leak en el portal', 'es')).toEqual(['gas_or_fire']);
    expect(kindsOf('Gas leak im Treppenhaus', 'de')).toEqual(['gas_or_fire']);
    expect(kindsOf('Mae arogl nwy yn y gegin', 'en')).toEqual([]);
    expect(kindsOf('Mae arogl nwy yn y gegin', null)).toEqual(['gas_or_fire']);
    expect(kindsOf('Mae arogl nwy yn y gegin', 'cy-GB')).toEqual(['gas_or_fire']);
  });

  it('ignores quoted lines of a reply', () => {
    expect(detectUrgency('Thanks, all fixed now.\n> If you smell gas, call 0800 111 999.').urgent).toBe(false);
  });

  it('takes bounded time on a 100 KB body and on repetitive input', () => {
    detectUrgency('warm up every list', null);
    const routine = 'The bins on our street were not collected again this week. '.repeat(1_700);
    for (const text of [routine, 'gas leak '.repeat(12_000), 'kill me '.repeat(12_000), 'no '.repeat(35_000), 'a'.repeat(100_000), `${routine}I can smell gas`]) {
      // The fastest of three runs: a garbage collection pause is not what this looks for.
      expect(fastestOf(3, () => detectUrgency(text, null))).toBeLessThan(50);
    }
    // Only the first 20,000 characters are read.
    expect(detectUrgency(`${routine}I can smell gas`).urgent).toBe(false);
    expect(detectUrgency(`I can smell gas. ${routine}`).urgent).toBe(true);
  });
});

describe('urgency term lists', () => {
  it.each(URGENCY_TERM_LISTS.map((list) => [list.language, list] as const))('%s parses: every term non-empty, normalised and valid', (_language, list) => {
    expect(checkTermList(list)).toEqual([]);
    const terms = [...list.rules.flatMap((r) => r.terms), ...Object.values(list.groups).flat()];
    expect(terms.length).toBeGreaterThan(20);
    for (const term of terms) {
      expect(term.trim()).not.toBe('');
      const plain = term.replaceAll('*', '').replaceAll('#', '0').replaceAll(' ~ ', ' ');
      expect(normalizeForMatching(plain)).toBe(plain);
    }
  });

  it('catches a badly written list', () => {
    const bad: UrgencyTermList = {
      language: 'xx',
      negations: ['No'],
      groups: { unused: ['fine'], empty: [] },
      rules: [{ kind: 'eviction', severity: 'urgent', requires: ['missing', 'empty'], terms: ['Desahucio', 'calefacción', 'gas!', 'ev*', '~ gas', 'gas ~ ~ leak', 'a  b', 'ok', 'ok'] }],
    };
    const problems = checkTermList(bad).join('\n');
    for (const expected of ['negation "No"', '"Desahucio" has "Desahucio": not normalised', '"calefacción" has', '"gas!" has "gas!"', 'a stem needs three letters',
      '"~ gas" has a gap', '"gas ~ ~ leak" has a gap', '"a  b" has stray spaces', '"ok" appears twice', 'unknown group "missing"', 'group empty: no terms', 'group unused: no rule requires it']) {
      expect(problems).toContain(expected);
    }
  });

  it('covers every kind in English and Spanish and the core kinds in every other list', () => {
    const kinds = (list: UrgencyTermList) => new Set(list.rules.map((r) => r.kind));
    for (const language of ['en', 'es']) expect([...kinds(URGENCY_TERM_LISTS.find((l) => l.language === language)!)].sort()).toEqual([...URGENCY_KINDS].sort());
    for (const list of URGENCY_TERM_LISTS) {
      for (const kind of URGENCY_KINDS.filter((k) => k !== 'welfare_concern')) expect(kinds(list), `${list.language} ${kind}`).toContain(kind);
    }
    expect(URGENCY_LANGUAGES).toEqual(['en', 'es', 'fr', 'pt', 'pl', 'cy']);
  });

  it('gives each kind one severity in every language', () => {
    const severities = new Map<string, Set<string>>();
    for (const rule of URGENCY_TERM_LISTS.flatMap((l) => l.rules)) {
      severities.set(rule.kind, (severities.get(rule.kind) ?? new Set()).add(rule.severity));
    }
    for (const [kind, found] of severities) expect([kind, [...found]]).toEqual([kind, [expect.any(String)]]);
    expect([...severities.get('self_harm')!]).toEqual(['safeguarding']);
    expect([...severities.get('gas_or_fire')!]).toEqual(['urgent']);
  });

  it('names its version by matcher and content', () => {
    expect(URGENCY_TERMS_VERSION).toMatch(/^m1-[0-9a-f]{12}$/);
  });
});

describe('real reports', () => {
  it('flags few of the 9,240 FixMyStreet Lewisham street reports (mostly routine)', () => {
    // Read in place (see ../shared/data/README.md); rows may hold personal details, so this
    // test reports counts only.
    const file = path.join(projectRoot, '../shared/data/fixmystreet-lewisham/train.csv');
    const rows = parse(fs.readFileSync(file), { columns: true }) as { text: string }[];
    expect(rows.length).toBeGreaterThan(9_000);
    let flagged = 0;
    for (const { text } of rows) {
      const language = detectLanguage(text);
      if (detectUrgency(text, language.reliable ? language.language : null).urgent) flagged++;
    }
    // 12 (0.13%) when the lists were written: gas, exposed wiring, walls about to collapse,
    // a threat to a resident, a past assault and an unconscious cyclist.
    expect(flagged).toBeGreaterThan(0);
    expect(flagged / rows.length).toBeLessThan(0.01);
  }, 60_000);
});
