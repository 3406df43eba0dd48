// `civitas triage …`: evaluate the category classifier on labelled CSV files, and cut a
// file by time into the older part to train on and the newer part to test on. Runs
// without a database; the results go to stdout, nothing of the messages themselves.
import { InvalidArgumentError, type Command } from 'commander';
import { readExamples } from './triage.csv.js';
import { evaluate, formatReport } from './triage.eval.js';
import { splitByTime } from './triage.split.js';

const share = (v: string) => {
  const n = Number(v);
  if (!(n > 0 && n < 1)) throw new InvalidArgumentError('--test-share must be a fraction between 0 and 1, e.g. 0.2');
  return n;
};

export function triageCommand(program: Command): void {
  const triage = program.command('triage').description('The category classifier (suggests a category for a message)');
  triage
    .command('eval')
    .description('Train on one CSV of labelled messages, test on another, and print accuracy, macro-F1, per-class figures and auto-apply coverage at 90%/95% precision')
    .requiredOption('--train <file>', 'CSV with text and label columns (lat, long, requested_datetime used when present)')
    .requiredOption('--test <file>', 'CSV with the same columns, ideally newer messages')
    .option('--json', 'print one JSON object instead of the text report')
    .action((o: { train: string; test: string; json?: boolean }) => {
      // Both files are read before training, so a bad test file is refused at once.
      const trainSet = readExamples(o.train);
      const testSet = readExamples(o.test);
      const report = evaluate(trainSet, testSet);
      console.log(o.json ? JSON.stringify(report) : formatReport(report));
    });
  triage
    .command('split')
    .description('Split a labelled CSV by requested_datetime: the newest share to --test-out, the rest to --train-out')
    .argument('<file>', 'CSV with text, label and requested_datetime columns')
    .requiredOption('--train-out <file>', 'where to write the older rows')
    .requiredOption('--test-out <file>', 'where to write the newer rows')
    .option('--test-share <fraction>', 'share of rows for the test file', share, 0.2)
    .action((file: string, o: { trainOut: string; testOut: string; testShare: number }) => {
      const r = splitByTime(file, { train: o.trainOut, test: o.testOut }, o.testShare);
      console.log(`${r.train} rows to ${o.trainOut}, ${r.test} rows from ${r.cutAt} on to ${o.testOut}`);
    });
}
