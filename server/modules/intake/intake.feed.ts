// What other modules may read of stored items for a channel's public feed (Open311 shows a
// report's media URL and attribute answers from the item it came in).
import type { Executor } from '../../platform/db/database.js';
import * as repo from './intake.repo.js';

export const reportDetails = (db: Executor, officeId: string, channel: string, caseIds: readonly string[]) => repo.firstDetailsOfCases(db, officeId, channel, caseIds);

/** An item's channel, state and case, for a client holding its id as a token. */
export const itemState = async (db: Executor, officeId: string, id: string) => {
  const row = await repo.get(db, officeId, id);
  return row ? { channel: row.channel, status: row.status, caseId: row.case_id, raw: row.raw, details: row.details as Record<string, unknown> } : undefined;
};
