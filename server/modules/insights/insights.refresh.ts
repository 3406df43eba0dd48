// Keeping the summaries current. The triggers put every changed case in the dirty queue; a
// refresh takes a batch, recomputes those cases' facts here in TypeScript (business minutes
// need the office calendar), and applies new − old to the rollups in the same transaction.
// The fact row is the record of what was counted, so a crash (nothing committed) or a second
// refresh (it waits its turn on the office lock) never counts a case twice. Inbound items
// have no trigger: whole office-local days touched since a watermark are recounted.
import { sql } from 'kysely';
import type { Database, Executor } from '../../platform/db/database.js';
import { inTransaction } from '../../platform/db/database.js';
import { systemScope } from '../../platform/scope.js';
import * as offices from '../offices/offices.service.js';
import { officeCalendarFrom } from '../sla/sla.cases.js';
import type { Calendar } from '../sla/sla.calendar.js';
import { dayOf, midnight } from './insights.days.js';
import { Deltas, factOf, type Fact } from './insights.facts.js';
import { MapCellDeltas } from './insights.map-cells.js';
import { applyMapCells } from './insights.points-repo.js';
import * as repo from './insights.repo.js';

export const DEFAULT_BATCH = 1000;
/** Inbound items committed this long after they were received are still counted. */
export const LATE_COMMIT_MS = 10 * 60_000;

/**
 * Folds up to `limit` dirty cases of the office into the summaries, and recounts touched item
 * days. Returns how many cases were processed and how many wait (0 means caught up). When
 * another refresh of the office is running, returns at once with nothing processed, or with
 * `wait` (a read about to use the summaries) waits for it to commit and then goes on.
 */
export async function refreshOffice(db: Executor, officeId: string, opts: { limit?: number; wait?: boolean } = {}): Promise<{ processed: number; remaining: number }> {
  const { rebuilt, ...result } = await foldOffice(db, officeId, opts.limit ?? DEFAULT_BATCH, opts.wait ?? false);
  // A rebuild queued and took every case of the office: the queue's table and index are left
  // full of dead rows that every later read of the queue would step through (460 ms at five
  // million) until a vacuum, and autovacuum may be off or late. Outside any transaction only.
  if (rebuilt && !db.isTransaction) await repo.vacuumQueue(db);
  return result;
}

/** One refresh transaction; `rebuilt` when it completed a rebuild. */
async function foldOffice(db: Executor, officeId: string, limit: number, wait: boolean): Promise<{ processed: number; remaining: number; rebuilt: boolean }> {
  return inTransaction(db, async (trx) => {
    if (wait) await repo.lockOffice(trx, officeId);
    else if (!(await repo.tryLockOffice(trx, officeId))) return { processed: 0, remaining: await repo.pendingCount(trx, officeId, 1_000_000), rebuilt: false };
    const office = await offices.get(systemScope(trx, officeId));
    const state = await repo.officeState(trx, officeId);
    let isRebuilding = state?.rebuilding ?? false;
    // A new time zone moves every day boundary: recount everything in the new zone.
    if (state?.time_zone && state.time_zone !== office.timeZone) {
      await startRebuild(trx, officeId);
      isRebuilding = true;
    }
    const processed = await foldCases(trx, officeId, office.timeZone, limit, isRebuilding);
    const remaining = await repo.pendingCount(trx, officeId, 1_000_000);
    const rebuilt = isRebuilding && remaining === 0;
    if (rebuilt) await repo.rollUpAll(trx, officeId);
    await recountItems(trx, officeId, office.timeZone, state?.time_zone === office.timeZone && !isRebuilding ? (state.items_through ?? null) : null);
    const started = (await sql<{ now: Date }>`SELECT now() AS now`.execute(trx)).rows[0]!.now;
    await repo.saveOfficeState(trx, officeId, {
      time_zone: office.timeZone, items_through: started, rebuilding: isRebuilding && remaining > 0, ...(remaining === 0 ? { refreshed_at: started } : {}),
    });
    return { processed, remaining, rebuilt };
  });
}

async function startRebuild(trx: Executor, officeId: string): Promise<void> {
  await repo.clearSummaries(trx, officeId);
  await repo.markAllDirty(trx, officeId);
  await repo.saveOfficeState(trx, officeId, { rebuilding: true });
}

/**
 * Recomputes the facts of a batch of dirty cases. Normally the rollups get new − old at once;
 * during a rebuild only the facts are written (the rollups are made from all of them at the end).
 */
