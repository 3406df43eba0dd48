// Cutting labelled messages by time into an older part to train on and a newer part to
// test on, the way a classifier meets the future; `civitas triage split` writes the two
// parts as CSV files with all their columns.
import fs from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import { DomainError } from '../../platform/errors.js';
import { examplesOf, readCsv } from './triage.csv.js';
import type { Example } from './triage.model.js';

export type SplitResult = { train: number; test: number; cutAt: string };

/** Positions oldest first (same time: file order), and how many of them train. */
function timeOrder(times: number[], testShare: number): { order: number[]; cut: number } {
  if (!(testShare > 0 && testShare < 1)) throw new DomainError('validation_failed', { field: 'test-share', message: `the test share must be between 0 and 1, not ${testShare}` });
  const order = times.map((_, i) => i).sort((a, b) => times[a]! - times[b]! || a - b);
  const nTest = Math.round(order.length * testShare);
  if (nTest === 0 || nTest === order.length) throw new DomainError('validation_failed', { message: `${order.length} rows are too few to split ${testShare} of them off` });
  return { order, cut: order.length - nTest };
}

/** Examples (all with a time) split into the older ones and the newest `testShare` of them. */
export function splitExamples(examples: Example[], testShare: number): { train: Example[]; test: Example[] } {
  const { order, cut } = timeOrder(examples.map((e) => e.time?.getTime() ?? Number.NaN), testShare);
  return { train: order.slice(0, cut).map((i) => examples[i]!), test: order.slice(cut).map((i) => examples[i]!) };
}

export function splitByTime(input: string, out: { train: string; test: string }, testShare: number): SplitResult {
  const table = readCsv(input);
  const times = examplesOf(table, { requireTime: true }).map((e) => e.time!.getTime());
  const { order, cut } = timeOrder(times, testShare);
  const write = (file: string, rows: number[]) => fs.writeFileSync(file, stringify([table.header, ...rows.map((i) => table.rows[i]!.fields)]));
  write(out.train, order.slice(0, cut));
  write(out.test, order.slice(cut));
  return { train: cut, test: order.length - cut, cutAt: new Date(times[order[cut]!]!).toISOString() };
}
