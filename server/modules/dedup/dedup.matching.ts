// Matching a probe (a record being created, or an existing one) against the office's records
// with the office's dedup rules and weights: the creation-time check behind 409
// possible_duplicate. Same rules, weights and reasons as the scan; each rule is one indexed
// look-up, so the check costs milliseconds at a million records.
import type { Executor } from '../../platform/db/database.js';
import { ruleHits } from './dedup.matching.repo.js';
import { enabledRules, score } from './dedup.rules.js';
import { loadRules } from './dedup.settings.js';

export type MatchProbe = {
  /** Ignore this record (when probing an existing one). */
  excludeId?: string;
  kind: 'person' | 'organisation';
  givenName: string | null;
  familyName: string | null;
  organisationName: string | null;
  dateOfBirth: string | null;
  emails: string[];
  /** E.164 */
  phones: string[];
  addresses: { line1: string; line2: string | null; postcode: string | null }[];
};

export type Match = { id: string; displayName: string; score: number; reasons: string[] };

const MAX_MATCHES = 10;

/** Active records that match the probe at or above the office's threshold, best first (at most 10). */
export async function findMatches(db: Executor, officeId: string, probe: MatchProbe): Promise<Match[]> {
  const rules = await loadRules(db, officeId);
  const hits = await ruleHits(db, {
    officeId,
    excludeId: probe.excludeId ?? null,
    kind: probe.kind,
    given: probe.givenName,
    family: probe.familyName,
    organisation: probe.organisationName,
    dateOfBirth: probe.dateOfBirth,
    emails: [...new Set(probe.emails.map((e) => e.trim().toLowerCase()).filter(Boolean))],
    phones: [...new Set(probe.phones.filter(Boolean))],
    addresses: probe.addresses.filter((a) => a.line1.trim() !== ''),
    rules: enabledRules(rules),
    threshold: rules.nameSimilarity,
  });
  const byRecord = new Map<string, { displayName: string; met: typeof hits }>();
  for (const h of hits) {
    const entry = byRecord.get(h.id) ?? { displayName: h.display_name ?? '', met: [] };
    entry.met.push(h);
    byRecord.set(h.id, entry);
  }
  const matches: Match[] = [];
  for (const [id, { displayName, met }] of byRecord) {
    const s = score(rules, met);
    if (s.score >= rules.scoreThreshold) matches.push({ id, displayName, ...s });
  }
  matches.sort((a, b) => b.score - a.score || a.displayName.localeCompare(b.displayName) || (a.id < b.id ? -1 : 1));
  return matches.slice(0, MAX_MATCHES);
}
