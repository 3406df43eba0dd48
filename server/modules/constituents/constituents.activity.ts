// What happens around a constituent: the timeline (built from audit events that name the
// constituent, including those of records merged into it), notes, relationships and households.
import { z } from 'zod';
import {
  RELATIONSHIP_INVERSE, ZCreateHousehold, ZCreateNote, ZCreateRelationship, ZTimelineQuery,
  type Relationship, type TimelineEntry,
} from '../../../contract/constituents.js';
import type { Page } from '../../../contract/common.js';
import * as audit from '../../platform/audit/audit.js';
import { inTransaction } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { decodeCursor, page } from '../../platform/http/pagination.js';
import type { Scope } from '../../platform/scope.js';
import * as ledger from './constituents.ledger-repo.js';
import * as repo from './constituents.repo.js';

type Kind = TimelineEntry['kind'];
// Which audit entity types make up each timeline kind.
const KIND_ENTITIES: Record<Kind, string[]> = {
  edit: ['constituent', 'household'], consent: ['consent'], note: ['note'], case: ['case'], message: ['message', 'inbound_item'],
  merge: ['merge', 'duplicate_candidate'], import: ['import'], relationship: ['relationship'],
};
const KIND_OF = new Map(Object.entries(KIND_ENTITIES).flatMap(([kind, types]) => types.map((t) => [t, kind as Kind])));
// Merges are recorded on the constituent entity (action merged, merged_into, merge_undone).
const isMergeAction = (action: string) => action.startsWith('merge');
const kindOf = (e: ledger.TimelineRow): Kind => (e.entity_type === 'constituent' && isMergeAction(e.action) ? 'merge' : KIND_OF.get(e.entity_type) ?? 'edit');

async function requireConstituent(scope: Scope, id: string) {
  const row = await repo.get(scope.db, scope.officeId, id);
  if (!row) throw new DomainError('not_found', { message: 'No such constituent in this office' });
  return row;
}

function summarise(e: ledger.TimelineRow): string {
  const after = (e.after ?? {}) as Record<string, unknown>;
  switch (e.entity_type) {
    case 'constituent':
      if (e.action === 'created') return 'Record created';
      if (e.action === 'updated') return `Edited: ${Object.keys(after).join(', ') || 'no visible change'}`;
      if (e.action === 'merged') return 'Another record was merged into this one';
      if (e.action === 'merged_into') return 'Merged into another record';
      if (e.action === 'merge_undone') return 'Merge undone';
      return `Record ${e.action.replace(/_/g, ' ')}`;
    case 'consent':
      return `Consent ${e.action}: ${String(after.channel)} for ${String(after.purpose)} (${String(after.source).replace(/_/g, ' ')})`;
    case 'note':
      return `Note: ${String(after.body ?? '').slice(0, 140)}`;
    case 'relationship':
      return `Relationship ${e.action}: ${String(after.label ?? after.kind ?? '').replace(/_/g, ' ')} ${String((after.other as { displayName?: string } | undefined)?.displayName ?? '')}`.trim();
    default:
      return typeof after.summary === 'string' ? after.summary : `${e.entity_type.replace(/_/g, ' ')} ${e.action.replace(/_/g, ' ')}`;
  }
}

export async function timeline(scope: Scope, id: string, query: z.input<typeof ZTimelineQuery>): Promise<Page<TimelineEntry>> {
  const q = ZTimelineQuery.parse(query);
  await requireConstituent(scope, id);
  const ids = await ledger.mergedIds(scope.db, scope.officeId, id);
  const after = decodeCursor(q.cursor, z.tuple([z.number().int()]));
  const rows = await ledger.timeline(scope.db, scope.officeId, ids, q.kind ? { types: KIND_ENTITIES[q.kind], mergeActions: q.kind === 'merge' ? true : q.kind === 'edit' ? false : undefined } : undefined, after?.[0], q.limit);
  const p = page(rows, q.limit, (r) => [r.id]);
  return {
    items: p.items.map((e) => ({
      id: String(e.id), kind: kindOf(e), action: e.action, summary: summarise(e), actor: e.actor_label,
      occurredAt: e.occurred_at.toISOString(), entityType: e.entity_type, entityId: e.entity_id, before: e.before ?? null, after: e.after ?? null,
    })),
    nextCursor: p.nextCursor,
  };
}

export async function addNote(scope: Scope, id: string, input: z.input<typeof ZCreateNote>) {
  const { body } = ZCreateNote.parse(input);
  return inTransaction(scope.db, async (trx) => {
    const locked = await repo.lock(trx, scope.officeId, id);
    if (!locked) throw new DomainError('not_found', { message: 'No such constituent in this office' });
    const row = await ledger.insertNote(trx, scope.officeId, { constituent_id: id, body, author_id: scope.actor.type === 'system' ? null : scope.actor.id, author_label: scope.actor.label });
    const note = { id: row.id, body: row.body, author: row.author_label, createdAt: row.created_at.toISOString() };
    await audit.record(trx, scope, { entity: 'note', id: row.id, action: 'added', after: note, constituentId: id });
    return note;
  });
}

