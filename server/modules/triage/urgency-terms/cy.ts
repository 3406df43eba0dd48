// Welsh urgency terms. Syntax: ../triage.urgency-terms.ts. Language detection cannot name
// Welsh, so this list is checked whenever no reliable language is known. Mutated forms are
// written out ("ar dân" is "ar dan", "fy mywyd" for "bywyd"); "tan" alone is not a term
// because it also means "until", nor "gwn" (gun) because it also means "I know".
import type { UrgencyTermList } from '../triage.urgency-terms.js';

export const cy: UrgencyTermList = {
  language: 'cy',
  negations: ['dim', 'ddim', 'heb', 'nid', 'na'],
  groups: {
    vulnerable: [
      'oedrannus', 'henoed', 'hen wraig', 'hen wr', 'pensiynwr', 'pensiynwraig', 'pensiynwyr', 'babi', 'babanod',
      'baban', 'plentyn', 'plant bach', 'plant ifanc', 'fy mhlant', '# mis oed', '## mis oed', '# oed',
      '7# oed', '8# oed', '9# oed', '7# mlwydd oed', '8# mlwydd oed', '9# mlwydd oed', 'beichiog', 'anabl',
      'anabledd', 'cadair olwyn', 'ocsigen', 'dialysis', 'yn sal', 'salwch', 'canser', 'dementia', 'bregus',
      'agored i niwed',
    ],
    soon: [
      'heno', 'heddiw', 'yfory', 'fory', 'nawr', 'rwan', 'y bore ma', 'y prynhawn ma', 'ar unwaith', 'beiliaid',
      'beili',
    ],
    landlord: ['landlord', 'landlordes', 'perchennog', 'asiant gosod', 'cymdeithas dai'],
  },
  rules: [
    {
      kind: 'threat_to_life', severity: 'safeguarding', terms: [
        'fy lladd', 'ein lladd', 'dy ladd', 'ei ladd', 'ei lladd', 'bygwth fy lladd', 'bygwth lladd',
        'bygythiad i ladd', 'gyda chyllell', 'efo cyllell', 'fy mywyd mewn perygl', 'ofn am fy mywyd',
        'ddim yn anadlu', 'anymwybodol',
      ],
    },
    {
      kind: 'self_harm', severity: 'safeguarding', terms: [
        'hunanladdiad', 'hunanladdol', 'lladd fy hun', 'ladd fy hun', 'niweidio fy hun', 'hunan niweidio',
        'eisiau marw', 'isio marw', 'ddim eisiau byw', 'ddim isio byw', 'gorddos', 'cymryd fy mywyd',
        'diweddu fy mywyd', 'rhoi diwedd ar fy mywyd',
      ],
    },
    {
      kind: 'abuse', severity: 'safeguarding', terms: [
        'cam drin*', 'camdrin*', 'trais domestig', 'trais yn y cartref', 'trais rhywiol', 'ymosodiad rhywiol',
        'treisio', 'treisiwyd', 'fy nharo', 'taro r plant', 'ofn fy ngwr', 'ofn fy mhartner',
        'plant ar eu pennau eu hunain', 'masnachu pobl', 'caethwasiaeth fodern',
      ],
    },
    {
      kind: 'gas_or_fire', severity: 'urgent', terms: [
        'nwy yn gollwng', 'gollwng nwy', 'arogl nwy', 'aroglau nwy', 'oglau nwy', 'ogla nwy', 'gwynt nwy',
        'drewi o nwy', 'carbon monocsid', 'monocsid', 'ar dan', 'tan yn y ty', 'tan yn y fflat', 'tan yn y gegin',
        'tan yn yr adeilad', 'llawn mwg', 'mwg yn dod o', 'fflamau',
      ],
    },
    {
      kind: 'flooding', severity: 'urgent', terms: [
        'llifogydd yn y ty', 'llifogydd yn y fflat', 'llifogydd yn y gegin', 'dwr yn dod i mewn i r ty',
        'dwr yn dod i mewn i r fflat', 'dwr yn dod trwy r nenfwd', 'dwr yn dod drwy r nenfwd',
        'dwr yn llifo i mewn', 'carthffosiaeth yn y ty',
      ],
    },
    {
      kind: 'electrical', severity: 'urgent', terms: [
        'gwifrau noeth', 'gwifrau agored', 'gwreichion', 'sioc drydanol',
      ],
    },
    {
      kind: 'dangerous_structure', severity: 'urgent', terms: [
        'nenfwd wedi cwympo', 'nenfwd wedi dymchwel', 'nenfwd wedi disgyn',
      ],
    },
    {
      kind: 'no_heat_or_water_vulnerable', severity: 'urgent', requires: ['vulnerable'], terms: [
        'dim gwres', 'dim gwresogi', 'heb wres', 'heb wresogi', 'gwres ~ ddim yn gweithio',
        'boeler ~ ddim yn gweithio', 'boeler wedi torri', 'dim dwr poeth', 'heb ddwr poeth', 'dim dwr', 'heb ddwr',
        'dim trydan', 'heb drydan', 'toriad pwer', 'toriad trydan', 'dim nwy', 'heb nwy', 'oer iawn yn y ty',
      ],
    },
    {
      kind: 'eviction', severity: 'urgent', requires: ['soon'], terms: [
        // Not a bare "troi allan", which also means "to turn out" (to prove to be).
        'ein troi allan', 'fy nhroi allan', 'eu troi allan', 'troi ni allan', 'troi nhw allan', 'ddigartref',
        'unman i gysgu', 'cysgu ar y stryd', 'gorchymyn meddiant',
      ],
    },
    {
      kind: 'eviction', severity: 'urgent', requires: ['landlord'], terms: [
        'newid y cloeon', 'newidiodd y cloeon', 'wedi newid y clo',
      ],
    },
  ],
};
