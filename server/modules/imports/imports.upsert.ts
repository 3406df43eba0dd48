// One batch of checked rows into the registry, in the caller's transaction: a row whose
// external id is already on record updates that person (values in the file replace, new
// emails, phones, addresses, external ids and tags are added, never duplicated), or is
// unchanged when nothing differs; any other row creates a person. Every created or updated
// record gets an audit event that puts the import on its timeline.
import type { Trx } from '../../platform/db/database.js';
import type { Actor } from '../../platform/scope.js';
import * as bulk from '../constituents/constituents.bulk.js';
import type { ImportPlan } from './imports.mapping.js';
import type { ImportRecord, RowIssue, Scalars } from './imports.rows.js';

export type UpsertContext = {
  officeId: string; importId: string; fileName: string; actor: Actor; requestId: string | undefined; plan: ImportPlan;
  /** The areas (one per boundary layer) a point is in: stored with each new address, so nothing reads it back. */
  areasOf?: (lng: number, lat: number) => { layer: string; id: string }[];
};
export type Rejected = RowIssue & { row: number };
export type UpsertResult = { created: number; updated: number; unchanged: number; rejected: Rejected[] };

const SCALARS = ['given_name', 'family_name', 'preferred_name', 'organisation_name', 'date_of_birth', 'preferred_channel', 'preferred_language'] as const;

type Writes = {
  inserts: bulk.ConstituentValues[]; updates: bulk.ConstituentValues[]; emails: bulk.NewEmail[]; phones: bulk.NewPhone[];
  addresses: bulk.NewAddress[]; areas: bulk.NewAddressArea[]; externalIds: bulk.NewExternalId[]; events: bulk.EventValues[];
};
const noWrites = (): Writes => ({ inserts: [], updates: [], emails: [], phones: [], addresses: [], areas: [], externalIds: [], events: [] });

function headerOf(plan: ImportPlan, field: string): string {
  return plan.columns.find((c) => (c.kind === 'scalar' && c.field === field) || (c.kind === 'custom' && `custom:${c.def.key}` === field))?.header ?? field;
}

/** Why a record with these values cannot exist, or null. */
function invalidRecord(plan: ImportPlan, v: bulk.ConstituentValues): RowIssue | null {
  if (v.kind === 'person' && !v.given_name && !v.family_name) return { column: headerOf(plan, plan.columns.some((c) => c.kind === 'scalar' && c.field === 'givenName') ? 'givenName' : 'familyName'), reason: 'a person needs a given or family name' };
  if (v.kind === 'organisation' && !v.organisation_name) return { column: headerOf(plan, 'organisationName'), reason: 'an organisation needs a name' };
  return null;
}

function addContactPoints(ctx: UpsertContext, w: Writes, r: ImportRecord, id: string, current: bulk.CurrentRecord | null, addressKey: string | null): string[] {
  const added: string[] = [];
  let primaryEmail = !current?.hasPrimaryEmail;
  for (const e of r.emails) {
    if (current?.emails.has(e.email)) continue;
    w.emails.push({ id: bulk.newId(), constituent_id: id, email: e.email, type: e.type, is_primary: primaryEmail });
    primaryEmail = false;
    added.push(e.email);
  }
  let primaryPhone = !current?.hasPrimaryPhone;
  for (const p of r.phones) {
    if (current?.phones.has(p.e164)) continue;
    w.phones.push({ id: bulk.newId(), constituent_id: id, phone_e164: p.e164, type: p.type, is_primary: primaryPhone });
    primaryPhone = false;
    added.push(p.e164);
  }
  if (r.address && !(addressKey !== null && current?.addressKeys.has(addressKey))) {
    const a = r.address;
    const addressId = bulk.newId();
    const areas = a.lat === null || a.lng === null ? [] : (ctx.areasOf?.(a.lng, a.lat) ?? []);
    const ward = areas.find((b) => b.layer === 'ward')?.id ?? null;
    w.addresses.push({ id: addressId, constituent_id: id, ...a, location_source: a.lat === null ? null : 'provided', ward_id: ward, is_primary: !current?.hasPrimaryAddress });
    for (const b of areas) w.areas.push({ address_id: addressId, layer: b.layer, boundary_id: b.id });
    added.push(a.line1);
  }
  for (const x of r.externalIds) {
    if (current?.externalIds.has(`${x.system}:${x.value}`)) continue;
    w.externalIds.push({ system: x.system, value: x.value, constituent_id: id });
    added.push(`${x.system}:${x.value}`);
  }
  return added;
}

