// Loads the demo office through the product's own bulk loader (runDemo) and finds its admin,
// or finds an office an earlier run left (--database); tops its cases up to what a scenario needs.
import type { Database } from '../../server/platform/db/database.js';
import { runDemo, type DemoSummary } from '../../server/modules/demo/demo.command.js';
import type { Context, DemoState } from './types.js';

export const DEMO_SLUG = 'bench';

export type DemoTimings = {
  /** ms from start until office, wards, categories, staff and teams were set up */
  setupMs: number;
  /** completion time (ms from start) of each constituent batch, in order */
  constituentBatches: number[];
  /** completion time of the last case batch (or of the last constituent batch when there are no cases) */
  endMs: number;
};

export async function loadDemo(database: Database, constituents: number, cases: number): Promise<{ summary: DemoSummary; state: DemoState; timings: DemoTimings }> {
  const t0 = performance.now();
  const timings: DemoTimings = { setupMs: 0, constituentBatches: [], endMs: 0 };
  const io = {
    progress: (line: string) => {
      const at = performance.now() - t0;
      if (line.startsWith('set up office')) timings.setupMs = at;
      else if (line.startsWith('constituents ')) timings.constituentBatches.push(at);
      timings.endMs = at;
    },
    print: () => undefined,
  };
  const summary = await runDemo(database, { officeSlug: DEMO_SLUG, constituents, cases, seed: 1 }, io);
  return { summary, state: { officeId: summary.officeId, adminUserId: await adminOf(database, summary.officeId), constituents }, timings };
}

/** The demo office already in the database (an earlier run's), with its constituent count; undefined if there is none. */
export async function findDemo(database: Database): Promise<DemoState | undefined> {
  const office = await database.db.selectFrom('offices').select('id').where('slug', '=', DEMO_SLUG).executeTakeFirst();
  if (!office) return undefined;
  const r = await database.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM constituents WHERE office_id = $1', [office.id]);
  return { officeId: office.id, adminUserId: await adminOf(database, office.id), constituents: r.rows[0]!.n };
}

/** The office's first active admin: the user the scenarios act as. */
async function adminOf(database: Database, officeId: string): Promise<string> {
  const admin = await database.db
    .selectFrom('users')
    .select('id')
    .where('office_id', '=', officeId)
    .where('role', '=', 'admin')
    .where('status', '=', 'active')
    .orderBy('created_at')
    .executeTakeFirstOrThrow(() => new Error(`the demo office ${DEMO_SLUG} has no active admin`));
  return admin.id;
}

/** Cases per constituent for the scenarios that need the office at its full size (5,000,000 at the full scale). */
export const CASES_PER_CONSTITUENT = 5;
/** Cases with --quick, whatever the scale. */
export const QUICK_CASES = 100_000;

export async function caseCount(database: Database, officeId: string): Promise<number> {
  const r = await database.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM cases WHERE office_id = $1', [officeId]);
  return r.rows[0]!.n;
}

/**
 * Brings the demo office to the scenario's number of cases (5 per constituent, or 100,000
 * with --quick) through the demo loader, so scenarios run one after another share the
 * cases the first one added. Returns the office's case count before and after.
 */
export async function topUpCases(ctx: Context, database: Database, officeId: string, label: string): Promise<{ before: number; cases: number; added: number; seconds: number }> {
  const target = ctx.quick ? QUICK_CASES : ctx.scale * CASES_PER_CONSTITUENT;
  const have = await caseCount(database, officeId);
  if (have >= target) return { before: have, cases: have, added: 0, seconds: 0 };
  const t0 = performance.now();
  ctx.log(`${label}: adding ${target - have} cases (office has ${have})`);
  let last = 0;
  await runDemo(database, { officeSlug: DEMO_SLUG, constituents: 0, cases: target - have, seed: 11 }, {
    progress: (line) => {
      if (performance.now() - last > 15_000) {
        last = performance.now();
        ctx.log(`${label}: ${line}`);
      }
    },
    print: () => undefined,
  });
  const seconds = (performance.now() - t0) / 1000;
  ctx.log(`${label}: ${target - have} cases added in ${seconds.toFixed(1)}s`);
  await database.pool.query('ANALYZE cases');
  return { before: have, cases: target, added: target - have, seconds };
}
