// Demo data generator: to be filled in by the demo module.
import type { Database } from '../../platform/db/database.js';

export type DemoOptions = { officeSlug: string; constituents: number; cases: number; seed: number };

export async function runDemo(_database: Database, _opts: DemoOptions): Promise<void> {
  throw new Error('demo data generation is not implemented yet');
}