function valuesOf(id: string, kind: string, s: Scalars | bulk.CurrentRecord, tags: string[], custom: Record<string, unknown>): bulk.ConstituentValues {
  return {
    id, kind, given_name: s.given_name ?? null, family_name: s.family_name ?? null, preferred_name: s.preferred_name ?? null,
    organisation_name: s.organisation_name ?? null, date_of_birth: s.date_of_birth ?? null, preferred_channel: s.preferred_channel ?? null,
    preferred_language: s.preferred_language ?? null, tags, custom_fields: custom,
  };
}

function create(ctx: UpsertContext, w: Writes, r: ImportRecord): RowIssue | null {
  const s = r.scalars;
  const kind = r.kind ?? (s.organisation_name && !s.given_name && !s.family_name ? 'organisation' : 'person');
  const id = bulk.newId();
  const values = valuesOf(id, kind, s, r.tags, r.custom);
  const invalid = invalidRecord(ctx.plan, values);
  if (invalid) return invalid;
  const missing = ctx.plan.required.find((d) => r.custom[d.key] === undefined);
  if (missing) return { column: headerOf(ctx.plan, `custom:${missing.key}`), reason: `${missing.label} is required for a new record` };
  w.inserts.push(values);
  addContactPoints(ctx, w, r, id, null, null);
  w.events.push({
    entity_type: 'import', entity_id: ctx.importId, action: 'constituent_created', constituent_id: id, before: null,
    after: { summary: `Created by the import of ${ctx.fileName} (row ${r.row})`, importId: ctx.importId, row: r.row },
  });
  return null;
}

/** Merges the row into the record; false when nothing differs. */
function update(ctx: UpsertContext, w: Writes, r: ImportRecord, cur: bulk.CurrentRecord, addressKey: string | null): RowIssue | true | false {
  const before: Record<string, unknown> = {};
  const changes: Record<string, unknown> = {};
  const merged: Record<string, string | null> = {};
  for (const f of SCALARS) {
    const given = r.scalars[f];
    merged[f] = given ?? cur[f];
    if (given !== undefined && given !== cur[f]) [before[f], changes[f]] = [cur[f], given];
  }
  const kind = r.kind ?? cur.kind;
  if (kind !== cur.kind) [before.kind, changes.kind] = [cur.kind, kind];
  const newTags = r.tags.filter((t) => !cur.tags.includes(t));
  const tags = [...cur.tags, ...newTags];
  if (tags.length > 100) return { column: ctx.plan.columns.find((c) => c.kind === 'tags')?.header ?? 'tags', reason: `would give the record ${tags.length} tags; a record has at most 100` };
  const custom = { ...cur.custom_fields };
  for (const [key, value] of Object.entries(r.custom)) {
    if (JSON.stringify(custom[key]) !== JSON.stringify(value)) [before[`custom:${key}`], changes[`custom:${key}`]] = [custom[key] ?? null, value];
    custom[key] = value;
  }
  const values = valuesOf(cur.id, kind, merged as Scalars, tags, custom);
  const invalid = invalidRecord(ctx.plan, values);
  if (invalid) return invalid;
  const added = addContactPoints(ctx, w, r, cur.id, cur, addressKey);
  if (newTags.length) changes.tags = newTags;
  if (Object.keys(changes).length === 0 && added.length === 0) return false;
  if (Object.keys(before).length || newTags.length) w.updates.push(values);
  const what = [...Object.keys(changes), ...(added.length ? ['contact details'] : [])].join(', ');
  w.events.push({
    entity_type: 'import', entity_id: ctx.importId, action: 'constituent_updated', constituent_id: cur.id, before,
    after: { summary: `Updated by the import of ${ctx.fileName} (row ${r.row}): ${what}`, importId: ctx.importId, row: r.row, changes, added },
  });
  return true;
}

