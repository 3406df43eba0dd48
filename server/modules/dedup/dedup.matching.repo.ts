// SQL of the creation-time check: the office's active records that meet a rule against one
// probe, each branch through an index (email, phone, postcode, birth date; address by its
// postcode, or by the trigram index's equality when it has none).
import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import { postcodeKey } from '../constituents/constituents.normalize.js';
import type { DedupRuleName } from './dedup.rules.js';
import { similarityReason } from './dedup.scan.repo.js';

export type RuleHit = { id: string; display_name: string | null; rule: DedupRuleName; reason: string };

export type ProbeSql = {
  officeId: string;
  excludeId: string | null;
  kind: string;
  given: string | null;
  family: string | null;
  organisation: string | null;
  dateOfBirth: string | null;
  emails: string[];
  phones: string[];
  addresses: { line1: string; line2: string | null; postcode: string | null }[];
  rules: DedupRuleName[];
  threshold: number;
};

/** At most this many records per branch: a probe sharing a switchboard number must stay cheap. */
const PER_BRANCH = 50;

// The probe's name folded exactly as constituents.search_name is (no preferred name on a probe).
const probeName = (p: ProbeSql) =>
  sql`public.civitas_fold(btrim(coalesce(${p.given}::text, '') || ' ' || '' || ' ' || coalesce(${p.family}::text, '') || ' ' || coalesce(${p.organisation}::text, '')))`;

const active = (p: ProbeSql) =>
  sql`c.office_id = ${p.officeId} AND c.status = 'active' ${p.excludeId ? sql`AND c.id <> ${p.excludeId}::uuid` : sql``}`;

function fuzzy(p: ProbeSql, rule: DedupRuleName, shared: string, from: RawBuilder<unknown>, where: RawBuilder<unknown>) {
  const s = sql`similarity(coalesce(c.search_name, ''), ${probeName(p)})`;
  return sql`(SELECT DISTINCT c.id, c.display_name, ${rule}::text AS rule, ${similarityReason(s, shared)} AS reason
    FROM ${from} WHERE ${where} AND ${active(p)} AND c.kind = ${p.kind} AND ${s} >= ${p.threshold} LIMIT ${PER_BRANCH})`;
}

function branches(p: ProbeSql): RawBuilder<unknown>[] {
  const out: RawBuilder<unknown>[] = [];
  const on = (rule: DedupRuleName) => p.rules.includes(rule);
  // The owner of each contact row by its primary key, one look-up per row (OFFSET 0 keeps the
  // planner from turning it into a join that reads the whole office when statistics are stale).
  const contact = sql`CROSS JOIN LATERAL (SELECT c.id, c.display_name, c.kind, c.search_name, c.office_id, c.status FROM constituents c
    WHERE c.office_id = t.office_id AND c.id = t.constituent_id OFFSET 0) c`;
  if (on('exactEmail') && p.emails.length) {
    out.push(sql`(SELECT DISTINCT c.id, c.display_name, 'exactEmail'::text AS rule, 'same email ' || lower(t.email::text) AS reason
      FROM constituent_emails t ${contact} WHERE t.office_id = ${p.officeId} AND t.email = ANY(${p.emails}::citext[]) AND ${active(p)} LIMIT ${PER_BRANCH})`);
  }
  if (on('exactPhone') && p.phones.length) {
    out.push(sql`(SELECT DISTINCT c.id, c.display_name, 'exactPhone'::text AS rule, 'same phone ' || t.phone_e164 AS reason
      FROM constituent_phones t ${contact} WHERE t.office_id = ${p.officeId} AND t.phone_e164 = ANY(${p.phones}::text[]) AND t.status <> 'wrong_number' AND ${active(p)} LIMIT ${PER_BRANCH})`);
  }
  const addressFrom = sql`constituent_addresses t ${contact}`;
  if (on('nameAddress')) {
    for (const a of p.addresses) {
      const key = sql`public.civitas_address_key(${a.line1}::text, ${a.line2}::text, ${a.postcode}::text)`;
      const where = a.postcode && postcodeKey(a.postcode)
        ? sql`t.office_id = ${p.officeId} AND t.postcode_key = ${postcodeKey(a.postcode)} AND t.address_key = ${key}`
        : sql`t.office_id = ${p.officeId} AND t.address_key = ${key}`;
      out.push(fuzzy(p, 'nameAddress', 'same address', addressFrom, where));
    }
  }
  const postcodes = [...new Set(p.addresses.map((a) => postcodeKey(a.postcode ?? '')).filter(Boolean))];
  if (on('namePostcode') && postcodes.length) {
    const where = sql`t.office_id = ${p.officeId} AND t.postcode_key = ANY(${postcodes}::text[])`;
    out.push(fuzzy(p, 'namePostcode', 'same postcode', addressFrom, where));
  }
  if (on('nameDob') && p.dateOfBirth) {
    // By the birth-date index alone (a status condition would tempt the planner into the partial name index).
    const born = sql`(SELECT d.office_id, d.id AS constituent_id FROM constituents d WHERE d.office_id = ${p.officeId} AND d.date_of_birth = ${p.dateOfBirth}::date OFFSET 0) t ${contact}`;
    out.push(fuzzy(p, 'nameDob', 'same date of birth', born, sql`t.office_id = ${p.officeId}`));
  }
  return out;
}

/** Every (record, rule) the probe meets, with the rule's reason. */
export async function ruleHits(db: Executor, p: ProbeSql): Promise<RuleHit[]> {
  const parts = branches(p);
  if (parts.length === 0) return [];
  const r = await sql<RuleHit>`${sql.join(parts, sql` UNION ALL `)}`.execute(db);
  return r.rows;
}
