// Notes on a case: internal (staff only) unless shared with the resident. Write, edit by the
// author within a short window, delete (soft, audited). Each change is an audit event on the
// case's timeline (entity case_note). People @mentioned hear of it in the app and by email, once
// per note and person (dedupe keys), also when an edit adds them.
// Sharing with the resident (isPublic, when writing it or later by its author or a manager):
// the note shows on the portal's tracking page and the requester is told (a resident update,
// sent by a job after the commit). Never on a sensitive case (refused). A shared note's text is
// what the resident read, so it is not edited; withdrawing it (its author or a manager) takes it
// off the tracking page and is its own audit event ('unshared'), as is deleting it.
import { z } from 'zod';
import {
  NOTE_EDIT_WINDOW_MINUTES, ZCreateCaseNote, ZEditCaseNote, ZShareCaseNote, type CaseStaff, type CreateCaseNote, type CaseNote, type EditCaseNote, type ShareCaseNote,
} from '../../../contract/case-work.js';
import type { Page } from '../../../contract/common.js';
import * as audit from '../../platform/audit/audit.js';
import { inTransaction, type Trx } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { decodeCursor, page } from '../../platform/http/pagination.js';
import type { Scope } from '../../platform/scope.js';
import { staffByIds, staffForCase, visibleCase, type CaseRef, type StaffMember } from '../cases/cases.access.js';
import type { Viewer } from '../cases/cases.service.js';
import { enqueueEmail } from '../messages/messages.outbox.js';
import { notify } from '../notifications/notifications.service.js';
import { queueUpdate } from '../updates/updates.queue.js';
import { checkMentions, plainText } from './notes.mentions.js';
import * as repo from './notes.repo.js';

/** Who is acting on a note: the viewer, and whether they may delete other people's notes. */
export type NoteViewer = Viewer & { canModerate: boolean };

const WINDOW_MS = NOTE_EDIT_WINDOW_MINUTES * 60_000;
const editable = (r: repo.NoteRow, viewer: Viewer, now = Date.now()) => !r.is_public && r.author_id === viewer.userId && now - r.created_at.getTime() < WINDOW_MS;
const excerpt = (body: string, n = 140) => { const t = plainText(body).replace(/\s+/g, ' ').trim(); return t.length > n ? `${t.slice(0, n - 1)}…` : t; };

function present(r: repo.NoteRow, names: Map<string, StaffMember>, viewer: Viewer): CaseNote {
  return {
    id: r.id, caseId: r.case_id, body: r.body, authorId: r.author_id, author: r.author_label,
    mentions: r.mentions.map((id) => ({ id, displayName: names.get(id)?.displayName ?? 'former staff' })),
    createdAt: r.created_at.toISOString(), editedAt: r.edited_at ? r.edited_at.toISOString() : null, canEdit: editable(r, viewer),
    isPublic: r.is_public, publishedAt: r.published_at ? r.published_at.toISOString() : null,
  };
}

const noNote = () => new DomainError('not_found', { message: 'No such note on this case' });

const neverOnSensitive = () => new DomainError('validation_failed', { field: 'isPublic', message: "A sensitive case's notes are never shared with the resident" });

/** The resident hears of a newly shared note (once per note: a withdrawn and re-shared note is not sent again). */
const tellResident = (trx: Trx, scope: Scope, c: CaseRef, note: repo.NoteRow) =>
  queueUpdate(trx, scope.officeId, { caseId: c.id, kind: 'public_note', eventKey: `note:${note.id}`, noteId: note.id });

async function tellMentioned(trx: Trx, scope: Scope, c: CaseRef, note: repo.NoteRow, people: StaffMember[], publicUrl: string): Promise<void> {
  const others = people.filter((u) => u.id !== note.author_id);
  if (others.length === 0) return;
  await notify(trx, scope.officeId, others.map((u) => ({
    userId: u.id, kind: 'mention', caseId: c.id, dedupeKey: `mention:${note.id}`, body: `${note.author_label} mentioned you on ${c.reference}: ${excerpt(note.body, 200)}`,
  })));
  for (const u of others) {
    // A sensitive case's note stays out of mailboxes: the email only points to it.
    const what = c.isSensitive ? 'Open the case to read the note.' : `"${plainText(note.body)}"`;
    await enqueueEmail(trx, scope, {
      to: u.email, subject: `${note.author_label} mentioned you on ${c.reference}`.slice(0, 300), caseId: c.id, kind: 'mention', dedupeKey: `mention:${note.id}:${u.id}`,
      text: `Hello ${u.displayName},\n\n${note.author_label} mentioned you in a note on case ${c.reference}.\n\n${what}\n\n${publicUrl}/cases/${c.id}\n`,
    });
  }
}

export async function create(scope: Scope, viewer: Viewer, caseId: string, input: CreateCaseNote, publicUrl: string): Promise<CaseNote> {
  const v = ZCreateCaseNote.parse(input);
  return inTransaction(scope.db, async (trx) => {
    const c = await visibleCase(trx, scope, viewer, caseId);
    if (v.isPublic && c.isSensitive) throw neverOnSensitive();
    const people = await checkMentions(trx, scope.officeId, c, v.body);
    const row = await repo.insert(trx, scope.officeId, {
      case_id: c.id, author_id: scope.actor.type === 'system' ? null : viewer.userId, author_label: scope.actor.label, body: v.body, mentions: people.map((u) => u.id), is_public: v.isPublic,
    });
    const summary = `${row.is_public ? 'Note shared with the resident' : 'Note'}: ${excerpt(row.body)}`;
    await audit.record(trx, scope, { entity: 'case_note', id: row.id, action: 'added', caseId: c.id, after: { summary, body: row.body, mentions: row.mentions, isPublic: row.is_public } });
    await tellMentioned(trx, scope, c, row, people, publicUrl);
    if (row.is_public) await tellResident(trx, scope, c, row);
    return present(row, new Map(people.map((u) => [u.id, u])), viewer);
  });
}

