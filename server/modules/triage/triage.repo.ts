// SQL for triage: the office's rules and settings, its models, the decisions kept per item
// and case, and the facts rules test (the sender's tags and wards, a category's lineage).
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';

// ---------------------------------------------------------------- rules

export type RuleRow = { id: string; name: string; position: number; enabled: boolean; conditions: unknown; actions: unknown; updated_at: Date };

const ruleColumns = ['id', 'name', 'position', 'enabled', 'conditions', 'actions', 'updated_at'] as const;

export const rules = (db: Executor, officeId: string, onlyEnabled = false) => {
  let q = db.selectFrom('triage_rules').select(ruleColumns).where('office_id', '=', officeId);
  if (onlyEnabled) q = q.where('enabled', '=', true);
  return q.orderBy('position').orderBy('id').execute() as Promise<RuleRow[]>;
};

export const rule = (db: Executor, officeId: string, id: string) =>
  db.selectFrom('triage_rules').select(ruleColumns).where('office_id', '=', officeId).where('id', '=', id).executeTakeFirst() as Promise<RuleRow | undefined>;

/** Serialises edits of the office's rule list (positions). */
export const lockRules = (db: Executor, officeId: string) => sql`SELECT pg_advisory_xact_lock(hashtext(${`civitas.triage-rules:${officeId}`}))`.execute(db);

export const nextPosition = async (db: Executor, officeId: string) =>
  (await db.selectFrom('triage_rules').select(sql<number>`coalesce(max(position), 0) + 10`.as('p')).where('office_id', '=', officeId).executeTakeFirstOrThrow()).p;

export const countRules = async (db: Executor, officeId: string) =>
  Number((await db.selectFrom('triage_rules').select((e) => e.fn.countAll().as('n')).where('office_id', '=', officeId).executeTakeFirstOrThrow()).n);

type RuleValues = { name?: string; position?: number; enabled?: boolean; conditions?: object; actions?: object };
const json = (v: RuleValues) => ({
  ...v,
  ...(v.conditions ? { conditions: JSON.stringify(v.conditions) } : {}),
  ...(v.actions ? { actions: JSON.stringify(v.actions) } : {}),
});

export const insertRule = (db: Executor, officeId: string, v: Required<RuleValues>) =>
  db.insertInto('triage_rules').values({ ...json(v), office_id: officeId } as never).returning('id').executeTakeFirstOrThrow();

export const updateRule = (db: Executor, officeId: string, id: string, v: RuleValues) =>
  db.updateTable('triage_rules').set({ ...json(v), updated_at: sql`now()` } as never).where('office_id', '=', officeId).where('id', '=', id).executeTakeFirst();

export const deleteRule = (db: Executor, officeId: string, id: string) =>
  db.deleteFrom('triage_rules').where('office_id', '=', officeId).where('id', '=', id).executeTakeFirst();

// ---------------------------------------------------------------- settings

export type SettingsRow = { auto_apply_threshold: number | null; auto_reply: boolean; on_duty_user_id: string | null };

export async function settings(db: Executor, officeId: string): Promise<SettingsRow> {
  const row = await db.selectFrom('triage_settings').select(['auto_apply_threshold', 'auto_reply', 'on_duty_user_id']).where('office_id', '=', officeId).executeTakeFirst();
  return row ?? { auto_apply_threshold: null, auto_reply: false, on_duty_user_id: null };
}

export const saveSettings = (db: Executor, officeId: string, v: SettingsRow) =>
  db.insertInto('triage_settings').values({ office_id: officeId, ...v })
    .onConflict((oc) => oc.column('office_id').doUpdateSet({ ...v, updated_at: sql`now()` })).execute();

// ---------------------------------------------------------------- references a rule may name

export const activeUser = (db: Executor, officeId: string, id: string) =>
  db.selectFrom('users').select(['id', 'display_name', 'role']).where('office_id', '=', officeId).where('id', '=', id).where('status', '=', 'active').executeTakeFirst();

