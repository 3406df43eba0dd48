// SQL for the demo loader: each batch goes in as one statement per table (unnest of column
// arrays), plus the look-ups that let a second run reuse what the first one made.
import { sql } from 'kysely';
import { analyzeTables, REGISTRY_TABLES } from '../constituents/constituents.bulk.js';
import type { Executor } from '../../platform/db/database.js';
import type { CaseRow, RatingRow } from './demo.cases.js';
import type { AddressRow, ConstituentRow, EmailRow, PhoneRow } from './demo.generator.js';
import type { BBox, PolygonGeometry } from './demo.geometry.js';

type PgType = 'uuid' | 'text' | 'date' | 'timestamptz' | 'float8' | 'bool' | 'int2';
type Columns<R> = { [K in keyof R]: PgType };

async function insertRows<R extends object>(db: Executor, table: string, officeId: string, columns: Columns<R>, rows: R[]): Promise<void> {
  if (rows.length === 0) return;
  const entries = Object.entries(columns) as [keyof R & string, PgType][];
  const names = sql.join(entries.map(([c]) => sql.ref(c)));
  const arrays = sql.join(entries.map(([c, type]) => sql`${rows.map((r) => r[c])}::${sql.raw(type)}[]`));
  await sql`INSERT INTO ${sql.table(table)} (office_id, ${names}) SELECT ${officeId}::uuid, * FROM unnest(${arrays})`.execute(db);
}

const CONSTITUENT: Columns<ConstituentRow> = {
  id: 'uuid', kind: 'text', given_name: 'text', family_name: 'text', preferred_name: 'text', organisation_name: 'text',
  date_of_birth: 'date', preferred_channel: 'text', preferred_language: 'text', created_at: 'timestamptz',
};
const EMAIL: Columns<EmailRow> = { id: 'uuid', constituent_id: 'uuid', email: 'text', type: 'text', is_primary: 'bool', status: 'text' };
const PHONE: Columns<PhoneRow> = { id: 'uuid', constituent_id: 'uuid', phone_e164: 'text', type: 'text', is_primary: 'bool', status: 'text' };
const ADDRESS: Columns<AddressRow> = {
  id: 'uuid', constituent_id: 'uuid', line1: 'text', line2: 'text', locality: 'text', postcode: 'text', country: 'text',
  lat: 'float8', lng: 'float8', ward_id: 'uuid', type: 'text', is_primary: 'bool',
};
const CASE: Columns<CaseRow> = {
  id: 'uuid', reference: 'text', subject: 'text', description: 'text', category_id: 'uuid', status: 'text', priority: 'text',
  channel: 'text', requester_id: 'uuid', address: 'text', lat: 'float8', lng: 'float8', ward_id: 'uuid', assignee_id: 'uuid',
  team_id: 'uuid', is_sensitive: 'bool', created_at: 'timestamptz', updated_at: 'timestamptz', resolved_at: 'timestamptz', closed_at: 'timestamptz',
  first_responded_at: 'timestamptz', sla_policy_id: 'uuid', first_response_due_at: 'timestamptz', resolution_due_at: 'timestamptz',
  first_response_warn_at: 'timestamptz', resolution_warn_at: 'timestamptz', first_response_warned_at: 'timestamptz', first_response_breached_at: 'timestamptz',
  resolution_warned_at: 'timestamptz', resolution_breached_at: 'timestamptz', sla_next_check_at: 'timestamptz',
};
const RATING: Columns<RatingRow> = { case_id: 'uuid', score: 'int2', comment: 'text', rated_at: 'timestamptz', updated_at: 'timestamptz' };

export async function insertConstituents(
  db: Executor,
  officeId: string,
  b: { constituents: ConstituentRow[]; emails: EmailRow[]; phones: PhoneRow[]; addresses: AddressRow[] },
): Promise<void> {
  // updated_at follows created_at: these people have not been edited since.
  await insertRows(db, 'constituents', officeId, { ...CONSTITUENT, updated_at: 'timestamptz' }, b.constituents.map((c) => ({ ...c, updated_at: c.created_at })));
  await insertRows(db, 'constituent_emails', officeId, EMAIL, b.emails);
  await insertRows(db, 'constituent_phones', officeId, PHONE, b.phones);
  await insertRows(db, 'constituent_addresses', officeId, ADDRESS, b.addresses);
}

