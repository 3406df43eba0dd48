// The urgency term lists (urgency-terms/<language>.ts): their shape, their small syntax,
// the checks every list must pass, and their compilation into one regular expression per
// language. Only our own terms ever become a pattern; every character of a term is a
// letter, a digit or one of the three markers below, so nothing in a list can make the
// expression slow or match something other than what it says.
//
// Term syntax (terms are written as normalizeForMatching() would make them: lower case,
// no accents, apostrophes and hyphens as spaces, "don't" as "do not"):
//   words   whole words in order, one space apart: "gas leak" never matches "gasoline"
//   word*   a word beginning with `word` (at least 3 letters): "evict*" = evicted, eviction
//   #       one digit: "8# year old" = 80 to 89 year old
//   ~       zero to two words of anything: "smell ~ gas" = smell gas, smell of gas
// The last word also matches with "s" or "es" added (plurals), unless it ends in * or
// holds #. A rule's `requires` names groups of the same list; each must also occur
// somewhere in the message (in any language checked) for the rule to count.
import { cy } from './urgency-terms/cy.js';
import { en } from './urgency-terms/en.js';
import { es } from './urgency-terms/es.js';
import { fr } from './urgency-terms/fr.js';
import { pl } from './urgency-terms/pl.js';
import { pt } from './urgency-terms/pt.js';

export const URGENCY_KINDS = [
  'threat_to_life', 'self_harm', 'abuse', 'welfare_concern',
  'gas_or_fire', 'flooding', 'electrical', 'dangerous_structure',
  'no_heat_or_water_vulnerable', 'eviction',
] as const;
export type UrgencyKind = (typeof URGENCY_KINDS)[number];
export type UrgencySeverity = 'urgent' | 'safeguarding';

export type UrgencyRule = {
  kind: UrgencyKind;
  severity: UrgencySeverity;
  /** Any one of these triggers the rule. */
  terms: readonly string[];
  /** Group names of the same list; each must also be present in the message. */
  requires?: readonly string[];
};

export type UrgencyTermList = {
  /** ISO 639-1. */
  language: string;
  /** Single words that, shortly before a hazard term, mean the hazard is absent. */
  negations: readonly string[];
  groups: Readonly<Record<string, readonly string[]>>;
  rules: readonly UrgencyRule[];
};

/** Bumped when the matching rules change meaning; part of URGENCY_TERMS_VERSION. */
export const MATCHER_VERSION = 'm1';

export const URGENCY_TERM_LISTS: readonly UrgencyTermList[] = [en, es, fr, pt, pl, cy];

const FOLDS: Record<string, string> = { ł: 'l', ø: 'o', đ: 'd', ß: 'ss', æ: 'ae', œ: 'oe', ı: 'i', þ: 'th', ð: 'd' };

/**
 * Lower case, accents folded, English "n't" as " not", clause punctuation as " | " (so a
 * negation never reaches across a comma and a phrase never spans a sentence), anything
 * else that is not a letter or digit as a space. Linear in the length of the text.
 */
