// What a tracking page shows: the request a signed link names (a stored web request of this
// office), and, once it is on a case, the case as its resident may see it. The office's own
// status becomes one of five resident statuses; the history is the public one (opened, status
// changes, reopenings) with this request's own comments and the notes staff shared. Never staff data, never other people,
// never the requester's name when they asked for anonymity; a sensitive case shows its
// reference and status only.
import type { Executor } from '../../platform/db/database.js';
import * as publicCases from '../cases/cases.public.js';
import * as feed from '../intake/intake.feed.js';
import { publicNotesOf } from '../notes/notes.public.js';

export type ResidentStatus = 'received' | 'in_progress' | 'waiting' | 'resolved' | 'closed';

export type TrackView = {
  reference: string | null;
  status: ResidentStatus;
  isSensitive: boolean;
  canComment: boolean;
  details: { category: string | null; submittedAt: Date; expectedAt: Date | null; address: string | null; requesterName: string | null; resolution: string | null } | null;
  history: { at: Date; kind: publicCases.PublicEvent['kind'] | 'note'; status: ResidentStatus; text: string | null }[] | null;
};

/** The resident's word for a case status: its workflow category, and 'received' while it is in the initial status. */
export function residentStatus(category: string, isInitial = false): ResidentStatus {
  if (category === 'open') return isInitial ? 'received' : 'in_progress';
  if (category === 'waiting' || category === 'resolved' || category === 'closed') return category;
  return 'in_progress';
}

const isFinished = (s: ResidentStatus) => s === 'resolved' || s === 'closed';

export async function trackingView(db: Executor, officeId: string, itemId: string): Promise<TrackView | undefined> {
  const request = await feed.trackedRequest(db, officeId, itemId);
  if (!request) return undefined;
  const requesterName = request.isAnonymous ? null : request.senderName;
  const kase = request.caseId ? await publicCases.publicCase(db, officeId, request.caseId) : undefined;
  if (!kase) {
    const details = { category: null, submittedAt: request.receivedAt, expectedAt: null, address: null, requesterName, resolution: null };
    return { reference: null, status: 'received', isSensitive: false, canComment: false, details, history: null };
  }
  return caseTrackView(db, officeId, kase, { submittedAt: request.receivedAt, requesterName }, () => feed.commentsOfRequest(db, officeId, request.id));
}

/**
 * A case as its resident may see it: reference and status only when it is sensitive; else its
 * details and public history, with the comments `ownComments` names (the resident's own) and
 * the notes staff shared. Used by the tracking page and by a signed-in resident's account.
 */
export async function caseTrackView(
  db: Executor, officeId: string, kase: publicCases.PublicCase, request: { submittedAt: Date; requesterName: string | null }, ownComments: () => Promise<ReadonlySet<string>>,
): Promise<TrackView> {
  const status = residentStatus(kase.statusCategory, kase.isInitialStatus);
  if (kase.isSensitive) return { reference: kase.reference, status, isSensitive: true, canComment: true, details: null, history: null };
  const mine = await ownComments();
  const events = await publicCases.publicHistory(db, officeId, kase.id, 'web');
  // Notes staff shared with the resident join the history at the time they were shared.
  const notes = (await publicNotesOf(db, officeId, kase.id)).map((n) => ({ at: n.publishedAt, kind: 'note' as const, status, text: n.text }));
  return {
    reference: kase.reference, status, isSensitive: false, canComment: true,
    details: {
      category: kase.categoryName, submittedAt: request.submittedAt, address: kase.address, requesterName: request.requesterName,
      expectedAt: isFinished(status) ? null : kase.resolutionDueAt,
      resolution: isFinished(status) ? kase.resolutionSummary : null,
    },
    history: [
      ...events.filter((e) => e.kind !== 'comment' || (e.itemId !== null && mine.has(e.itemId)))
        .map((e) => ({ at: e.at, kind: e.kind, status: residentStatus(e.statusCategory), text: e.kind === 'comment' ? e.text : null })),
      ...notes,
    ].sort((x, y) => x.at.getTime() - y.at.getTime()),
  };
}