/** Which existing record each row updates (null: create), or why the row is refused. */
async function targetsOf(trx: Trx, ctx: UpsertContext, records: ImportRecord[]): Promise<(string | null | RowIssue)[]> {
  const keys = records.flatMap((r) => r.externalIds.map((x) => ({ system: x.system, value: x.value })));
  const owners = new Map((await bulk.findByExternalIds(trx, ctx.officeId, keys)).map((o) => [`${o.system}\u0000${o.value}`, o.id]));
  const claimed = new Map<string, number>();
  return records.map((r) => {
    const found = r.externalIds.map((x) => ({ x, id: owners.get(`${x.system}\u0000${x.value}`) })).filter((f) => f.id !== undefined);
    const ids = [...new Set(found.map((f) => f.id!))];
    if (ids.length > 1) {
      const [a, b] = [found[0]!.x, found.find((f) => f.id !== found[0]!.id)!.x];
      return { column: b.column, reason: `${a.system} ${a.value} and ${b.system} ${b.value} belong to two different records` };
    }
    const id = ids[0];
    if (id === undefined) return null;
    const earlier = claimed.get(id);
    if (earlier !== undefined) return { column: found[0]!.x.column, reason: `updates the same record as row ${earlier}` };
    claimed.set(id, r.row);
    return id;
  });
}

export async function upsertRecords(trx: Trx, ctx: UpsertContext, records: ImportRecord[]): Promise<UpsertResult> {
  const result: UpsertResult = { created: 0, updated: 0, unchanged: 0, rejected: [] };
  const w = noWrites();
  const targets = await targetsOf(trx, ctx, records);
  const ids = targets.filter((t): t is string => typeof t === 'string');
  // Read without locks, then lock and read again only the records that will change: a
  // re-import of a file that is mostly unchanged writes (and locks) nothing for those rows.
  const current = await bulk.loadCurrent(trx, ctx.officeId, ids, false);
  const withAddress = records.filter((r, i) => typeof targets[i] === 'string' && r.address);
  const keys = new Map(withAddress.map((r, i) => [r.row, i]));
  const addressKeys = await bulk.addressKeys(trx, withAddress.map((r) => r.address!));
  const keyOf = (r: ImportRecord) => (keys.has(r.row) ? addressKeys[keys.get(r.row)!]! : null);
  const scratch = noWrites();
  const changing = records.flatMap((r, i) => {
    const cur = typeof targets[i] === 'string' ? current.get(targets[i] as string) : undefined;
    return cur && update(ctx, scratch, r, cur, keyOf(r)) === true ? [cur.id] : [];
  });
  for (const [id, locked] of await bulk.loadCurrent(trx, ctx.officeId, changing, true)) current.set(id, locked);
  records.forEach((r, i) => {
    const t = targets[i]!;
    if (t !== null && typeof t === 'object') return result.rejected.push({ row: r.row, ...t });
    const cur = t === null ? undefined : current.get(t);
    if (t !== null && !cur) return result.rejected.push({ row: r.row, column: r.externalIds[0]!.column, reason: 'the record this row updates was deleted during the import' });
    const outcome = cur ? update(ctx, w, r, cur, keyOf(r)) : create(ctx, w, r);
    if (outcome !== null && typeof outcome === 'object') return result.rejected.push({ row: r.row, ...outcome });
    if (!cur) result.created++;
    else if (outcome) result.updated++;
    else result.unchanged++;
  });
  await bulk.insertConstituents(trx, ctx.officeId, w.inserts);
  await bulk.updateConstituents(trx, ctx.officeId, w.updates);
  await bulk.insertContactPoints(trx, ctx.officeId, w);
  await bulk.insertEvents(trx, ctx.officeId, ctx.actor, ctx.requestId, w.events);
  return result;
}
