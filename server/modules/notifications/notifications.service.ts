// Notifications for staff: other modules call notify() inside their transaction with a
// dedupe key per notification, so a job that runs twice (or crashes and retries) never
// tells anyone twice; staff list theirs and mark them read.
import { z } from 'zod';
import type { Notification, NotificationListQuery } from '../../../contract/notifications.js';
import type { Executor } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { decodeCursor, encodeCursor } from '../../platform/http/pagination.js';
import type { Scope } from '../../platform/scope.js';
import * as repo from './notifications.repo.js';

export type { NewNotification } from './notifications.repo.js';

type Row = { id: string; kind: string; case_id: string | null; body: string; created_at: Date; read_at: Date | null };

const present = (r: Row): Notification => ({
  id: r.id, kind: r.kind, caseId: r.case_id, body: r.body, createdAt: r.created_at.toISOString(), readAt: r.read_at ? r.read_at.toISOString() : null,
});

/** Writes notifications that do not exist yet (by user and dedupe key); returns the user ids written to. */
export async function notify(db: Executor, officeId: string, items: repo.NewNotification[]): Promise<string[]> {
  return (await repo.insertOnce(db, officeId, items)).map((r) => r.user_id);
}

export async function listMine(scope: Scope, userId: string, q: NotificationListQuery): Promise<{ items: Notification[]; nextCursor: string | null; unread: number }> {
  const after = decodeCursor(q.cursor, z.tuple([z.uuid()]));
  const rows = await repo.list(scope.db, scope.officeId, userId, { unread: q.unread, afterId: after?.[0], limit: q.limit + 1 });
  const items = rows.slice(0, q.limit);
  const last = items[items.length - 1];
  return {
    items: items.map(present),
    nextCursor: rows.length > q.limit && last ? encodeCursor([last.id]) : null,
    unread: await repo.countUnread(scope.db, scope.officeId, userId),
  };
}

export async function markRead(scope: Scope, userId: string, id: string): Promise<Notification> {
  const row = await repo.markRead(scope.db, scope.officeId, userId, id);
  if (!row) throw new DomainError('not_found', { message: 'You have no such notification' });
  return present(row);
}

export const markAllRead = async (scope: Scope, userId: string): Promise<{ marked: number }> => ({ marked: await repo.markAllRead(scope.db, scope.officeId, userId) });
