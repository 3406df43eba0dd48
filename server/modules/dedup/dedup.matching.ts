// Matching a probe (a record being created, or an existing one) against the office's records
// with the office's dedup rules. (Being built: the function below is the interface the registry calls.)
import type { Executor } from '../../platform/db/database.js';

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

/** Active records that match the probe at or above the office's threshold, best first (at most 10). */
export async function findMatches(_db: Executor, _officeId: string, _probe: MatchProbe): Promise<Match[]> {
  return [];
}