export function normalizeForMatching(text: string): string {
  return text
    .replace(/\bcan['’]t\b/gi, 'can not').replace(/\bwon['’]t\b/gi, 'will not').replace(/\bcannot\b/gi, 'can not')
    .replace(/n['’]t\b/gi, ' not')
    .normalize('NFD').replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[łøđßæœıþð]/g, (c) => FOLDS[c] ?? c)
    .replace(/[.,;:!?¿¡()[\]{}"“”«»…\r\n]+/g, ' | ')
    .replace(/[^\p{L}\p{N}|]+/gu, ' ')
    .replace(/\s*(?:\|\s*)+/g, ' | ')
    .replace(/^[\s|]+|[\s|]+$/g, '');
}

/** What is wrong with a list; empty when it is usable. */
export function checkTermList(list: UrgencyTermList): string[] {
  const problems: string[] = [];
  const where = `urgency-terms/${list.language}`;
  if (!/^[a-z]{2}$/.test(list.language)) problems.push(`${where}: language must be an ISO 639-1 code`);
  for (const word of list.negations) {
    if (!/^[\p{L}]+$/u.test(word) || normalizeForMatching(word) !== word) problems.push(`${where}: negation "${word}" is not one normalised word`);
  }
  const seen = new Set<string>();
  const check = (term: string, owner: string) => {
    for (const problem of termProblems(term)) problems.push(`${where} ${owner}: "${term}" ${problem}`);
    if (seen.has(term)) problems.push(`${where} ${owner}: "${term}" appears twice in the list`);
    seen.add(term);
  };
  const required = new Set<string>();
  list.rules.forEach((rule, i) => {
    const owner = `rule ${i} (${rule.kind})`;
    if (!URGENCY_KINDS.includes(rule.kind)) problems.push(`${where} ${owner}: unknown kind`);
    if (rule.severity !== 'urgent' && rule.severity !== 'safeguarding') problems.push(`${where} ${owner}: unknown severity`);
    if (rule.terms.length === 0) problems.push(`${where} ${owner}: no terms`);
    rule.terms.forEach((term) => check(term, owner));
    for (const group of rule.requires ?? []) {
      required.add(group);
      if (!list.groups[group]) problems.push(`${where} ${owner}: requires unknown group "${group}"`);
    }
  });
  for (const [group, terms] of Object.entries(list.groups)) {
    if (terms.length === 0) problems.push(`${where} group ${group}: no terms`);
    if (!required.has(group)) problems.push(`${where} group ${group}: no rule requires it`);
    terms.forEach((term) => check(term, `group ${group}`));
  }
  return problems;
}

function termProblems(term: string): string[] {
  if (term === '' || term !== term.trim() || term.includes('  ')) return ['has stray spaces or is empty'];
  const words = term.split(' ');
  const problems: string[] = [];
  if (words[0] === '~' || words.at(-1) === '~' || term.includes('~ ~')) problems.push('has a gap (~) at an end or twice in a row');
  if (!/\p{L}/u.test(term)) problems.push('has no letter');
  for (const word of words.filter((w) => w !== '~')) {
    const stem = word.endsWith('*') ? word.slice(0, -1) : word;
    if (!/^[\p{L}\p{N}#]+$/u.test(stem)) problems.push(`has "${word}": only letters, digits, # and a final * are allowed`);
    else if (word.endsWith('*') && [...stem].length < 3) problems.push(`has "${word}": a stem needs three letters or more`);
    else if (normalizeForMatching(stem.replaceAll('#', '0')) !== stem.replaceAll('#', '0')) problems.push(`has "${word}": not normalised (case, accents)`);
  }
  return problems;
}

export type CompiledEntry = { term: string; ruleIndex: number; group: string | undefined };
/** One capture group per entry, in the order of `entries`; global, so callers reset lastIndex. */
export type CompiledPattern = { pattern: RegExp; entries: readonly CompiledEntry[] };
export type CompiledTermList = {
  language: string;
  rules: readonly UrgencyRule[];
  negations: ReadonlySet<string>;
  patterns: readonly CompiledPattern[];
};

const WORD = '[\\p{L}\\p{N}]';
/**
 * V8 stops optimising expressions of more than 20 KB of source (the English list in one
 * expression ran a hundred times slower), so a list is split into expressions of at most
 * this size. Each is scanned separately, so terms in different ones never compete.
 */
const MAX_PATTERN_SOURCE = 8_000;

export function compileTermList(list: UrgencyTermList): CompiledTermList {
  const entries: CompiledEntry[] = [
    ...list.rules.flatMap((rule, ruleIndex) => rule.terms.map((term) => ({ term, ruleIndex, group: undefined }))),
    ...Object.entries(list.groups).flatMap(([group, terms]) => terms.map((term) => ({ term, ruleIndex: -1, group }))),
  ];
  // Longest first: where two terms start at the same word, the more specific one is seen.
  entries.sort((a, b) => b.term.length - a.term.length);
  const patterns: CompiledPattern[] = [];
  let chunk: CompiledEntry[] = [];
  let sources: string[] = [];
  let size = 0;
  const flush = () => {
    // The word boundary after the alternation: when it fails the engine backtracks into
    // the next alternative, as if every term carried its own.
    const pattern = new RegExp(`(?<!${WORD})(?:${sources.join('|')})(?!${WORD})`, 'gu');
    // V8 runs an expression once in its interpreter and compiles it to machine code on the
    // next run; two runs on a short string keep both slow runs off a resident's message.
    pattern.test('warm up');
    pattern.test('warm up');
    pattern.lastIndex = 0;
    patterns.push({ pattern, entries: chunk });
    chunk = [];
    sources = [];
    size = 0;
  };
  for (const entry of entries) {
    const source = `(${termSource(entry.term)})`;
    if (size > 0 && size + source.length > MAX_PATTERN_SOURCE) flush();
    chunk.push(entry);
    sources.push(source);
    size += source.length + 1;
  }
  if (chunk.length > 0) flush();
  return { language: list.language, rules: list.rules, negations: new Set(list.negations), patterns };
}

function termSource(term: string): string {
  const words = term.split(' ');
  let source = '';
  words.forEach((word, i) => {
    if (word === '~') {
      source += `(?: ${WORD}+){0,2}`;
      return;
    }
    if (i > 0) source += ' ';
    const isStem = word.endsWith('*');
    const stem = isStem ? word.slice(0, -1) : word;
    source += [...stem].map((c) => (c === '#' ? '[0-9]' : c.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&'))).join('');
    if (isStem) source += `${WORD}*`;
    else if (i === words.length - 1 && !stem.includes('#') && [...stem].length >= 3) source += '(?:e?s)?';
  });
  return source;
}

const problems = URGENCY_TERM_LISTS.flatMap(checkTermList);
if (problems.length > 0) throw new Error(`Urgency term lists are invalid:\n${problems.join('\n')}`);
