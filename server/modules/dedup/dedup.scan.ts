// Candidate generation over all active records of an office: each enabled rule in turn
// (blocking in SQL, see dedup.scan.repo.ts), then scoring and the merge into the review
// queue. Progress is written to the scan's row after every rule, so any app node can show
// it; the CLI prints the same lines.
import type { DedupScan, DedupScanResult, DedupScanStep } from '../../../contract/dedup.js';
import * as audit from '../../platform/audit/audit.js';
import type { Db, Executor } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import type { Scope } from '../../platform/scope.js';
import * as repo from './dedup.repo.js';
import { DEDUP_RULES, LIMITS, RULE_KIND, type DedupRuleName, type DedupRules } from './dedup.rules.js';
import * as scanRepo from './dedup.scan.repo.js';
import { loadRules } from './dedup.settings.js';

/** A scan that has been queued or running this long was lost with its process (jobs expire sooner). */
const STALE_AFTER_MS = 2 * 3600_000;

export function presentScan(row: repo.ScanRow): DedupScan {
  return {
    id: row.id,
    status: row.status as DedupScan['status'],
    source: row.source as DedupScan['source'],
    requestedBy: row.requested_by_label,
    steps: row.steps as DedupScanStep[],
    result: (row.result as DedupScanResult | null) ?? null,
    error: row.error,
    createdAt: row.created_at.toISOString(),
    startedAt: row.started_at?.toISOString() ?? null,
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
}

const blankStep = (rule: DedupRuleName, enabled: boolean): DedupScanStep => ({
  rule, status: enabled ? 'pending' : 'disabled', blocks: 0, skippedBlocks: 0, skippedRecords: 0, skippedGroups: 0, pairs: 0, ms: null,
});

/**
 * Records a queued scan (or returns the one already queued or running) and hands it to
 * `enqueue`, in one transaction: the job exists if and only if the scan row does.
 */
export async function requestScan(
  scope: Scope,
  source: 'api' | 'cli',
  enqueue: (scanId: string, trx: Executor) => Promise<void>,
): Promise<{ scan: DedupScan; created: boolean }> {
  return scope.db.transaction().execute(async (trx) => {
    await repo.failStale(trx, scope.officeId, new Date(Date.now() - STALE_AFTER_MS));
    const rules = await loadRules(trx, scope.officeId);
    const steps = DEDUP_RULES.map((r) => blankStep(r, rules.rules[r].enabled));
    const row = await repo.insertScan(trx, scope.officeId, { source, requestedBy: scope.actor.id, label: scope.actor.label, steps });
    if (!row) {
      const active = await repo.activeScan(trx, scope.officeId);
      if (!active) throw new DomainError('conflict', { message: 'A scan just finished; try again' });
      return { scan: presentScan(active), created: false };
    }
    await enqueue(row.id, trx);
    await audit.record(trx, scope, { entity: 'dedup_scan', id: row.id, action: 'requested', after: { source } });
    return { scan: presentScan(row), created: true };
  });
}

export async function getScan(scope: Scope, id: string): Promise<DedupScan> {
  const row = await repo.getScan(scope.db, scope.officeId, id);
  if (!row) throw new DomainError('not_found', { message: 'No such scan in this office' });
  return presentScan(row);
}

export const recentScans = async (scope: Scope, limit: number): Promise<DedupScan[]> => (await repo.recentScans(scope.db, scope.officeId, limit)).map(presentScan);

export type ScanProgress = (line: string) => void;

/** Runs a queued scan to completion; on failure the scan is marked failed and the error rethrown. */
export async function runScan(db: Db, officeId: string, scanId: string, progress: ScanProgress = () => undefined): Promise<DedupScanResult> {
  const started = performance.now();
  // One connection for the whole scan: its temporary tables live in the session, and
  // progress written on it commits at once (PGlite has only this one connection).
  return db.connection().execute(async (conn) => {
    if (!(await repo.markRunning(conn, officeId, scanId))) throw new Error(`scan ${scanId} is not queued or running`);
    const steps: DedupScanStep[] = DEDUP_RULES.map((r) => blankStep(r, false));
    let locked = false;
    try {
      locked = await scanRepo.lockOffice(conn, officeId);
      if (!locked) throw new Error('another scan of this office is running');
      const rules = await loadRules(conn, officeId);
      DEDUP_RULES.forEach((r, i) => (steps[i] = blankStep(r, rules.rules[r].enabled)));
      await repo.saveSteps(conn, officeId, scanId, steps);
      const records = await scanRepo.prepare(conn, officeId);
      progress(`${records} active records; rules: ${DEDUP_RULES.filter((r) => rules.rules[r].enabled).join(', ')}`);
      for (const [i, rule] of DEDUP_RULES.entries()) {
        if (!rules.rules[rule].enabled) continue;
        steps[i] = { ...steps[i]!, status: 'running' };
        await repo.saveSteps(conn, officeId, scanId, steps);
        steps[i] = await runRule(conn, officeId, rule, rules);
        await repo.saveSteps(conn, officeId, scanId, steps);
        progress(stepLine(steps[i]!));
      }
      const scored = await scanRepo.score(conn, rules.scoreThreshold);
      progress(`${scored} pairs at or above the threshold ${rules.scoreThreshold}`);
      const applied = await conn.transaction().execute((trx) => scanRepo.apply(trx, officeId));
      const result: DedupScanResult = {
        records, ...applied,
        skippedBlocks: steps.reduce((n, s) => n + s.skippedBlocks, 0),
        skippedGroups: steps.reduce((n, s) => n + s.skippedGroups, 0),
        seconds: Math.round((performance.now() - started) / 100) / 10,
      };
      await repo.finishScan(conn, officeId, scanId, { status: 'completed', steps, result, error: null });
      progress(`candidates: ${result.open} open (${result.created} new, ${result.updated} rescored, ${result.removed} removed), ${result.decided} already decided; ${result.seconds}s`);
      return result;
    } catch (err) {
      await repo.finishScan(conn, officeId, scanId, { status: 'failed', steps, result: null, error: (err as Error).message }).catch(() => undefined);
      throw err;
    } finally {
      await scanRepo.release(conn, officeId, locked).catch(() => undefined);
    }
  });
}

async function runRule(conn: Executor, officeId: string, rule: DedupRuleName, rules: DedupRules): Promise<DedupScanStep> {
  const t0 = performance.now();
  const weight = rules.rules[rule].weight;
  const counts = RULE_KIND[rule] === 'exact'
    ? await scanRepo.exactRule(conn, officeId, rule as 'exactEmail' | 'exactPhone', weight, LIMITS.exactBlockCap)
    : await scanRepo.fuzzyRule(conn, officeId, rule as 'nameAddress' | 'namePostcode' | 'nameDob', weight, rules.nameSimilarity, { block: LIMITS.fuzzyBlockCap, group: LIMITS.nameGroupCap });
  return { rule, status: 'done', ...counts, ms: Math.round(performance.now() - t0) };
}

function stepLine(s: DedupScanStep): string {
  const skipped = s.skippedBlocks || s.skippedGroups
    ? `; skipped ${s.skippedBlocks} blocks over the cap (${s.skippedRecords} records)${s.skippedGroups ? ` and ${s.skippedGroups} name groups` : ''}`
    : '';
  return `${s.rule}: ${s.blocks} blocks, ${s.pairs} pairs in ${((s.ms ?? 0) / 1000).toFixed(1)}s${skipped}`;
}
