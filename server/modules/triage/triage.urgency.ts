// Urgent and safeguarding content in a resident's message: threats to life, self-harm,
// abuse, welfare worries (severity `safeguarding`: a person at risk, someone should look
// now) and hazards or loss of essentials (severity `urgent`: gas, fire, flooding into a
// home, live wires, no heating or water with a vulnerable person, eviction tonight).
//
// The terms are data, one list per language in urgency-terms/ (syntax in
// triage.urgency-terms.ts). Matching is on normalised text (lower case, accents folded,
// punctuation to spaces, whole words), through one precompiled regular expression per
// language built only from our own escaped terms. We prefer recall for safeguarding (a
// false alarm costs a minute of staff time, a miss can cost a life), so those kinds ignore
// negation; hazard kinds skip a match preceded by a negation ("no smell of gas"). Generic
// hazard hyperbole ("this pothole will kill someone", "dangerous") is not a term: routine
// street hazards are for the category's SLA, not for the on-duty person.
import { createHash } from 'node:crypto';
import {
  MATCHER_VERSION, compileTermList, normalizeForMatching, URGENCY_TERM_LISTS,
  type CompiledTermList, type UrgencyKind, type UrgencySeverity,
} from './triage.urgency-terms.js';

export type { UrgencyKind, UrgencySeverity } from './triage.urgency-terms.js';

export type UrgencyMatch = { kind: UrgencyKind; severity: UrgencySeverity; term: string; language: string };
export type UrgencyResult = { urgent: boolean; matches: UrgencyMatch[] };

/** Characters of a message looked at: the resident's point is made at the start. */
const MAX_CHARS = 20_000;
/** Term hits examined per expression: bounds the work on a message repeating terms (each hit
 * costs a few microseconds); no real message comes near it within MAX_CHARS. */
const MAX_HITS = 200;
/** Words before a hazard term searched for a negation ("there is no smell of gas"). */
const NEGATION_WINDOW = 3;
/** Kinds where "no"/"not" before the term means the hazard is absent. */
const NEGATABLE_KINDS: ReadonlySet<UrgencyKind> = new Set(['gas_or_fire', 'flooding', 'electrical', 'dangerous_structure']);

/** Names the exact term lists and matcher behind a decision (stored with it). */
export const URGENCY_TERMS_VERSION = `${MATCHER_VERSION}-${createHash('sha256')
  .update(JSON.stringify(URGENCY_TERM_LISTS)).digest('hex').slice(0, 12)}`;

/** Languages with a term list (ISO 639-1). */
export const URGENCY_LANGUAGES: readonly string[] = URGENCY_TERM_LISTS.map((list) => list.language);

const compiled = new Map<string, CompiledTermList>();
function compiledList(language: string): CompiledTermList {
  let list = compiled.get(language);
  if (!list) {
    list = compileTermList(URGENCY_TERM_LISTS.find((l) => l.language === language)!);
    compiled.set(language, list);
  }
  return list;
}

/**
 * Checks the message against the list of `language` and the English list (messages mix
 * languages), or the English list alone for a language without one. Pass the language only
 * when detection was reliable: without one (null or undefined) every list is checked, so
 * Welsh, which detection cannot name, is covered.
 */
export function detectUrgency(text: string, language?: string | null): UrgencyResult {
  const normalized = normalizeForMatching(withoutQuotedLines(String(text ?? '').slice(0, MAX_CHARS)));
  const languages = languagesToCheck(language);
  const hits = languages.map((lang) => findHits(compiledList(lang), normalized));
  const groupsPresent = new Set(hits.flatMap((h) => [...h.groups]));
  const matches: UrgencyMatch[] = [];
  const seen = new Set<string>();
  for (const { list, rules } of hits) {
    for (const { ruleIndex, term } of rules) {
      const rule = list.rules[ruleIndex]!;
      if (!(rule.requires ?? []).every((group) => groupsPresent.has(group))) continue;
      const key = `${list.language}\u0000${rule.kind}\u0000${term}`;
      if (seen.has(key)) continue;
      seen.add(key);
      matches.push({ kind: rule.kind, severity: rule.severity, term, language: list.language });
    }
  }
  matches.sort((a, b) => severityRank(a.severity) - severityRank(b.severity));
  return { urgent: matches.length > 0, matches };
}

function languagesToCheck(language: string | null | undefined): string[] {
  const primary = (language ?? '').trim().toLowerCase().split(/[-_]/)[0] ?? '';
  if (!primary) return [...URGENCY_LANGUAGES];
  return URGENCY_LANGUAGES.includes(primary) ? [...new Set([primary, 'en'])] : ['en'];
}

type Hits = { list: CompiledTermList; rules: { ruleIndex: number; term: string }[]; groups: Set<string> };

function findHits(list: CompiledTermList, text: string): Hits {
  const hits: Hits = { list, rules: [], groups: new Set() };
  for (const { pattern, entries } of list.patterns) {
    pattern.lastIndex = 0;
    let count = 0;
    for (let m = pattern.exec(text); m && count < MAX_HITS; m = pattern.exec(text), count++) {
      let group = 1;
      while (m[group] === undefined) group++;
      const entry = entries[group - 1]!;
      // Next try from the following character: terms starting inside this match still count.
      pattern.lastIndex = m.index + 1;
      if (entry.group !== undefined) {
        hits.groups.add(entry.group);
      } else {
        const rule = list.rules[entry.ruleIndex]!;
        if (NEGATABLE_KINDS.has(rule.kind) && isNegated(text, m.index, list.negations)) continue;
        hits.rules.push({ ruleIndex: entry.ruleIndex, term: entry.term });
      }
    }
  }
  return hits;
}

/** A negation word among the few words before `index`, within the same clause. */
function isNegated(text: string, index: number, negations: ReadonlySet<string>): boolean {
  const start = Math.max(0, index - 80);
  const before = text.slice(start, index).split(' ').filter(Boolean);
  if (start > 0) before.shift(); // probably cut mid-word
  for (const word of before.slice(-NEGATION_WINDOW).reverse()) {
    if (word === '|') return false;
    if (negations.has(word)) return true;
  }
  return false;
}

// Quoted lines of a reply are our own earlier words or the resident's earlier message,
// already checked when it arrived; our templates mention danger and would flag every reply.
function withoutQuotedLines(text: string): string {
  return text.split('\n').filter((line) => !line.trimStart().startsWith('>')).join('\n');
}

function severityRank(severity: UrgencySeverity): number {
  return severity === 'safeguarding' ? 0 : 1;
}
