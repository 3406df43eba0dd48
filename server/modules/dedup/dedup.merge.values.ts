// The field values of a merge: which value the survivor keeps per field, the unions and
// OR-ed flags, what an undo puts back, and how a merge presents. Pure.
import { MERGE_FIELDS, type MergeField, type MergeRecord } from '../../../contract/dedup.js';
import { DomainError } from '../../platform/errors.js';
import type { CandidateState, ConstituentValues, Key, MergeRow } from './dedup.merge.repo.js';

type Row = Record<string, unknown>;

const COLUMN: Record<MergeField, keyof ConstituentValues> = {
  kind: 'kind', givenName: 'given_name', familyName: 'family_name', preferredName: 'preferred_name', organisationName: 'organisation_name',
  dateOfBirth: 'date_of_birth', preferredChannel: 'preferred_channel', preferredLanguage: 'preferred_language', householdId: 'household_id',
};
const MAX_TAGS = 100;

/** Everything an undo needs, stored in constituent_merges.snapshot. */
export type MergeSnapshot = {
  version: 1;
  /** Who merged (and, once undone, who undid it). */
  actor: string;
  undoneBy?: string;
  /** Both records' rows before the merge, and the survivor's values the merge set. */
  survivorBefore: Row;
  mergedBefore: Row;
  survivorAfter: Partial<ConstituentValues>;
  fields: Partial<Record<MergeField, 'survivor' | 'other'>>;
  /** Per "table.column" of LINKED_ROWS: keys of the rows moved, of the rows that lost their primary flag, and the duplicate rows dropped (whole). */
  moved: Record<string, Key[]>;
  demoted: Record<string, Key[]>;
  dropped: Record<string, Row[]>;
  /** Rows deleted with dropped rows (the areas of a dropped address), per table. */
  dependents: Record<string, Row[]>;
  /** Candidate pairs the merge closed, as they were. */
  candidates: CandidateState[];
};

export const fieldValues = (row: Row): Record<MergeField, string | null> =>
  Object.fromEntries(MERGE_FIELDS.map((f) => [f, (row[COLUMN[f]] as string | null) ?? null])) as Record<MergeField, string | null>;

/**
 * The survivor's values after the merge: per field the chosen side (by default the
 * survivor's, or the other's where the survivor has none); tags and custom fields of both
 * (the survivor's custom value wins a clash); contact flags OR-ed, so the stricter wins.
 */
export function chooseValues(survivor: Row, other: Row, fields: Partial<Record<MergeField, 'survivor' | 'other'>>): Partial<ConstituentValues> {
  const out: Row = {};
  for (const f of MERGE_FIELDS) {
    const col = COLUMN[f];
    const sideOf = fields[f] ?? (survivor[col] == null && other[col] != null ? 'other' : 'survivor');
    out[col] = (sideOf === 'other' ? other : survivor)[col] ?? null;
  }
  out.tags = [...new Set([...(survivor.tags as string[]), ...(other.tags as string[])])].slice(0, MAX_TAGS);
  out.custom_fields = { ...(other.custom_fields as Row), ...(survivor.custom_fields as Row) };
  for (const flag of ['do_not_contact', 'bulk_opt_out', 'unsubscribed']) out[flag] = Boolean(survivor[flag]) || Boolean(other[flag]);
  if (out.kind === 'person' && !out.given_name && !out.family_name) {
    throw new DomainError('validation_failed', { field: 'fields.givenName', message: 'The merged person would have neither a given nor a family name; keep one of them' });
  }
  if (out.kind === 'organisation' && !out.organisation_name) {
    throw new DomainError('validation_failed', { field: 'fields.organisationName', message: 'The merged organisation would have no name; keep one' });
  }
  return out as Partial<ConstituentValues>;
}

/** JSON with object keys sorted, so jsonb (which reorders keys) compares equal to what was written. */
function canon(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canon).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canon((v as Row)[k])}`).join(',')}}`;
  return JSON.stringify(v ?? null);
}

/** Undo puts back the survivor's values from before, except where someone has changed a value since the merge. */
export function restoredValues(current: Row, snap: MergeSnapshot): Partial<ConstituentValues> {
  const out: Row = {};
  for (const [col, after] of Object.entries(snap.survivorAfter)) {
    if (canon(current[col]) === canon(after)) out[col] = snap.survivorBefore[col] ?? null;
  }
  return out as Partial<ConstituentValues>;
}

function perTable(byLink: Record<string, unknown[]>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [link, rows] of Object.entries(byLink)) {
    const table = link.split('.')[0]!;
    if (rows.length) out[table] = (out[table] ?? 0) + rows.length;
  }
  return out;
}

export function presentMerge(m: MergeRow, blockedBy: string | null): MergeRecord {
  const snap = m.snapshot as unknown as MergeSnapshot;
  return {
    id: m.id,
    survivor: { id: m.survivor_id, displayName: m.survivor_name ?? '' },
    merged: { id: m.merged_id, displayName: m.merged_name ?? '' },
    mergedAt: m.merged_at.toISOString(),
    mergedBy: snap.actor,
    undoUntil: m.undo_until.toISOString(),
    undoneAt: m.undone_at?.toISOString() ?? null,
    undoneBy: m.undone_at ? snap.undoneBy ?? null : null,
    canUndo: blockedBy === null,
    undoBlockedBy: blockedBy,
    moved: perTable(snap.moved),
    dropped: perTable({ ...snap.dropped }),
  };
}
