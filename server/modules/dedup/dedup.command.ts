// `civitas dedup scan --office SLUG`: runs a duplicate scan in this process with progress
// per rule on stderr and the result on stdout (the same scan the API queues as a job).
import type { Command } from 'commander';
import type { Office } from '../../../contract/offices.js';
import { DomainError } from '../../platform/errors.js';
import { systemScope } from '../../platform/scope.js';
import type { Runtime } from '../../runtime.js';
import { requestScan, runScan } from './dedup.scan.js';

export type DedupCliContext = {
  withRuntime<T>(fn: (rt: Runtime) => Promise<T>): Promise<T>;
  officeBySlug(rt: Runtime, slug: string): Promise<Office>;
};

export function dedupCommand(program: Command, ctx: DedupCliContext): void {
  const dedup = program.command('dedup').description('Duplicate constituents');
  dedup
    .command('scan')
    .description('Scan all active records of an office for duplicate candidates (into the review queue)')
    .requiredOption('--office <slug>', 'office slug')
    .action(async (o: { office: string }) => {
      await ctx.withRuntime(async (rt) => {
        const office = await ctx.officeBySlug(rt, o.office);
        const scope = systemScope(rt.database.db, office.id, 'cli');
        const { scan, created } = await requestScan(scope, 'cli', async () => undefined);
        if (!created) throw new DomainError('conflict', { message: `a scan of ${office.slug} is already ${scan.status} (${scan.id}, requested by ${scan.requestedBy}); wait for it to finish` });
        const t0 = performance.now();
        const result = await runScan(rt.database.db, office.id, scan.id, (line) =>
          console.error(`[${((performance.now() - t0) / 1000).toFixed(1).padStart(6)}s] ${line}`));
        console.log(`scan ${scan.id} of ${office.slug}: ${result.records} records, ${result.open} open candidates (${result.created} new, ${result.updated} rescored, ${result.removed} removed), ${result.decided} already decided, ${result.skippedBlocks} blocks and ${result.skippedGroups} name groups skipped over the caps, ${result.seconds}s`);
      });
    });
}
