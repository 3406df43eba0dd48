// Letters: replies that go by post. A letter waits in the office's print queue (the outbox row,
// status 'queued') until someone prints it (one PDF for any selection, each letter on its own
// pages) and marks it posted; marking can be undone. Letters of sensitive cases are listed,
// printed and posted only by staff who may see those cases, and printing one is a logged read.
import type { Letter } from '../../../contract/messages.js';
import * as audit from '../../platform/audit/audit.js';
import { inTransaction } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { decodeCursor, page } from '../../platform/http/pagination.js';
import { withDb, type Scope } from '../../platform/scope.js';
import { z } from 'zod';
import { logSensitiveRead, type Viewer } from '../cases/cases.service.js';
import * as offices from '../offices/offices.service.js';
import { lettersPdf } from './letters.pdf.js';
import { addresseeOf } from './messages.outbox.js';
import * as repo from './messages.repo.js';

function present(r: repo.LetterRow): Letter {
  return {
    id: r.id, caseId: r.case_id, caseReference: r.reference, constituentId: r.constituent_id, to: r.to_address, subject: r.subject,
    createdBy: r.created_by_label, createdAt: r.created_at.toISOString(), postedAt: r.sent_at ? r.sent_at.toISOString() : null,
  };
}

const ZCursor = z.tuple([z.iso.datetime(), z.uuid()]);

/** Logs the reads of the sensitive cases among these letters (a case page read, by another way in). */
async function logSensitive(scope: Scope, rows: repo.LetterRow[], via: string): Promise<void> {
  const sensitive = rows.filter((r) => r.is_sensitive).map((r) => ({ id: r.case_id!, reference: r.reference! }));
  if (sensitive.length) await logSensitiveRead(scope.db, scope, sensitive, via);
}

export async function list(scope: Scope, viewer: Viewer, q: { status: 'waiting' | 'posted'; limit: number; cursor?: string | undefined }) {
  const posted = q.status === 'posted';
  const rows = await repo.letterPage(scope.db, scope.officeId, { posted, includeSensitive: viewer.canSeeSensitive, after: decodeCursor(q.cursor, ZCursor), limit: q.limit });
  const p = page(rows, q.limit, (r) => [r.k_time, r.id]);
  await logSensitive(scope, p.items, 'letters');
  return { items: p.items.map(present), nextCursor: p.nextCursor };
}

/** The letters the viewer may see, in the order asked; any other id is a 404 (nothing is half-done). */
async function visible(scope: Scope, viewer: Viewer, ids: string[]): Promise<repo.LetterRow[]> {
  const unique = [...new Set(ids)];
  const rows = await repo.lettersByIds(scope.db, scope.officeId, unique);
  const byId = new Map(rows.filter((r) => !r.is_sensitive || viewer.canSeeSensitive).map((r) => [r.id, r]));
  const missing = unique.find((id) => !byId.has(id));
  if (missing) throw new DomainError('not_found', { field: 'ids', message: `No letter ${missing} in this office` });
  return unique.map((id) => byId.get(id)!);
}

/** One PDF of the chosen letters, each starting on a new page. */
export async function pdf(scope: Scope, viewer: Viewer, ids: string[]): Promise<{ pdf: Buffer; filename: string }> {
  const rows = await visible(scope, viewer, ids);
  await logSensitive(scope, rows, 'letter printed');
  const office = await offices.get(scope);
  const bytes = await lettersPdf(office, rows);
  const filename = rows.length === 1 && rows[0]!.reference ? `letter-${rows[0]!.reference}.pdf` : `letters-${rows.length}.pdf`;
  return { pdf: bytes, filename };
}

/**
 * Marks the letters posted (or, with `posted` false, back in the print queue), with an event on
 * each case's timeline. Letters already in that state are left as they are.
 */
export async function markPosted(scope: Scope, viewer: Viewer, ids: string[], posted: boolean): Promise<{ changed: number }> {
  return inTransaction(scope.db, async (trx) => {
    const s = withDb(scope, trx);
    const rows = await visible(s, viewer, ids);
    const changed = await repo.setLettersPosted(trx, scope.officeId, rows.map((r) => r.id), posted);
    await audit.recordMany(trx, scope, changed.map((m) => {
      const name = addresseeOf(m.to_address);
      return {
        entity: 'message', id: m.id, action: posted ? 'sent' : 'unposted', caseId: m.case_id, constituentId: m.constituent_id,
        after: { summary: posted ? `Letter posted to ${name}: ${m.subject}` : `Letter to ${name} back in the print queue (marked posted by mistake)`, status: posted ? 'sent' : 'queued', channel: 'letter' },
      };
    }));
    return { changed: changed.length };
  });
}
