// The dead-letter view: jobs of this office that failed after all retries, and retrying them.
import { z } from 'zod';
import type { Page } from '../../../contract/common.js';
import type { FailedJob } from '../../../contract/jobs.js';
import * as audit from '../../platform/audit/audit.js';
import { DomainError } from '../../platform/errors.js';
import { decodeCursor, page } from '../../platform/http/pagination.js';
import type { Jobs } from '../../platform/jobs.js';
import type { Scope } from '../../platform/scope.js';
import * as repo from './jobs.repo.js';

function errorText(output: unknown): string | null {
  if (output === null || output === undefined) return null;
  if (typeof output === 'object' && output !== null && 'message' in output) return String((output as { message: unknown }).message);
  return JSON.stringify(output).slice(0, 2000);
}

export async function listFailed(scope: Scope, q: { limit: number; cursor?: string | undefined }): Promise<Page<FailedJob>> {
  const c = decodeCursor(q.cursor, z.tuple([z.string().max(40).regex(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,6})?[+-]\d\d(:\d\d)?$/), z.uuid()]));
  const rows = await repo.listFailed(scope.db, scope.officeId, q.limit, c ? { createdOn: c[0], id: c[1] } : undefined);
  const p = page(rows, q.limit, (r) => [r.created_key, r.id]);
  return {
    items: p.items.map((r) => ({
      id: r.id,
      queue: r.name,
      state: r.state,
      retryCount: r.retry_count,
      createdAt: r.created_on.toISOString(),
      completedAt: r.completed_on?.toISOString() ?? null,
      error: errorText(r.output),
      data: r.data,
    })),
    nextCursor: p.nextCursor,
  };
}

export async function retry(scope: Scope, jobs: Jobs, id: string): Promise<void> {
  const job = await repo.getFailed(scope.db, scope.officeId, id);
  if (!job) throw new DomainError('not_found', { message: 'No failed job with this id in this office' });
  await jobs.boss.retry(job.name, id);
  await audit.record(scope.db, scope, { entity: 'job', id, action: 'retried', after: { queue: job.name } });
}

export const queueStats = (scope: Scope) => repo.queueStats(scope.db, scope.officeId);
