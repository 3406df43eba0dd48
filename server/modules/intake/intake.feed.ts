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

/** A request sent through the web form or the portal, as its tracking page shows it: never a comment, and spam looks like a request still waiting. */
export async function trackedRequest(db: Executor, officeId: string, id: string) {
  const row = await repo.get(db, officeId, id);
  if (!row || row.channel !== 'web') return undefined;
  const details = (row.details ?? {}) as Record<string, unknown>;
  if (details.portal === 'comment') return undefined;
  const isFiled = row.status === 'filed' && row.case_id !== null;
  return { id: row.id, receivedAt: row.received_at, caseId: isFiled ? row.case_id : null, senderName: row.sender_name, isAnonymous: details.anonymous === true };
}

/** The first request of the case with this reference that was sent with this email or phone (as typed then), if any. */
export const requestByReference = (db: Executor, officeId: string, reference: string, contact: { email: string | null; phone: string | null }) =>
  repo.firstWebRequestOf(db, officeId, reference, contact);

/** The ids of the comments added on the portal to this request (a case's other requesters' comments are theirs, not this one's). */
export const commentsOfRequest = (db: Executor, officeId: string, requestItemId: string) => repo.portalCommentIds(db, officeId, requestItemId);

/** The storage keys of the photos sent with this portal request and with its comments, oldest first. */
export async function photoKeysOfRequest(db: Executor, officeId: string, requestItemId: string): Promise<string[]> {
  const rows = await repo.detailsOfRequestAndComments(db, officeId, requestItemId);
  return rows.flatMap((r) => {
    const photos = (r.details as { photos?: unknown } | null)?.photos;
    return Array.isArray(photos) ? photos.flatMap((p) => (typeof (p as { key?: unknown }).key === 'string' ? [(p as { key: string }).key] : [])) : [];
  });
}

/** The id of the case's first web or portal request (what its tracking link names), or null. */
export const webRequestOfCase = async (db: Executor, officeId: string, caseId: string) => (await repo.firstWebRequestOfCase(db, officeId, caseId))?.id ?? null;

export type OwnItem = { id: string; channel: string; receivedAt: Date; subject: string | null; text: string | null; caseId: string | null; isPortalComment: boolean; isPortalRequest: boolean };

/** What these constituents sent the office (a signed-in resident's own messages), oldest first; never spam or automatic mail. */
export async function itemsFrom(db: Executor, officeId: string, constituentIds: readonly string[]): Promise<OwnItem[]> {
  if (!constituentIds.length) return [];
  return (await repo.itemsFromConstituents(db, officeId, constituentIds)).map((r) => ({
    id: r.id, channel: r.channel, receivedAt: r.received_at, subject: r.subject, text: r.text, caseId: r.status === 'filed' ? r.case_id : null,
    isPortalComment: r.portal === 'comment', isPortalRequest: r.channel === 'web' && r.portal !== 'comment',
  }));
}