/** Cases, their requester as the person on the case (casework reads case_constituents), and residents' ratings. */
export async function insertCases(db: Executor, officeId: string, rows: CaseRow[], ratings: RatingRow[]): Promise<void> {
  await insertRows(db, 'cases', officeId, CASE, rows);
  const links = rows.filter((r) => r.requester_id !== null).map((r) => ({ case_id: r.id, constituent_id: r.requester_id!, role: 'requester', added_at: r.created_at }));
  await insertRows(db, 'case_constituents', officeId, { case_id: 'uuid', constituent_id: 'uuid', role: 'text', added_at: 'timestamptz' }, links);
  await insertRows(db, 'case_ratings', officeId, RATING, ratings);
}

export type WardRow = { id: string; code: string; name: string; geometry: PolygonGeometry; bbox: BBox };

export async function insertWardsIfMissing(
  db: Executor,
  officeId: string,
  wards: { code: string; name: string; geometry: PolygonGeometry; bbox: BBox }[],
): Promise<number> {
  const r = await db
    .insertInto('boundaries')
    .values(wards.map((w) => ({
      office_id: officeId, layer: 'ward', code: w.code, name: w.name, geometry: JSON.stringify(w.geometry),
      min_lng: w.bbox.minLng, min_lat: w.bbox.minLat, max_lng: w.bbox.maxLng, max_lat: w.bbox.maxLat,
    })))
    .onConflict((oc) => oc.columns(['office_id', 'layer', 'code']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0);
}

export async function listWards(db: Executor, officeId: string): Promise<WardRow[]> {
  const rows = await db
    .selectFrom('boundaries')
    .select(['id', 'code', 'name', 'geometry', 'min_lng', 'min_lat', 'max_lng', 'max_lat'])
    .where('office_id', '=', officeId)
    .where('layer', '=', 'ward')
    .orderBy('code')
    .execute();
  return rows.map((r) => ({
    id: r.id, code: r.code, name: r.name, geometry: r.geometry as PolygonGeometry,
    bbox: { minLng: r.min_lng, minLat: r.min_lat, maxLng: r.max_lng, maxLat: r.max_lat },
  }));
}

export const listCategories = (db: Executor, officeId: string) =>
  db.selectFrom('categories').select(['id', 'parent_id', 'name']).where('office_id', '=', officeId).execute();

export const insertCategory = async (db: Executor, officeId: string, parentId: string | null, name: string) =>
  (await db.insertInto('categories').values({ office_id: officeId, parent_id: parentId, name }).returning('id').executeTakeFirstOrThrow()).id;

/** Staff made by an earlier demo run: their email is in the office's `.demo` domain. */
export const listDemoStaff = (db: Executor, officeId: string, domain: string) =>
  db.selectFrom('users').select(['id', 'email', 'display_name', 'role']).where('office_id', '=', officeId).where('email', 'like', `%@${domain}`).orderBy('email').execute();

export const hasActiveAdmin = async (db: Executor, officeId: string) =>
  (await db
    .selectFrom('users')
    .select('id')
    .where('office_id', '=', officeId)
    .where('role', '=', 'admin')
    .where('status', '=', 'active')
    .executeTakeFirst()) !== undefined;

export const countConstituents = async (db: Executor, officeId: string) =>
  (await db.selectFrom('constituents').select((eb) => eb.fn.countAll<number>().as('n')).where('office_id', '=', officeId).executeTakeFirstOrThrow()).n;

/** Takes `n` references for a year in one step and returns the first: later cases continue after them. */
export const reserveReferences = async (db: Executor, officeId: string, year: number, n: number) =>
  (
    await db
      .insertInto('reference_counters')
      .values({ office_id: officeId, kind: 'case', year, last_value: n })
      .onConflict((oc) => oc.columns(['office_id', 'kind', 'year']).doUpdateSet({ last_value: sql`reference_counters.last_value + excluded.last_value` }))
      .returning('last_value')
      .executeTakeFirstOrThrow()
  ).last_value - n + 1;

/** Fresh planner statistics after a bulk load: the registry's and the demo cases'. */
export async function analyzeRegistry(db: Executor): Promise<void> {
  await analyzeTables(db, [...REGISTRY_TABLES, 'cases', 'case_constituents', 'case_ratings']);
}
