// The case timeline, built from the audit events that carry the case's id. Each kind of
// entry is a set of entity types: the case's own changes now; notes, messages and tasks
// append their events with `caseId` as they land, and add their entity type below.
import { z } from 'zod';
import { ZCaseTimelineQuery, type CaseTimelineEntry } from '../../../contract/cases.js';
import type { Page } from '../../../contract/common.js';
import { DomainError } from '../../platform/errors.js';
import { decodeCursor, page } from '../../platform/http/pagination.js';
import type { Scope } from '../../platform/scope.js';
import * as repo from './cases.repo.js';
import { logSensitiveRead, type Viewer } from './cases.service.js';

type Kind = CaseTimelineEntry['kind'];

/** Which audit entity types make up each kind of timeline entry (access: reads of a sensitive case). */
export const KIND_ENTITIES: Record<Exclude<Kind, 'access'>, string[]> = {
  change: ['case', 'case_attachment'],
  note: ['case_note'],
  message: ['message', 'inbound_item'],
  task: ['case_task'],
  referral: ['referral', 'privacy_release'],
};
const KIND_OF = new Map(Object.entries(KIND_ENTITIES).flatMap(([kind, types]) => types.map((t) => [t, kind as Kind])));

function kindOf(e: repo.TimelineRow): Kind {
  if (e.entity_type === 'case' && e.action === 'viewed') return 'access';
  return KIND_OF.get(e.entity_type) ?? 'change';
}

function summarise(e: repo.TimelineRow): string {
  const after = (e.after ?? {}) as Record<string, unknown>;
  if (typeof after.summary === 'string') return after.summary;
  return `${e.entity_type.replace(/_/g, ' ')} ${e.action.replace(/_/g, ' ')}`;
}

export async function timeline(scope: Scope, viewer: Viewer, id: string, query: z.input<typeof ZCaseTimelineQuery>): Promise<Page<CaseTimelineEntry>> {
  const q = ZCaseTimelineQuery.parse(query);
  const c = await repo.visibility(scope.db, scope.officeId, id);
  if (!c || (c.is_sensitive && !viewer.canSeeSensitive)) throw new DomainError('not_found', { message: 'No such case in this office' });
  const after = decodeCursor(q.cursor, z.tuple([z.number().int()]));
  const filter = q.kind === 'access' ? { reads: true } : { reads: false, ...(q.kind ? { types: KIND_ENTITIES[q.kind] } : {}) };
  const rows = await repo.timeline(scope.db, scope.officeId, id, filter, after?.[0], q.limit);
  if (c.is_sensitive) await logSensitiveRead(scope.db, scope, [c], 'timeline');
  const p = page(rows, q.limit, (r) => [r.id]);
  return {
    items: p.items.map((e) => ({
      id: String(e.id), kind: kindOf(e), action: e.action, summary: summarise(e), actor: e.actor_label,
      occurredAt: e.occurred_at.toISOString(), entityType: e.entity_type, entityId: e.entity_id, before: e.before ?? null, after: e.after ?? null,
    })),
    nextCursor: p.nextCursor,
  };
}