export async function edit(scope: Scope, viewer: Viewer, caseId: string, id: string, input: EditCaseNote, publicUrl: string): Promise<CaseNote> {
  const v = ZEditCaseNote.parse(input);
  return inTransaction(scope.db, async (trx) => {
    const c = await visibleCase(trx, scope, viewer, caseId);
    const before = await repo.lock(trx, scope.officeId, c.id, id);
    if (!before) throw noNote();
    if (before.author_id !== viewer.userId) throw new DomainError('forbidden', { message: 'Only the author may edit a note' });
    if (before.is_public) throw new DomainError('conflict', { message: 'A note shared with the resident is not edited (they may have read it); add another note, or withdraw this one' });
    if (!editable(before, viewer)) throw new DomainError('forbidden', { message: `A note can be edited for ${NOTE_EDIT_WINDOW_MINUTES} minutes after it is written` });
    const people = await checkMentions(trx, scope.officeId, c, v.body);
    const row = await repo.update(trx, scope.officeId, id, { body: v.body, mentions: people.map((u) => u.id) });
    await audit.record(trx, scope, {
      entity: 'case_note', id, action: 'edited', caseId: c.id, before: { body: before.body, mentions: before.mentions },
      after: { summary: `Note edited: ${excerpt(row.body)}`, body: row.body, mentions: row.mentions },
    });
    await tellMentioned(trx, scope, c, row, people.filter((u) => !before.mentions.includes(u.id)), publicUrl);
    return present(row, new Map(people.map((u) => [u.id, u])), viewer);
  });
}

export async function remove(scope: Scope, viewer: NoteViewer, caseId: string, id: string): Promise<void> {
  await inTransaction(scope.db, async (trx) => {
    const c = await visibleCase(trx, scope, viewer, caseId);
    const row = await repo.lock(trx, scope.officeId, c.id, id);
    if (!row) throw noNote();
    if (row.author_id !== viewer.userId && !viewer.canModerate) throw new DomainError('forbidden', { message: "Only the author or a manager may delete a note" });
    await repo.softDelete(trx, scope.officeId, id);
    await audit.record(trx, scope, {
      entity: 'case_note', id, action: 'deleted', caseId: c.id, before: { body: row.body, author: row.author_label, isPublic: row.is_public },
      after: { summary: row.is_public ? 'Shared note deleted (no longer shown to the resident)' : 'Note deleted' },
    });
  });
}

/** Shares a note with the resident or withdraws it: its author or a manager; each is an audit event. */
export async function share(scope: Scope, viewer: NoteViewer, caseId: string, id: string, input: ShareCaseNote): Promise<CaseNote> {
  const v = ZShareCaseNote.parse(input);
  return inTransaction(scope.db, async (trx) => {
    const c = await visibleCase(trx, scope, viewer, caseId);
    const before = await repo.lock(trx, scope.officeId, c.id, id);
    if (!before) throw noNote();
    if (before.author_id !== viewer.userId && !viewer.canModerate) throw new DomainError('forbidden', { message: 'Only the author or a manager may share or withdraw a note' });
    if (v.isPublic && c.isSensitive) throw neverOnSensitive();
    const names = await staffByIds(trx, scope.officeId, before.mentions);
    if (before.is_public === v.isPublic) return present(before, names, viewer);
    const row = await repo.setPublic(trx, scope.officeId, id, v.isPublic);
    await audit.record(trx, scope, {
      entity: 'case_note', id, action: v.isPublic ? 'shared' : 'unshared', caseId: c.id, before: { isPublic: before.is_public, publishedAt: before.published_at },
      after: { summary: `${v.isPublic ? 'Note shared with the resident' : 'Note withdrawn from the resident'}: ${excerpt(row.body)}`, isPublic: row.is_public },
    });
    if (v.isPublic) await tellResident(trx, scope, c, row);
    return present(row, names, viewer);
  });
}

export async function list(scope: Scope, viewer: Viewer, caseId: string, q: { limit: number; cursor?: string | undefined }): Promise<Page<CaseNote>> {
  const c = await visibleCase(scope.db, scope, viewer, caseId, 'notes');
  const after = decodeCursor(q.cursor, z.tuple([z.uuid()]));
  const rows = await repo.list(scope.db, scope.officeId, c.id, after?.[0], q.limit + 1);
  const p = page(rows, q.limit, (r) => [r.id]);
  const names = await staffByIds(scope.db, scope.officeId, p.items.flatMap((r) => r.mentions));
  return { items: p.items.map((r) => present(r, names, viewer)), nextCursor: p.nextCursor };
}

/** Staff who may read the case (mention picker), and whether each may work it (task assignees). */
export async function staffOf(scope: Scope, viewer: Viewer, caseId: string): Promise<CaseStaff[]> {
  const c = await visibleCase(scope.db, scope, viewer, caseId);
  return (await staffForCase(scope.db, scope.officeId, c)).map((u) => ({ id: u.id, displayName: u.displayName, canWork: u.canWork }));
}