export const team = (db: Executor, officeId: string, id: string) =>
  db.selectFrom('teams').select(['id', 'name']).where('office_id', '=', officeId).where('id', '=', id).executeTakeFirst();

export const boundaries = (db: Executor, officeId: string, ids: string[]) =>
  ids.length ? db.selectFrom('boundaries').select(['id', 'name', 'retired_at']).where('office_id', '=', officeId).where('id', 'in', ids).execute() : Promise.resolve([]);

// ---------------------------------------------------------------- facts

/** A category and its ancestors, nearest first. */
export async function lineage(db: Executor, officeId: string, categoryId: string | null): Promise<string[]> {
  if (!categoryId) return [];
  const r = await sql<{ id: string }>`WITH RECURSIVE up(id, parent_id, d) AS (
      SELECT id, parent_id, 0 FROM categories WHERE office_id = ${officeId} AND id = ${categoryId}
      UNION ALL SELECT c.id, c.parent_id, up.d + 1 FROM categories c JOIN up ON c.office_id = ${officeId} AND c.id = up.parent_id WHERE up.d < 10)
    SELECT id FROM up ORDER BY d`.execute(db);
  return r.rows.map((x) => x.id);
}

/** The sender's tags, the wards of their addresses, and their preferred language. */
export async function senderFacts(db: Executor, officeId: string, constituentId: string): Promise<{ tags: string[]; wardIds: string[]; preferredLanguage: string | null }> {
  const r = await sql<{ tags: string[]; ward_ids: string[] | null; preferred_language: string | null }>`
    SELECT c.tags, c.preferred_language,
      (SELECT array_agg(DISTINCT aa.boundary_id) FROM constituent_addresses a
         JOIN constituent_address_areas aa ON aa.office_id = a.office_id AND aa.address_id = a.id AND aa.layer = 'ward'
        WHERE a.office_id = c.office_id AND a.constituent_id = c.id) AS ward_ids
    FROM constituents c WHERE c.office_id = ${officeId} AND c.id = ${constituentId}`.execute(db);
  const row = r.rows[0];
  return { tags: row?.tags ?? [], wardIds: row?.ward_ids ?? [], preferredLanguage: row?.preferred_language ?? null };
}

/** Sets a record's preferred language when it has none (a detected language is a fact about the person). */
export const setLanguageIfUnset = (db: Executor, officeId: string, constituentId: string, language: string) =>
  db.updateTable('constituents').set({ preferred_language: language }).where('office_id', '=', officeId).where('id', '=', constituentId).where('preferred_language', 'is', null).executeTakeFirst();

export const setItemLanguage = (db: Executor, officeId: string, itemId: string, language: string | null) =>
  db.updateTable('inbound_items').set({ language }).where('office_id', '=', officeId).where('id', '=', itemId).execute();

// ---------------------------------------------------------------- decisions

export type DecisionValues = {
  inbound_item_id: string | null; case_id: string | null; language: string | null; urgent: boolean; urgency: unknown[]; urgency_version: string | null;
  model_version: number | null; suggested_category_id: string | null; confidence: number | null; category_source: 'rule' | 'model' | null;
  applied_category_id: string | null; threshold: number | null; rules: unknown[]; spam: boolean; auto_reply: unknown;
};

export const insertDecision = (db: Executor, officeId: string, v: DecisionValues) =>
  db.insertInto('triage_decisions').values({
    ...v, office_id: officeId, urgency: JSON.stringify(v.urgency), rules: JSON.stringify(v.rules), auto_reply: v.auto_reply === null ? null : JSON.stringify(v.auto_reply),
  } as never).onConflict((oc) => oc.columns(['office_id', 'inbound_item_id']).where('inbound_item_id', 'is not', null).doNothing()).returning('id').executeTakeFirst();

export const setDecisionCase = (db: Executor, officeId: string, id: string, caseId: string) =>
  db.updateTable('triage_decisions').set({ case_id: caseId }).where('office_id', '=', officeId).where('id', '=', id).execute();

