// SQL for the classifier's models and what they learn from.
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';

export type TrainingRow = { text: string; category_id: string; lat: number | null; lng: number | null; ward_id: string | null; created_at: Date };

/**
 * What the classifier learns from, oldest first: the office's newest resolved or closed
 * cases with a category still in use, and open cases whose category a member of staff chose
 * over the classifier's (corrections count at once). Sensitive cases are left out: their
 * words stay with the people allowed to read them.
 */
export async function trainingRows(db: Executor, officeId: string, limit: number): Promise<TrainingRow[]> {
  const r = await sql<TrainingRow>`SELECT * FROM (
      SELECT left(c.subject || '. ' || c.description, 20000) AS text, c.category_id, c.lat, c.lng, c.ward_id, c.created_at
      FROM cases c JOIN categories cat ON cat.office_id = c.office_id AND cat.id = c.category_id AND NOT cat.retired
      WHERE c.office_id = ${officeId} AND c.category_id IS NOT NULL AND NOT c.is_sensitive
        AND (c.resolved_at IS NOT NULL OR c.closed_at IS NOT NULL
             OR EXISTS (SELECT 1 FROM triage_decisions d WHERE d.office_id = c.office_id AND d.case_id = c.id AND d.corrected_category_id = c.category_id))
      ORDER BY c.created_at DESC, c.id DESC LIMIT ${limit}) newest
    ORDER BY created_at, text`.execute(db);
  return r.rows;
}

export async function insertModel(db: Executor, officeId: string, v: { trigger: 'manual' | 'nightly'; trained_on: number; classes: number; metrics: object; model: Buffer }): Promise<number> {
  // Versions are numbered per office; the advisory lock makes two trainings take two numbers.
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`civitas.triage-models:${officeId}`}))`.execute(db);
  const r = await sql<{ version: number }>`INSERT INTO triage_models (office_id, version, trigger, trained_on, classes, metrics, model)
    SELECT ${officeId}, coalesce(max(version), 0) + 1, ${v.trigger}, ${v.trained_on}, ${v.classes}, ${JSON.stringify(v.metrics)}::jsonb, ${v.model}
    FROM triage_models WHERE office_id = ${officeId} RETURNING version`.execute(db);
  return r.rows[0]!.version;
}

export const latestVersion = async (db: Executor, officeId: string): Promise<number | null> =>
  (await db.selectFrom('triage_models').select((e) => e.fn.max('version').as('v')).where('office_id', '=', officeId).executeTakeFirst())?.v ?? null;

export const model = async (db: Executor, officeId: string, version: number): Promise<Buffer | null> =>
  (await db.selectFrom('triage_models').select('model').where('office_id', '=', officeId).where('version', '=', version).executeTakeFirst())?.model ?? null;

export type ModelSummary = { version: number; created_at: Date; trigger: string; trained_on: number; classes: number; metrics: unknown };

export const models = (db: Executor, officeId: string, limit: number) =>
  db.selectFrom('triage_models').select(['version', 'created_at', 'trigger', 'trained_on', 'classes', 'metrics']).where('office_id', '=', officeId)
    .orderBy('version', 'desc').limit(limit).execute() as Promise<ModelSummary[]>;

/** Offices with enough resolved cases that a nightly model is worth training. */
export async function officesToTrain(db: Executor, minCases: number): Promise<string[]> {
  const r = await sql<{ office_id: string }>`SELECT office_id FROM cases WHERE category_id IS NOT NULL AND (resolved_at IS NOT NULL OR closed_at IS NOT NULL)
    GROUP BY office_id HAVING count(*) >= ${minCases}`.execute(db);
  return r.rows.map((x) => x.office_id);
}
