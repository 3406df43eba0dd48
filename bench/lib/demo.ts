// Loads the demo office through the product's own bulk loader (runDemo) and finds its admin.
import type { Database } from '../../server/platform/db/database.js';
import { runDemo, type DemoSummary } from '../../server/modules/demo/demo.command.js';
import type { DemoState } from './types.js';

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
  const admin = await database.db
    .selectFrom('users')
    .select('id')
    .where('office_id', '=', summary.officeId)
    .where('role', '=', 'admin')
    .where('status', '=', 'active')
    .orderBy('created_at')
    .executeTakeFirstOrThrow();
  return { summary, state: { officeId: summary.officeId, adminUserId: admin.id, constituents }, timings };
}
