// Merging two records of an office into one, field by field, in one transaction with both
// rows locked; every linked row moves to the survivor and the merge can be undone for 30
// days from the snapshot it leaves in constituent_merges.
import { type MergeField, type MergePreview, type MergeRecord, type MergeRequest } from '../../../contract/dedup.js';
import * as audit from '../../platform/audit/audit.js';
import { inTransaction, type Executor } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import type { Scope } from '../../platform/scope.js';
import * as repo from './dedup.merge.repo.js';
import { chooseValues, fieldValues, presentMerge, restoredValues, type MergeSnapshot } from './dedup.merge.values.js';

/**
 * Every row that points at a constituent, in the order a merge moves them (undo goes in
 * reverse). This is the one list: a module that adds a table linked to constituents (cases
 * when casework lands properly, messages, survey answers …) adds itself here, and merges
 * and their undo pick it up.
 */
export const LINKED_ROWS: readonly repo.LinkedRows[] = [
  { table: 'constituent_emails', column: 'constituent_id', label: 'Email addresses', key: ['id'], sameAs: ['email'], hasPrimary: true },
  { table: 'constituent_phones', column: 'constituent_id', label: 'Phone numbers', key: ['id'], sameAs: ['phone_e164'], hasPrimary: true },
  {
    table: 'constituent_addresses', column: 'constituent_id', label: 'Postal addresses', key: ['id'], sameAs: ['address_key'], hasPrimary: true,
    dependents: [{ table: 'constituent_address_areas', column: 'address_id' }],
  },
  { table: 'consents', column: 'constituent_id', label: 'Consent statements', key: ['id'] },
  { table: 'constituent_notes', column: 'constituent_id', label: 'Notes', key: ['id'] },
  { table: 'constituent_relationships', column: 'from_id', label: 'Relationships', key: ['id'], sameAs: ['to_id', 'kind'], otherEnd: 'to_id' },
  { table: 'constituent_relationships', column: 'to_id', label: 'Relationships (from others)', key: ['id'], sameAs: ['from_id', 'kind'], otherEnd: 'from_id' },
  { table: 'constituent_external_ids', column: 'constituent_id', label: 'External ids', key: ['system', 'value'] },
  // Cases belong to casework; a merge re-points who asked, and the person's place on each
  // case (a link the survivor already has on the same case is a duplicate).
  { table: 'cases', column: 'requester_id', label: 'Cases', key: ['id'] },
  { table: 'case_constituents', column: 'constituent_id', label: 'Cases (people on them)', key: ['case_id', 'constituent_id'], sameAs: ['case_id'] },
  // What they sent on any channel (intake's inbox items), and items whose typed details suggested them.
  { table: 'inbound_items', column: 'constituent_id', label: 'Inbound messages', key: ['id'] },
  { table: 'inbound_items', column: 'suggested_constituent_id', label: 'Inbound messages suggesting them', key: ['id'] },
];

const linkKey = (l: repo.LinkedRows) => `${l.table}.${l.column}`;

/** Locks both records and refuses what cannot be merged. */
async function lockPair(db: Executor, officeId: string, survivorId: string, otherId: string) {
  if (survivorId === otherId) throw new DomainError('validation_failed', { field: 'otherId', message: 'A record cannot be merged with itself' });
  const rows = await repo.lockConstituents(db, officeId, [survivorId, otherId]);
  const survivor = rows.find((r) => r.id === survivorId);
  const other = rows.find((r) => r.id === otherId);
  if (!survivor) throw new DomainError('not_found', { message: 'No such constituent in this office' });
  if (!other) throw new DomainError('not_found', { field: 'otherId', message: 'No such constituent in this office' });
  for (const [r, which] of [[survivor, 'This record'], [other, 'The other record']] as const) {
    if (r.status !== 'active') {
      throw new DomainError('conflict', { message: `${which} was already merged into another; merge with that one instead`, extra: { reason: 'already_merged', mergedIntoId: r.merged_into_id } });
    }
  }
  return { survivor: survivor.row, other: other.row };
}

export async function preview(scope: Scope, survivorId: string, otherId: string): Promise<MergePreview> {
  return inTransaction(scope.db, async (trx) => {
    const { survivor, other } = await lockPair(trx, scope.officeId, survivorId, otherId);
    const ids = { officeId: scope.officeId, survivorId, otherId };
    const moves: MergePreview['moves'] = [];
    for (const l of LINKED_ROWS) moves.push({ table: l.table, label: l.label, ...(await repo.countLinked(trx, l, ids)) });
    return { survivor: await side(trx, scope.officeId, survivor), other: await side(trx, scope.officeId, other), moves };
  });
}

async function side(db: Executor, officeId: string, row: Record<string, unknown>): Promise<MergePreview['survivor']> {
  const household = row.household_id ? await repo.householdName(db, officeId, row.household_id as string) : null;
  return {
    id: row.id as string,
    displayName: (row.display_name as string | null) ?? '',
    status: row.status as 'active' | 'merged',
    fields: fieldValues(row),
    display: household ? { householdId: household } : {},
    tags: row.tags as string[],
    flags: { doNotContact: row.do_not_contact as boolean, bulkOptOut: row.bulk_opt_out as boolean, unsubscribed: row.unsubscribed as boolean },
  };
}

