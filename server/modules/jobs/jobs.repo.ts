// SQL over pg-boss's tables, always filtered to the office named in the job data.
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';

export type FailedJobRow = {
  id: string;
  name: string;
  state: string;
  retry_count: number;
  created_on: Date;
  /** created_on at full (microsecond) precision, for the cursor */
  created_key: string;
  completed_on: Date | null;
  output: unknown;
  data: unknown;
};

export const listFailed = async (db: Executor, officeId: string, limit: number, before?: { createdOn: string; id: string }) => {
  const cursor = before ? sql`AND (created_on, id) < (${before.createdOn}::timestamptz, ${before.id}::uuid)` : sql``;
  const { rows } = await sql<FailedJobRow>`
    SELECT id, name, state, retry_count, created_on, created_on::text AS created_key, completed_on, output, data FROM pgboss.job
    WHERE state = 'failed' AND data->>'officeId' = ${officeId} ${cursor}
    ORDER BY created_on DESC, id DESC LIMIT ${limit + 1}`.execute(db);
  return rows;
};

export const getFailed = async (db: Executor, officeId: string, id: string) => {
  const { rows } = await sql<{ name: string }>`
    SELECT name FROM pgboss.job WHERE id = ${id}::uuid AND state = 'failed' AND data->>'officeId' = ${officeId}`.execute(db);
  return rows[0];
};

export const queueStats = async (db: Executor, officeId: string) => {
  const { rows } = await sql<{ queue: string; created: number; active: number; failed: number; completed: number }>`
    SELECT name AS queue,
      count(*) FILTER (WHERE state IN ('created', 'retry'))::int AS created,
      count(*) FILTER (WHERE state = 'active')::int AS active,
      count(*) FILTER (WHERE state = 'failed')::int AS failed,
      count(*) FILTER (WHERE state = 'completed')::int AS completed
    FROM pgboss.job WHERE data->>'officeId' = ${officeId}
    GROUP BY name ORDER BY name`.execute(db);
  return rows;
};
