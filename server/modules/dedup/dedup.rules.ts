// The match rules shared by the scan (all pairs of an office) and findMatches (one probe):
// defaults, the guards on block sizes, and how a rule's reason reads. Pure.
import { DEDUP_RULES, ZDedupRules, type DedupRuleName, type DedupRules } from '../../../contract/dedup.js';

export { DEDUP_RULES, type DedupRuleName, type DedupRules };

/**
 * Defaults: every rule alone reaches the threshold except a shared phone (households share
 * landlines, offices a switchboard), which only adds to other evidence; pairs meeting
 * several rules rank higher in the queue. A similar name in the same postcode is the
 * weakest rule that still makes a candidate on its own.
 */
export const DEFAULT_RULES: DedupRules = {
  rules: {
    exactEmail: { enabled: true, weight: 70 },
    exactPhone: { enabled: true, weight: 40 },
    nameAddress: { enabled: true, weight: 70 },
    namePostcode: { enabled: true, weight: 50 },
    nameDob: { enabled: true, weight: 60 },
  },
  // Measured on the demo names: one typo (substitution, deletion, insertion or
  // transposition) keeps pg_trgm similarity at or above 0.5 for ~98% of names.
  nameSimilarity: 0.5,
  scoreThreshold: 50,
};

/**
 * Guards that keep a scan bounded whatever the data. An email or phone shared by more than
 * EXACT_BLOCK_CAP active records is a shared mailbox, a switchboard or a placeholder, not
 * one person; an address, postcode or birth date shared by more than FUZZY_BLOCK_CAP says
 * little about identity. Within a fuzzy block, records are compared only when a word of
 * their names starts with the same two letters (a typo rarely hits the start of both given
 * and family name), and a group larger than NAME_GROUP_CAP is left out. Skipped blocks and
 * groups are counted in the scan's result.
 */
export const LIMITS = { exactBlockCap: 20, fuzzyBlockCap: 2_000, nameGroupCap: 300 } as const;

export type RuleKind = 'exact' | 'fuzzy';
export const RULE_KIND: Record<DedupRuleName, RuleKind> = {
  exactEmail: 'exact', exactPhone: 'exact', nameAddress: 'fuzzy', namePostcode: 'fuzzy', nameDob: 'fuzzy',
};

/** What a fuzzy rule's block shares, as its reason says it. */
export const FUZZY_SHARED: Record<'nameAddress' | 'namePostcode' | 'nameDob', string> = {
  nameAddress: 'same address',
  namePostcode: 'same postcode',
  nameDob: 'same date of birth',
};

/** Rules stored for an office (JSON), or the defaults when none are stored or they no longer parse. */
export function parseStoredRules(stored: unknown): DedupRules | null {
  const parsed = ZDedupRules.safeParse(stored);
  return parsed.success ? parsed.data : null;
}

export const enabledRules = (r: DedupRules): DedupRuleName[] => DEDUP_RULES.filter((k) => r.rules[k].enabled);

/** Sum of the weights of the rules met, and their reasons strongest first. */
export function score(rules: DedupRules, met: { rule: DedupRuleName; reason: string }[]): { score: number; reasons: string[] } {
  const best = new Map<DedupRuleName, string>();
  // One reason per rule, the first in code-point order, as the scan's SQL picks it.
  for (const m of met) if (!best.has(m.rule) || m.reason < best.get(m.rule)!) best.set(m.rule, m.reason);
  const list = [...best.entries()].map(([rule, reason]) => ({ reason, weight: rules.rules[rule].weight }));
  list.sort((a, b) => b.weight - a.weight || (a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0));
  return { score: list.reduce((n, x) => n + x.weight, 0), reasons: list.map((x) => x.reason) };
}
