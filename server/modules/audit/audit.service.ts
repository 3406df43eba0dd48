// Reading the audit log, newest first, with filters and cursor pagination.
import { z } from 'zod';
import type { AuditEvent, AuditQuery } from '../../../contract/audit.js';
import type { Page } from '../../../contract/common.js';
import { decodeCursor, page } from '../../platform/http/pagination.js';
import type { Scope } from '../../platform/scope.js';
import * as repo from './audit.repo.js';

type Row = Awaited<ReturnType<typeof repo.list>>[number];

function present(r: Row): AuditEvent {
  return {
    id: r.id,
    occurredAt: r.occurred_at.toISOString(),
    actorType: r.actor_type as AuditEvent['actorType'],
    actorId: r.actor_id,
    actorLabel: r.actor_label,
    entityType: r.entity_type,
    entityId: r.entity_id,
    action: r.action,
    before: r.before,
    after: r.after,
    requestId: r.request_id,
  };
}

export async function list(scope: Scope, q: AuditQuery): Promise<Page<AuditEvent>> {
  const cursor = decodeCursor(q.cursor, z.tuple([z.number().int().positive()]));
  const rows = await repo.list(scope.db, scope.officeId, { ...q, beforeId: cursor?.[0] });
  const p = page(rows, q.limit, (r) => [r.id]);
  return { items: p.items.map(present), nextCursor: p.nextCursor };
}