function presentRelationship(id: string, r: Awaited<ReturnType<typeof ledger.relationshipsOf>>[number]): Relationship {
  const kind = r.kind as Relationship['kind'];
  return {
    id: r.id, kind, label: r.from_id === id ? kind : RELATIONSHIP_INVERSE[kind], other: { id: r.other_id, displayName: r.other_name ?? '' },
    note: r.note, createdAt: r.created_at.toISOString(),
  };
}

export async function relationships(scope: Scope, id: string): Promise<Relationship[]> {
  await requireConstituent(scope, id);
  return (await ledger.relationshipsOf(scope.db, scope.officeId, id)).map((r) => presentRelationship(id, r));
}

export async function addRelationship(scope: Scope, id: string, input: z.input<typeof ZCreateRelationship>): Promise<Relationship> {
  const v = ZCreateRelationship.parse(input);
  if (v.relatedId === id) throw new DomainError('validation_failed', { field: 'relatedId', message: 'a record cannot be related to itself' });
  return inTransaction(scope.db, async (trx) => {
    const active = await repo.activeIds(trx, scope.officeId, [id, v.relatedId]);
    if (!active.includes(id)) throw new DomainError('not_found', { message: 'No such constituent in this office' });
    if (!active.includes(v.relatedId)) throw new DomainError('validation_failed', { field: 'relatedId', message: 'No such constituent in this office' });
    if (await ledger.relationshipExists(trx, scope.officeId, id, v.relatedId, v.kind)) throw new DomainError('conflict', { field: 'kind', message: 'This relationship is already recorded' });
    const row = await ledger.insertRelationship(trx, scope.officeId, { from_id: id, to_id: v.relatedId, kind: v.kind, note: v.note });
    const rel = (await ledger.relationshipsOf(trx, scope.officeId, id)).find((r) => r.id === row.id)!;
    const presented = presentRelationship(id, rel);
    await audit.record(trx, scope, { entity: 'relationship', id: row.id, action: 'added', after: presented, constituentId: id });
    await audit.record(trx, scope, { entity: 'relationship', id: row.id, action: 'added', after: presentRelationship(v.relatedId, rel), constituentId: v.relatedId });
    return presented;
  });
}

export async function removeRelationship(scope: Scope, id: string, relationshipId: string): Promise<void> {
  await inTransaction(scope.db, async (trx) => {
    const row = await ledger.relationship(trx, scope.officeId, relationshipId);
    if (!row || (row.from_id !== id && row.to_id !== id)) throw new DomainError('not_found', { message: 'No such relationship for this constituent' });
    await ledger.deleteRelationship(trx, scope.officeId, relationshipId);
    await audit.recordMany(trx, scope, [row.from_id, row.to_id].map((who) => ({ entity: 'relationship', id: relationshipId, action: 'removed', before: { kind: row.kind, note: row.note }, constituentId: who })));
  });
}

export async function createHousehold(scope: Scope, input: z.input<typeof ZCreateHousehold>) {
  const v = ZCreateHousehold.parse(input);
  const ids = [...new Set(v.memberIds)];
  return inTransaction(scope.db, async (trx) => {
    const active = new Set(await repo.activeIds(trx, scope.officeId, ids));
    const missing = ids.findIndex((m) => !active.has(m));
    if (missing >= 0) throw new DomainError('validation_failed', { field: `memberIds.${missing}`, message: 'No such constituent in this office' });
    const h = await repo.insertHousehold(trx, scope.officeId, v.name);
    await repo.setHousehold(trx, scope.officeId, ids, h.id);
    const members = (await repo.householdMembers(trx, scope.officeId, h.id)).map((m) => ({ id: m.id, displayName: m.display_name ?? '' }));
    await audit.recordMany(trx, scope, ids.map((m) => ({ entity: 'household', id: h.id, action: 'joined', after: { name: h.name, summary: `Joined household ${h.name}` }, constituentId: m })));
    return { id: h.id, name: h.name, members };
  });
}

export async function deleteHousehold(scope: Scope, id: string): Promise<void> {
  await inTransaction(scope.db, async (trx) => {
    const h = await repo.household(trx, scope.officeId, id);
    if (!h) throw new DomainError('not_found', { message: 'No such household in this office' });
    const members = await repo.householdMembers(trx, scope.officeId, id);
    await repo.deleteHousehold(trx, scope.officeId, id);
    await audit.recordMany(trx, scope, members.map((m) => ({ entity: 'household', id, action: 'dissolved', before: { name: h.name }, after: { summary: `Household ${h.name} dissolved` }, constituentId: m.id })));
  });
}
