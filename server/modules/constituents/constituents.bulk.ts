// Bulk SQL for constituents (CSV import and export): look-ups by external id, the current
// state of many records at once, and multi-row writes into constituents and their contact
// points, external ids and audit events, each one statement per batch rather than one per
// row. The rows go over as one JSON parameter unpacked by json_to_recordset: serialising
// them with JSON.stringify costs a fraction of what pg's escaping of one text array per
// column does. The rules (what to create, what changed) are the import's; this file only
// reads and writes.
import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import { redact } from '../../platform/audit/audit.js';
import { uuidv7 } from '../../platform/ids.js';
import type { Actor } from '../../platform/scope.js';

type PgType = 'uuid' | 'text' | 'date' | 'float8' | 'bool' | 'text[]' | 'jsonb';

/** A time-ordered UUID v7, made here so inserted rows' ids are known without RETURNING. */
export const newId = (): string => uuidv7();

/** `json_to_recordset($1) AS t(name type, …)` over the given columns of the rows. */
function recordset<R>(rows: R[], columns: [keyof R & string, PgType][]): RawBuilder<unknown> {
  // Only the listed columns (a replacer array would also filter keys of nested JSON values).
  const json = JSON.stringify(rows.map((r) => {
    const o: Record<string, unknown> = {};
    for (const [c] of columns) o[c] = r[c] ?? null;
    return o;
  }));
  const defs = sql.join(columns.map(([c, type]) => sql`${sql.ref(c)} ${sql.raw(type)}`));
  return sql`json_to_recordset(${json}::json) AS t(${defs})`;
}

export type ExternalKey = { system: string; value: string };

/** Who each external id belongs to (a merged record answers with its survivor). */
export async function findByExternalIds(db: Executor, officeId: string, keys: ExternalKey[]): Promise<(ExternalKey & { id: string })[]> {
  if (keys.length === 0) return [];
  const { rows } = await sql<ExternalKey & { id: string }>`
    SELECT t.system, t.value, coalesce(c.merged_into_id, c.id) AS id
    FROM ${recordset(keys, [['system', 'text'], ['value', 'text']])}
    JOIN constituent_external_ids x ON x.office_id = ${officeId} AND x.system = t.system AND x.value = t.value
    JOIN constituents c ON c.office_id = x.office_id AND c.id = x.constituent_id`.execute(db);
  return rows;
}

export type CurrentRecord = {
  id: string; kind: string; given_name: string | null; family_name: string | null; preferred_name: string | null; organisation_name: string | null;
  date_of_birth: string | null; preferred_channel: string | null; preferred_language: string | null; tags: string[]; custom_fields: Record<string, unknown>;
  emails: Set<string>; phones: Set<string>; addressKeys: Set<string>; externalIds: Set<string>;
  hasPrimaryEmail: boolean; hasPrimaryPhone: boolean; hasPrimaryAddress: boolean;
};

/** The records as they are now with their contact points; with `lock`, locked until the transaction ends. */
export async function loadCurrent(db: Executor, officeId: string, ids: string[], lock: boolean): Promise<Map<string, CurrentRecord>> {
  const out = new Map<string, CurrentRecord>();
  if (ids.length === 0) return out;
  const { rows } = await sql<Omit<CurrentRecord, 'emails' | 'phones' | 'addressKeys' | 'externalIds' | `hasPrimary${string}`>>`
    SELECT id, kind, given_name, family_name, preferred_name, organisation_name, to_char(date_of_birth, 'YYYY-MM-DD') AS date_of_birth,
      preferred_channel, preferred_language, tags, custom_fields
    FROM constituents WHERE office_id = ${officeId} AND id = ANY(${ids}::uuid[]) ORDER BY id ${lock ? sql`FOR UPDATE` : sql``}`.execute(db);
  for (const r of rows) {
    out.set(r.id, { ...r, emails: new Set(), phones: new Set(), addressKeys: new Set(), externalIds: new Set(), hasPrimaryEmail: false, hasPrimaryPhone: false, hasPrimaryAddress: false });
  }
  // The ids go over once (a CTE), not once per table.
  const points = await sql<{ kind: 'email' | 'phone' | 'address' | 'external'; constituent_id: string; key: string; is_primary: boolean }>`
    WITH p AS (SELECT ${officeId}::uuid AS office_id, ${ids}::uuid[] AS ids)
    SELECT 'email' AS kind, constituent_id, lower(email::text) AS key, is_primary FROM constituent_emails
      WHERE office_id = (SELECT office_id FROM p) AND constituent_id = ANY((SELECT ids FROM p)::uuid[])
    UNION ALL SELECT 'phone', constituent_id, phone_e164, is_primary FROM constituent_phones
      WHERE office_id = (SELECT office_id FROM p) AND constituent_id = ANY((SELECT ids FROM p)::uuid[])
    UNION ALL SELECT 'address', constituent_id, address_key, is_primary FROM constituent_addresses
      WHERE office_id = (SELECT office_id FROM p) AND constituent_id = ANY((SELECT ids FROM p)::uuid[])
    UNION ALL SELECT 'external', constituent_id, system || ':' || value, false FROM constituent_external_ids
      WHERE office_id = (SELECT office_id FROM p) AND constituent_id = ANY((SELECT ids FROM p)::uuid[])`.execute(db);
  for (const p of points.rows) {
    const c = out.get(p.constituent_id);
    if (!c) continue;
    if (p.kind === 'email') {
      c.emails.add(p.key);
      c.hasPrimaryEmail ||= p.is_primary;
    } else if (p.kind === 'phone') {
      c.phones.add(p.key);
      c.hasPrimaryPhone ||= p.is_primary;
    } else if (p.kind === 'address') {
      c.addressKeys.add(p.key);
      c.hasPrimaryAddress ||= p.is_primary;
    } else c.externalIds.add(p.key);
  }
  return out;
}

