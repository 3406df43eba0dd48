// What residents may see of notes: only those staff shared with them (is_public), live, as
// plain text (a mention shows as @Name). Read by the portal's tracking page and by resident
// updates; internal notes never leave this module by these functions.
import type { Executor } from '../../platform/db/database.js';
import { plainText } from './notes.mentions.js';
import * as repo from './notes.repo.js';

export type PublicNote = { id: string; text: string; publishedAt: Date };

/** The case's shared notes, oldest first. */
export async function publicNotesOf(db: Executor, officeId: string, caseId: string): Promise<PublicNote[]> {
  return (await repo.listPublic(db, officeId, caseId)).map((r) => ({ id: r.id, text: plainText(r.body), publishedAt: r.published_at! }));
}

/** The note if it is still shared (it may have been withdrawn or deleted since). */
export async function sharedNote(db: Executor, officeId: string, noteId: string): Promise<PublicNote | undefined> {
  const r = await repo.getPublic(db, officeId, noteId);
  return r ? { id: r.id, text: plainText(r.body), publishedAt: r.published_at! } : undefined;
}