async function foldCases(trx: Executor, officeId: string, timeZone: string, limit: number, isRebuilding: boolean): Promise<number> {
  const dirty = await repo.takeDirty(trx, officeId, limit);
  if (dirty.length === 0) return 0;
  const before = isRebuilding ? [] : await repo.loadFacts(trx, officeId, dirty);
  let cases = await repo.loadCases(trx, officeId, dirty);
  const ids = new Set(dirty);
  // A requester's first case is "new", the rest "returning": a change to one case can change
  // that for the requester's other cases, which are recomputed with it (a rebuild does them all).
  const requesters = [...new Set([...before, ...cases].map((c) => c.requester_id).filter((r): r is string => r !== null))];
  if (!isRebuilding && requesters.length) {
    const extra = (await repo.requesterNeighbours(trx, officeId, requesters)).filter((id) => !ids.has(id));
    if (extra.length) {
      extra.forEach((id) => ids.add(id));
      before.push(...(await repo.loadFacts(trx, officeId, extra)));
      cases = cases.concat(await repo.loadCases(trx, officeId, extra));
    }
  }
  const cal = cases.length ? await calendarFor(trx, officeId, cases) : null;
  const after: Fact[] = cases.map((c) => factOf(c, timeZone, cal));
  if (!isRebuilding) {
    const deltas = new Deltas();
    const cells = new MapCellDeltas();
    for (const [facts, sign] of [[before, -1], [after, 1]] as const) {
      for (const f of facts) {
        deltas.apply(f, sign);
        cells.apply(f, sign);
      }
    }
    await repo.applyCounts(trx, officeId, deltas.countRows());
    await repo.applyHistograms(trx, officeId, deltas.histogramRows());
    await applyMapCells(trx, officeId, cells.rows());
  }
  await repo.saveFacts(trx, officeId, after);
  const present = new Set(after.map((f) => f.case_id));
  await repo.forgetCases(trx, officeId, [...ids].filter((id) => !present.has(id)));
  return dirty.length;
}

/** The office calendar with the holidays from the earliest case of the batch on. */
async function calendarFor(trx: Executor, officeId: string, cases: { created_at: Date }[]): Promise<Calendar> {
  const earliest = Math.min(...cases.map((c) => c.created_at.getTime()));
  return officeCalendarFrom(trx, officeId, new Date(earliest - 2 * 86_400_000).toISOString().slice(0, 10));
}

async function recountItems(trx: Executor, officeId: string, timeZone: string, through: Date | null): Promise<void> {
  if (through === null) {
    await repo.recountItemDays(trx, officeId, timeZone, null, null);
    return;
  }
  const days = await repo.touchedItemDays(trx, officeId, timeZone, new Date(through.getTime() - LATE_COMMIT_MS));
  if (days.length === 0) return;
  const window = { from: midnight(timeZone, dayOf(days[0]!)), to: midnight(timeZone, dayOf(days[days.length - 1]!) + 1) };
  await repo.recountItemDays(trx, officeId, timeZone, days, window);
}

/**
 * Recomputes everything of one office from scratch: summaries emptied, every case queued, facts
 * computed in large batches (they need the calendar, so in TypeScript), then the rollups made
 * from all the facts set-based. The state is kept in insight_office_state, so any refresh
 * (the job) carries an interrupted rebuild on.
 */
export async function rebuildOffice(db: Executor, officeId: string): Promise<{ processed: number }> {
  await inTransaction(db, async (trx) => {
    await repo.lockOffice(trx, officeId);
    await startRebuild(trx, officeId);
  });
  let processed = 0;
  for (;;) {
    const r = await refreshOffice(db, officeId, { limit: 5000 });
    processed += r.processed;
    if (r.remaining === 0 && !(await repo.officeState(db, officeId))?.rebuilding) return { processed };
    if (r.processed === 0) await new Promise((resolve) => setTimeout(resolve, 50)); // another refresh holds the office: let it finish
  }
}

/**
 * Every office's pending changes, in batches (the insights.refresh job). `officeIds` narrows it
 * to those offices; by default it is every office with work (repo.officesWithWork).
 */
export async function refreshAll(database: Database, opts: { limit?: number; maxBatches?: number; officeIds?: string[] } = {}): Promise<{ offices: number; processed: number }> {
  let processed = 0;
  const ids = opts.officeIds ?? (await repo.officesWithWork(database.db, LATE_COMMIT_MS));
  for (const officeId of ids) {
    for (let i = 0; i < (opts.maxBatches ?? 1000); i++) {
      const r = await refreshOffice(database.db, officeId, { limit: opts.limit ?? DEFAULT_BATCH });
      processed += r.processed;
      if (r.remaining === 0 || r.processed === 0) break;
    }
  }
  return { offices: ids.length, processed };
}