/** The matching keys the database gives these addresses (see civitas_address_key). */
export async function addressKeys(db: Executor, addresses: { line1: string; line2: string | null; postcode: string | null }[]): Promise<string[]> {
  if (addresses.length === 0) return [];
  const { rows } = await sql<{ key: string }>`
    SELECT civitas_address_key(t.line1, t.line2, t.postcode) AS key
    FROM unnest(${addresses.map((a) => a.line1)}::text[], ${addresses.map((a) => a.line2)}::text[], ${addresses.map((a) => a.postcode)}::text[]) WITH ORDINALITY AS t(line1, line2, postcode, n)
    ORDER BY t.n`.execute(db);
  return rows.map((r) => r.key);
}

export type ConstituentValues = {
  id: string; kind: string; given_name: string | null; family_name: string | null; preferred_name: string | null; organisation_name: string | null;
  date_of_birth: string | null; preferred_channel: string | null; preferred_language: string | null;
  tags: string[]; custom_fields: Record<string, unknown>;
};
const VALUE_COLUMNS: [keyof ConstituentValues, PgType][] = [
  ['id', 'uuid'], ['kind', 'text'], ['given_name', 'text'], ['family_name', 'text'], ['preferred_name', 'text'], ['organisation_name', 'text'],
  ['date_of_birth', 'date'], ['preferred_channel', 'text'], ['preferred_language', 'text'], ['tags', 'text[]'], ['custom_fields', 'jsonb'],
];

export async function insertConstituents(db: Executor, officeId: string, rows: ConstituentValues[]): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    INSERT INTO constituents (office_id, id, kind, given_name, family_name, preferred_name, organisation_name, date_of_birth, preferred_channel, preferred_language, tags, custom_fields)
    SELECT ${officeId}::uuid, t.id, t.kind, t.given_name, t.family_name, t.preferred_name, t.organisation_name, t.date_of_birth, t.preferred_channel, t.preferred_language,
      t.tags, t.custom_fields
    FROM ${recordset(rows, VALUE_COLUMNS)}`.execute(db);
}

/** Replaces the listed records' values (the caller merged them with what was there). */
export async function updateConstituents(db: Executor, officeId: string, rows: ConstituentValues[]): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    UPDATE constituents c SET kind = t.kind, given_name = t.given_name, family_name = t.family_name, preferred_name = t.preferred_name,
      organisation_name = t.organisation_name, date_of_birth = t.date_of_birth, preferred_channel = t.preferred_channel,
      preferred_language = t.preferred_language, tags = t.tags, custom_fields = t.custom_fields, updated_at = now()
    FROM ${recordset(rows, VALUE_COLUMNS)}
    WHERE c.office_id = ${officeId} AND c.id = t.id`.execute(db);
}

export type NewEmail = { id: string; constituent_id: string; email: string; type: string; is_primary: boolean };
export type NewPhone = { id: string; constituent_id: string; phone_e164: string; type: string; is_primary: boolean };
export type NewAddress = {
  id: string; constituent_id: string; line1: string; line2: string | null; locality: string | null; postcode: string | null; country: string | null;
  lat: number | null; lng: number | null; location_source: string | null; ward_id: string | null; type: string; is_primary: boolean;
};
export type NewExternalId = { system: string; value: string; constituent_id: string };
export type NewAddressArea = { address_id: string; layer: string; boundary_id: string };

