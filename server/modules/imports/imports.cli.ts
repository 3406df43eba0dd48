// `civitas import constituents`: registers the command; the work is in imports.command.ts.
import type { Command } from 'commander';
import { Option } from 'commander';
import { IMPORT_ENCODINGS, type ImportEncoding } from '../../../contract/imports.js';
import type { Runtime } from '../../runtime.js';
import { importCommand, readMapping, statFile } from './imports.command.js';
import type { ProgressIo } from './imports.progress.js';

export type ImportCliContext = { withRuntime<T>(fn: (rt: Runtime) => Promise<T>): Promise<T>; officeBySlug(rt: Runtime, slug: string): Promise<{ id: string }> };

// A bar redrawn in place needs an interactive terminal; logs (CI, files) get plain lines.
function terminalIo(progress: 'auto' | 'bar' | 'lines'): ProgressIo {
  const isTty = progress === 'bar' || (progress === 'auto' && process.stderr.isTTY === true);
  return { isTty, write: (t) => void process.stderr.write(t), print: (l) => console.log(l) };
}

export function importCli(program: Command, ctx: ImportCliContext): void {
  program
    .command('import')
    .description('Import data from files')
    .command('constituents')
    .description('Import constituents from a CSV file, upserting by external id (see docs/OPERATIONS.md for map.json)')
    .argument('<file>', 'the CSV file (header row first)')
    .requiredOption('--office <slug>', 'office slug')
    .requiredOption('--map <map.json>', 'which column fills which field')
    .addOption(new Option('--encoding <encoding>', 'the file\'s encoding when it is not UTF-8 (UTF-16 with a byte-order mark is found by itself)').choices(IMPORT_ENCODINGS))
    .option('--errors <errors.csv>', 'write the rejected rows (row, column, reason) to this file')
    .addOption(new Option('--progress <style>', 'progress on stderr: a bar on a terminal, else a line every few seconds').choices(['auto', 'bar', 'lines']).default('auto'))
    .action(async (file: string, o: { office: string; map: string; encoding?: ImportEncoding; errors?: string; progress: 'auto' | 'bar' | 'lines' }) => {
      // The file and the mapping first: no need to open the database to refuse them.
      statFile(file);
      const mapping = readMapping(o.map);
      await ctx.withRuntime(async (rt) => {
        const office = await ctx.officeBySlug(rt, o.office);
        return importCommand(rt.database, { file, officeId: office.id, mapping, encoding: o.encoding, errorsFile: o.errors }, terminalIo(o.progress));
      });
    });
}