export const setDecisionReply = (db: Executor, officeId: string, id: string, autoReply: unknown) =>
  db.updateTable('triage_decisions').set({ auto_reply: JSON.stringify(autoReply) } as never).where('office_id', '=', officeId).where('id', '=', id).execute();

export type DecisionRow = DecisionValues & {
  id: string; created_at: Date; suggested_name: string | null; applied_name: string | null; corrected_category_id: string | null;
};

const DECISION_SELECT = sql`SELECT d.*, s.name AS suggested_name, a.name AS applied_name
    FROM triage_decisions d
    LEFT JOIN categories s ON s.office_id = d.office_id AND s.id = d.suggested_category_id
    LEFT JOIN categories a ON a.office_id = d.office_id AND a.id = d.applied_category_id`;

export async function decisionsOfCase(db: Executor, officeId: string, caseId: string): Promise<DecisionRow[]> {
  const r = await sql<DecisionRow>`${DECISION_SELECT}
    WHERE d.office_id = ${officeId} AND (d.case_id = ${caseId} OR d.inbound_item_id IN (SELECT id FROM inbound_items WHERE office_id = ${officeId} AND case_id = ${caseId}))
    ORDER BY d.created_at, d.id`.execute(db);
  return r.rows;
}

export async function decisionOfItem(db: Executor, officeId: string, itemId: string): Promise<DecisionRow | undefined> {
  const r = await sql<DecisionRow>`${DECISION_SELECT} WHERE d.office_id = ${officeId} AND d.inbound_item_id = ${itemId}`.execute(db);
  return r.rows[0];
}

// ---------------------------------------------------------------- dry run

export type RecentItem = {
  id: string; received_at: Date; channel: string; sender_address: string | null; subject: string | null; body_text: string | null; reply_text: string | null;
  constituent_id: string | null; details: unknown; language: string | null; case_reference: string | null; case_category_id: string | null; case_ward_id: string | null;
  known_before: boolean;
};

/** The office's last N processed items, newest first, with what rules test; those on sensitive cases only for who may see them. */
export async function recentItems(db: Executor, officeId: string, last: number, canSeeSensitive: boolean): Promise<RecentItem[]> {
  const r = await sql<RecentItem>`SELECT i.id, i.received_at, i.channel, i.sender_address, i.subject, i.body_text, i.reply_text, i.constituent_id, i.details, i.language,
      c.reference AS case_reference, c.category_id AS case_category_id, c.ward_id AS case_ward_id,
      coalesce(k.created_at < i.received_at - interval '1 minute', false) AS known_before
    FROM inbound_items i
    LEFT JOIN cases c ON c.office_id = i.office_id AND c.id = i.case_id
    LEFT JOIN constituents k ON k.office_id = i.office_id AND k.id = i.constituent_id
    WHERE i.office_id = ${officeId} AND i.kind = 'message' AND i.status <> 'received' AND (${canSeeSensitive} OR NOT coalesce(c.is_sensitive, false))
    ORDER BY i.received_at DESC, i.id DESC LIMIT ${last}`.execute(db);
  return r.rows;
}

/** The live reply template with approved text that the office filed under this category, if any. */
export const categoryTemplate = async (db: Executor, officeId: string, categoryId: string): Promise<string | null> =>
  (await db.selectFrom('reply_templates as t').select('t.id').where('t.office_id', '=', officeId).where('t.category_id', '=', categoryId).where('t.retired', '=', false)
    .where((e) => e.exists(e.selectFrom('reply_template_versions as v').select('v.version').whereRef('v.office_id', '=', 't.office_id').whereRef('v.template_id', '=', 't.id').where('v.status', '=', 'approved')))
    .orderBy('t.created_at').executeTakeFirst())?.id ?? null;

/** Active managers and admins: alerted about urgent content when nobody is on duty. */
export const managerIds = async (db: Executor, officeId: string): Promise<string[]> =>
  (await db.selectFrom('users').select('id').where('office_id', '=', officeId).where('status', '=', 'active').where('role', 'in', ['manager', 'admin']).execute()).map((r) => r.id);