async function insertInto<R>(db: Executor, table: string, officeId: string, rows: R[], columns: [keyof R & string, PgType][]): Promise<void> {
  if (rows.length === 0) return;
  await sql`INSERT INTO ${sql.table(table)} (office_id, ${sql.join(columns.map(([c]) => sql.ref(c)))})
    SELECT ${officeId}::uuid, t.* FROM ${recordset(rows, columns)}`.execute(db);
}

export async function insertContactPoints(
  db: Executor, officeId: string,
  p: { emails: NewEmail[]; phones: NewPhone[]; addresses: NewAddress[]; areas?: NewAddressArea[]; externalIds: NewExternalId[] },
): Promise<void> {
  await insertInto(db, 'constituent_emails', officeId, p.emails, [['id', 'uuid'], ['constituent_id', 'uuid'], ['email', 'text'], ['type', 'text'], ['is_primary', 'bool']]);
  await insertInto(db, 'constituent_phones', officeId, p.phones, [['id', 'uuid'], ['constituent_id', 'uuid'], ['phone_e164', 'text'], ['type', 'text'], ['is_primary', 'bool']]);
  await insertInto(db, 'constituent_addresses', officeId, p.addresses, [
    ['id', 'uuid'], ['constituent_id', 'uuid'], ['line1', 'text'], ['line2', 'text'], ['locality', 'text'], ['postcode', 'text'], ['country', 'text'],
    ['lat', 'float8'], ['lng', 'float8'], ['location_source', 'text'], ['ward_id', 'uuid'], ['type', 'text'], ['is_primary', 'bool'],
  ]);
  await insertInto(db, 'constituent_address_areas', officeId, p.areas ?? [], [['address_id', 'uuid'], ['layer', 'text'], ['boundary_id', 'uuid']]);
  await insertInto(db, 'constituent_external_ids', officeId, p.externalIds, [['system', 'text'], ['value', 'text'], ['constituent_id', 'uuid']]);
}

export type EventValues = { entity_type: string; entity_id: string; action: string; constituent_id: string; before: Record<string, unknown> | null; after: Record<string, unknown> };

/** Audit events for many records in one statement (what audit.record writes, one per row, redacted the same way). */
export async function insertEvents(db: Executor, officeId: string, actor: Actor, requestId: string | undefined, events: EventValues[]): Promise<void> {
  if (events.length === 0) return;
  const rows = events.map((e) => ({ ...e, before: redact(e.before), after: redact(e.after) }));
  await sql`
    INSERT INTO events (office_id, actor_type, actor_id, actor_label, entity_type, entity_id, action, before, after, request_id, constituent_id)
    SELECT ${officeId}::uuid, ${actor.type}, ${actor.id}::uuid, ${actor.label}, t.entity_type, t.entity_id, t.action, t.before, t.after, ${requestId ?? null}, t.constituent_id
    FROM ${recordset(rows, [['entity_type', 'text'], ['entity_id', 'text'], ['action', 'text'], ['constituent_id', 'uuid'], ['before', 'jsonb'], ['after', 'jsonb']])}`.execute(db);
}

export type ExportDetails = {
  id: string; given_name: string | null; family_name: string | null; preferred_name: string | null; organisation_name: string | null; external_ids: string[];
};

/** The columns of an export that the search summary does not carry. */
export async function exportDetails(db: Executor, officeId: string, ids: string[]): Promise<Map<string, ExportDetails>> {
  if (ids.length === 0) return new Map();
  const { rows } = await sql<ExportDetails>`
    SELECT c.id, c.given_name, c.family_name, c.preferred_name, c.organisation_name,
      coalesce((SELECT array_agg(x.system || ':' || x.value ORDER BY x.system, x.value) FROM constituent_external_ids x
        WHERE x.office_id = c.office_id AND x.constituent_id = c.id), '{}') AS external_ids
    FROM constituents c WHERE c.office_id = ${officeId} AND c.id = ANY(${ids}::uuid[])`.execute(db);
  return new Map(rows.map((r) => [r.id, r]));
}

/** The tables a bulk load of people fills (their statistics steer every search plan). */
export const REGISTRY_TABLES = [
  'constituents', 'constituent_emails', 'constituent_phones', 'constituent_addresses', 'constituent_address_areas', 'constituent_external_ids', 'name_lexicon',
] as const;

/**
 * ANALYZE after a bulk load: until autovacuum gets to them (and on servers where it is off)
 * stale statistics can turn a one-page look-up into a scan of the office.
 */
export async function analyzeTables(db: Executor, tables: readonly string[]): Promise<void> {
  for (const table of tables) await sql`ANALYZE ${sql.table(table)}`.execute(db);
}