export async function merge(scope: Scope, survivorId: string, input: MergeRequest): Promise<MergeRecord> {
  const fields = (input.fields ?? {}) as Partial<Record<MergeField, 'survivor' | 'other'>>;
  return inTransaction(scope.db, async (trx) => {
    const { survivor, other } = await lockPair(trx, scope.officeId, survivorId, input.otherId);
    const ids = { officeId: scope.officeId, survivorId, otherId: input.otherId };
    const values = chooseValues(survivor, other, fields);
    const snapshot: MergeSnapshot = {
      version: 1, actor: scope.actor.label, survivorBefore: survivor, mergedBefore: other, survivorAfter: values, fields,
      moved: {}, demoted: {}, dropped: {}, dependents: {}, candidates: [],
    };
    for (const l of LINKED_ROWS) {
      const k = linkKey(l);
      const dropped = await repo.dropDuplicates(trx, l, ids);
      if (dropped.rows.length) snapshot.dropped[k] = dropped.rows;
      for (const [table, rows] of Object.entries(dropped.dependents)) if (rows.length) snapshot.dependents[table] = [...(snapshot.dependents[table] ?? []), ...rows];
      if (l.hasPrimary) snapshot.demoted[k] = await repo.demotePrimaries(trx, l, ids);
      snapshot.moved[k] = await repo.moveRows(trx, l, ids);
    }
    snapshot.candidates = await repo.closeCandidates(trx, ids, scope.actor.id);
    await repo.setValues(trx, scope.officeId, survivorId, values);
    await repo.markMerged(trx, scope.officeId, input.otherId, survivorId, null);
    const { id } = await repo.insertMerge(trx, scope.officeId, { survivorId, mergedId: input.otherId, snapshot, mergedBy: scope.actor.id });
    const record = await getMergeRecord(trx, scope.officeId, id);
    const summary = { mergeId: id, moved: record.moved, dropped: record.dropped };
    await audit.record(trx, scope, {
      entity: 'constituent', id: survivorId, action: 'merged', constituentId: survivorId,
      before: changed(survivor, values, 'before'), after: { ...changed(survivor, values, 'after'), mergedId: input.otherId, ...summary },
    });
    await audit.record(trx, scope, {
      entity: 'constituent', id: input.otherId, action: 'merged_into', constituentId: input.otherId,
      before: { status: 'active' }, after: { status: 'merged', mergedIntoId: survivorId, ...summary },
    });
    return record;
  });
}

/** The survivor's fields the merge changed, before or after, named as the API names them (givenName). */
function changed(before: Record<string, unknown>, after: Partial<repo.ConstituentValues>, side: 'before' | 'after'): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const camel = (k: string) => k.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
  for (const [k, v] of Object.entries(after)) if (JSON.stringify(before[k]) !== JSON.stringify(v)) out[camel(k)] = side === 'before' ? before[k] : v;
  return out;
}

export async function undo(scope: Scope, mergeId: string): Promise<MergeRecord> {
  return inTransaction(scope.db, async (trx) => {
    const m = await repo.getMerge(trx, scope.officeId, mergeId, true);
    if (!m) throw new DomainError('not_found', { message: 'No such merge in this office' });
    const blocked = undoBlockedBy(m);
    if (blocked) throw new DomainError('conflict', { message: blocked.message, extra: { reason: blocked.reason } });
    await repo.lockConstituents(trx, scope.officeId, [m.survivor_id, m.merged_id]);
    const snap = m.snapshot as unknown as MergeSnapshot;
    const ids = { officeId: scope.officeId, survivorId: m.survivor_id, otherId: m.merged_id };
    for (const l of [...LINKED_ROWS].reverse()) {
      const k = linkKey(l);
      await repo.moveBack(trx, l, ids, snap.moved[k] ?? []);
      await repo.promote(trx, l, ids, snap.demoted[k] ?? []);
      await repo.reinsert(trx, l.table, snap.dropped[k] ?? []);
    }
    for (const [table, rows] of Object.entries(snap.dependents)) await repo.reinsert(trx, table, rows);
    await repo.restoreCandidates(trx, scope.officeId, snap.candidates);
    const current = (await repo.lockConstituents(trx, scope.officeId, [m.survivor_id]))[0]!.row;
    await repo.setValues(trx, scope.officeId, m.survivor_id, restoredValues(current, snap));
    await repo.markMerged(trx, scope.officeId, m.merged_id, null, (snap.mergedBefore.household_id as string | null) ?? null);
    await repo.markUndone(trx, scope.officeId, mergeId, scope.actor.id, scope.actor.label);
    await audit.recordMany(trx, scope, [m.survivor_id, m.merged_id].map((id) => ({ entity: 'constituent', id, action: 'merge_undone', constituentId: id, after: { mergeId, survivorId: m.survivor_id, mergedId: m.merged_id } })));
    return getMergeRecord(trx, scope.officeId, mergeId);
  });
}

function undoBlockedBy(m: repo.MergeRow): { reason: string; message: string } | null {
  if (m.undone_at) return { reason: 'already_undone', message: `This merge was already undone on ${m.undone_at.toISOString().slice(0, 10)}` };
  if (!m.within_window) return { reason: 'undo_expired', message: `A merge can be undone for 30 days; this one could be until ${m.undo_until.toISOString().slice(0, 10)}` };
  if (m.survivor_status !== 'active') return { reason: 'survivor_merged', message: 'The surviving record has since been merged into another; undo that merge first' };
  return null;
}

async function getMergeRecord(db: Executor, officeId: string, id: string): Promise<MergeRecord> {
  const m = await repo.getMerge(db, officeId, id);
  if (!m) throw new DomainError('not_found', { message: 'No such merge in this office' });
  return presentMerge(m, undoBlockedBy(m)?.message ?? null);
}

export async function mergesOf(scope: Scope, constituentId: string): Promise<MergeRecord[]> {
  if (!(await repo.constituentExists(scope.db, scope.officeId, constituentId))) throw new DomainError('not_found', { message: 'No such constituent in this office' });
  return (await repo.mergesOf(scope.db, scope.officeId, constituentId)).map((m) => presentMerge(m, undoBlockedBy(m)?.message ?? null));
}
