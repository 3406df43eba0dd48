// SQL for the weekly report: the office's schedule (an office without a row has the defaults:
// enabled, Monday at 08:00), the offices whose send time has come this office-local ISO week,
// the claim of a week (one conditional upsert, so only one sender wins), and the recipients.
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';

export type ScheduleRow = {
  enabled: boolean;
  weekday: number;
  hour: number;
  extra_recipients: string[];
  last_sent_at: Date | null;
  last_sent_week: string | null;
};

export const DEFAULT_SCHEDULE: ScheduleRow = { enabled: true, weekday: 1, hour: 8, extra_recipients: [], last_sent_at: null, last_sent_week: null };

/** The office's stored schedule; with `lock`, locked for the rest of the transaction. */
export async function getSchedule(db: Executor, officeId: string, lock = false): Promise<ScheduleRow | undefined> {
  const q = db.selectFrom('insight_report_schedules').select(['enabled', 'weekday', 'hour', 'extra_recipients', 'last_sent_at', 'last_sent_week'])
    .where('office_id', '=', officeId);
  return (lock ? q.forUpdate() : q).executeTakeFirst();
}

export async function saveSchedule(db: Executor, officeId: string, s: Pick<ScheduleRow, 'enabled' | 'weekday' | 'hour' | 'extra_recipients'>): Promise<ScheduleRow> {
  return db.insertInto('insight_report_schedules').values({ office_id: officeId, ...s })
    .onConflict((oc) => oc.column('office_id').doUpdateSet({ ...s, updated_at: sql`now()` }))
    .returning(['enabled', 'weekday', 'hour', 'extra_recipients', 'last_sent_at', 'last_sent_week']).executeTakeFirstOrThrow();
}

export type DueOffice = {
  office_id: string;
  name: string;
  time_zone: string;
  extra_recipients: string[];
  last_sent_week: string | null;
  /** The office-local ISO week of `now`, e.g. 2026-W50, and the office-local date. */
  week: string;
  today: string;
};

/**
 * Offices whose report is enabled, whose office-local weekday and hour of sending have come
 * in the current office-local ISO week, and that have not sent this week's.
 */
export async function dueOffices(db: Executor, now: Date, officeIds?: string[]): Promise<DueOffice[]> {
  const local = sql`(${now.toISOString()}::timestamptz AT TIME ZONE o.time_zone)`;
  const r = await sql<DueOffice>`SELECT * FROM (
      SELECT o.id AS office_id, o.name, o.time_zone, coalesce(s.extra_recipients, '{}') AS extra_recipients, s.last_sent_week,
        to_char(${local}, 'IYYY-"W"IW') AS week, to_char(${local}, 'YYYY-MM-DD') AS today,
        extract(isodow FROM ${local}) * 24 + extract(hour FROM ${local}) AS local_hour,
        coalesce(s.weekday, 1) * 24 + coalesce(s.hour, 8) AS send_hour
      FROM offices o LEFT JOIN insight_report_schedules s ON s.office_id = o.id
      WHERE coalesce(s.enabled, true) ${officeIds ? sql`AND o.id = ANY(${officeIds}::uuid[])` : sql``}) d
    WHERE d.local_hour >= d.send_hour AND d.last_sent_week IS DISTINCT FROM d.week
    ORDER BY d.office_id`.execute(db);
  return r.rows.map((row) => ({ office_id: row.office_id, name: row.name, time_zone: row.time_zone, extra_recipients: row.extra_recipients, last_sent_week: row.last_sent_week, week: row.week, today: row.today }));
}

/** How long a claim holds: longer than the job may run (its expiry is 30 minutes). */
const CLAIM_MINUTES = 35;

/**
 * Takes this week's report for the sender until the claim lapses: true for exactly one of any
 * number of concurrent callers, and again for a later caller once a claim has lapsed unsent.
 */
export async function claimWeek(db: Executor, officeId: string, week: string, now: Date): Promise<boolean> {
  const until = new Date(now.getTime() + CLAIM_MINUTES * 60_000);
  const r = await sql<{ office_id: string }>`INSERT INTO insight_report_schedules (office_id, claimed_week, claimed_until) VALUES (${officeId}, ${week}, ${until})
    ON CONFLICT (office_id) DO UPDATE SET claimed_week = EXCLUDED.claimed_week, claimed_until = EXCLUDED.claimed_until
      WHERE insight_report_schedules.enabled AND insight_report_schedules.last_sent_week IS DISTINCT FROM EXCLUDED.claimed_week
        AND NOT (insight_report_schedules.claimed_week IS NOT DISTINCT FROM EXCLUDED.claimed_week AND insight_report_schedules.claimed_until > ${now})
    RETURNING office_id`.execute(db);
  return r.rows.length === 1;
}

/** Gives a claimed week back (sending failed), so the next run tries again. */
export async function releaseWeek(db: Executor, officeId: string, week: string): Promise<void> {
  await db.updateTable('insight_report_schedules').set({ claimed_week: null, claimed_until: null })
    .where('office_id', '=', officeId).where('claimed_week', '=', week).execute();
}

/** Records the week as sent (only by the claim's holder). */
export async function markSent(db: Executor, officeId: string, week: string, at: Date): Promise<void> {
  await db.updateTable('insight_report_schedules').set({ last_sent_week: week, last_sent_at: at, claimed_week: null, claimed_until: null })
    .where('office_id', '=', officeId).where('claimed_week', '=', week).execute();
}

/** Email addresses of the office's active managers and admins. */
export async function managerEmails(db: Executor, officeId: string): Promise<string[]> {
  const rows = await db.selectFrom('users').select('email').where('office_id', '=', officeId).where('status', '=', 'active')
    .where('role', 'in', ['manager', 'admin']).orderBy('email').execute();
  return rows.map((r) => String(r.email));
}