// ---------------------------------------------------------------- the triage page's figures

/** A decision whose case's category is final: the case is resolved or closed, or staff corrected it. */
const SETTLED = sql`(c.resolved_at IS NOT NULL OR c.closed_at IS NOT NULL OR d.corrected_category_id IS NOT NULL)`;

export async function volumes(db: Executor, officeId: string, since: Date) {
  const r = await sql<{ id: string; name: string; volume: number; auto_applied: number }>`
    SELECT cat.id, cat.name, count(*)::int AS volume, (count(*) FILTER (WHERE d.category_source = 'model'))::int AS auto_applied
    FROM triage_decisions d
    JOIN cases c ON c.office_id = d.office_id AND c.id = d.case_id
    JOIN categories cat ON cat.office_id = c.office_id AND cat.id = c.category_id
    WHERE d.office_id = ${officeId} AND d.created_at >= ${since}
    GROUP BY cat.id, cat.name ORDER BY count(*) DESC, cat.name`.execute(db);
  return r.rows;
}

export async function suggestionOutcomes(db: Executor, officeId: string, since: Date) {
  const r = await sql<{ id: string; name: string; suggested: number; correct: number }>`
    SELECT s.id, s.name, count(*)::int AS suggested, (count(*) FILTER (WHERE c.category_id = d.suggested_category_id))::int AS correct
    FROM triage_decisions d
    JOIN cases c ON c.office_id = d.office_id AND c.id = d.case_id
    JOIN categories s ON s.office_id = d.office_id AND s.id = d.suggested_category_id
    WHERE d.office_id = ${officeId} AND d.created_at >= ${since} AND c.category_id IS NOT NULL AND ${SETTLED}
    GROUP BY s.id, s.name`.execute(db);
  return r.rows;
}

/** Each settled suggestion's confidence and whether it was right: the office's own precision/coverage history. */
export async function scoredHistory(db: Executor, officeId: string, since: Date) {
  const r = await sql<{ confidence: number; correct: boolean }>`
    SELECT d.confidence, c.category_id = d.suggested_category_id AS correct
    FROM triage_decisions d JOIN cases c ON c.office_id = d.office_id AND c.id = d.case_id
    WHERE d.office_id = ${officeId} AND d.created_at >= ${since} AND d.suggested_category_id IS NOT NULL AND d.confidence IS NOT NULL
      AND c.category_id IS NOT NULL AND ${SETTLED}`.execute(db);
  return r.rows;
}

export async function totals(db: Executor, officeId: string, since: Date) {
  const r = await sql<{ decisions: number; urgent: number; spam: number; auto_applied: number; auto_replied: number }>`
    SELECT count(*)::int AS decisions, (count(*) FILTER (WHERE urgent))::int AS urgent, (count(*) FILTER (WHERE spam))::int AS spam,
      (count(*) FILTER (WHERE category_source = 'model'))::int AS auto_applied, (count(*) FILTER (WHERE auto_reply->>'sent' = 'true'))::int AS auto_replied
    FROM triage_decisions WHERE office_id = ${officeId} AND created_at >= ${since}`.execute(db);
  return r.rows[0]!;
}

/** Staff chose a category for a case triage looked at: its decisions record the correction. */
export const recordCorrection = (db: Executor, officeId: string, caseId: string, categoryId: string) =>
  db.updateTable('triage_decisions').set({ corrected_category_id: categoryId }).where('office_id', '=', officeId)
    .where((e) => e.or([e('case_id', '=', caseId), e('inbound_item_id', 'in', e.selectFrom('inbound_items').select('id').where('office_id', '=', officeId).where('case_id', '=', caseId))]))
    .execute();

export const isTeamMember = async (db: Executor, officeId: string, teamId: string, userId: string): Promise<boolean> =>
  (await db.selectFrom('team_members').select('user_id').where('office_id', '=', officeId).where('team_id', '=', teamId).where('user_id', '=', userId).executeTakeFirst()) !== undefined;
