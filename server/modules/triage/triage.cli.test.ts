import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../platform/paths.js';
import { cliRunner } from '../../../test/cli.js';

// Each call is a real `civitas` process; triage needs no database.
const { dir, civitas } = cliRunner('civitas-triage-cli-');
const fixture = (name: string) => path.join(projectRoot, 'server/modules/triage/fixtures', name);

describe('civitas triage', { timeout: 300_000 }, () => {
  it('evaluates on CSV files with quoted newlines and prints the report', async () => {
    const r = await civitas(['triage', 'eval', '--train', fixture('train.csv'), '--test', fixture('test.csv')]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^trained on 48 messages \(4 categories\) in \d+\.\d s; tested on 16$/m);
    expect(r.out).toMatch(/^top-1 accuracy: (9\d|100)\.\d%$/m);
    expect(r.out).toMatch(/^macro-F1: 0\.9\d\d$/m);
    expect(r.out).toMatch(/^auto-apply at 90% precision: 100\.0% of messages \(confidence >= 0\.\d{3}\)$/m);
    expect(r.out).toMatch(/^auto-apply at 95% precision: \d+\.\d% of messages \(confidence >= 0\.\d{3}\)$/m);
    expect(r.out).toMatch(/^classify one message: p50 \d+\.\d{3} ms, p99 \d+\.\d{3} ms$/m);
    expect(r.out).toMatch(/^category +precision +recall +f1 +support$/m);
    expect(r.out).toMatch(/^Street Lighting +\d+\.\d% +\d+\.\d% +[01]\.\d{3} +4$/m);
  });

  it('prints exactly one JSON object with --json', async () => {
    const help = await civitas(['triage', 'eval', '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/--json +print one JSON object/);
    const r = await civitas(['triage', 'eval', '--train', fixture('train.csv'), '--test', fixture('test.csv'), '--json']);
    expect(r.code, r.err).toBe(0);
    const report = JSON.parse(r.out) as Record<string, unknown>;
    expect(report).toMatchObject({ coverage_at_90: 1, n_test: 16, n_train: 48 });
    for (const key of ['accuracy', 'macro_f1', 'coverage_at_95']) expect(report[key]).toBeGreaterThanOrEqual(0.9);
    expect(report.threshold_at_90).toEqual(expect.any(Number));
    expect(report.threshold_at_95).toEqual(expect.any(Number));
    expect(report.per_class).toHaveLength(4);
  });

  it('refuses bad files with the file, the line and exit code 2', async () => {
    const noLabel = await civitas(['triage', 'eval', '--train', fixture('train.csv'), '--test', fixture('no-label.csv')]);
    expect(noLabel.code).toBe(2);
    expect(noLabel.err).toMatch(/no-label\.csv, line 1: no "label" column \(the header has: id, text, requested_datetime, lat, long\)/);
    expect(noLabel.out).toBe('');

    // Line 5: the record before it spans lines 3 and 4.
    const emptyLabel = await civitas(['triage', 'eval', '--train', fixture('empty-label.csv'), '--test', fixture('test.csv'), '--json']);
    expect(emptyLabel.code).toBe(2);
    expect(emptyLabel.err).toMatch(/empty-label\.csv, line 5: the label is empty/);

    const quoted = path.join(dir, 'quoted.csv');
    fs.writeFileSync(quoted, 'text,label\npothole,Pothole\n"graffiti\non two lines",\n');
    const startLine = await civitas(['triage', 'eval', '--train', quoted, '--test', fixture('test.csv')]);
    expect(startLine.code).toBe(2);
    expect(startLine.err).toMatch(/quoted\.csv, line 3: the label is empty/);

    const ragged = path.join(dir, 'ragged.csv');
    fs.writeFileSync(ragged, 'text,label\npothole,Pothole\ngraffiti,Graffiti,extra\n');
    const r = await civitas(['triage', 'eval', '--train', ragged, '--test', fixture('test.csv')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/ragged\.csv, line 3: this row has a different number of fields than the header/);

    const missing = await civitas(['triage', 'eval', '--train', path.join(dir, 'nope.csv'), '--test', fixture('test.csv')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/nope\.csv: no such file/);

    const oneClass = path.join(dir, 'one-class.csv');
    fs.writeFileSync(oneClass, 'text,label\npothole,Pothole\nanother pothole,Pothole\n');
    const single = await civitas(['triage', 'eval', '--train', oneClass, '--test', fixture('test.csv')]);
    expect(single.code).toBe(2);
    expect(single.err).toMatch(/at least two categories are needed/);
  });

  it('splits a file by time, newest rows to the test file', async () => {
    const train = path.join(dir, 'split-train.csv');
    const test = path.join(dir, 'split-test.csv');
    const r = await civitas(['triage', 'split', fixture('test.csv'), '--train-out', train, '--test-out', test, '--test-share', '0.25']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^12 rows to .*split-train\.csv, 4 rows from 2024-01-25T\d\d:15:00\.000Z on to .*split-test\.csv$/m);
    const read = (f: string) => parse(fs.readFileSync(f), { columns: true }) as Record<string, string>[];
    const older = read(train);
    const newer = read(test);
    expect(older).toHaveLength(12);
    expect(Math.max(...older.map((x) => Date.parse(x.requested_datetime!)))).toBeLessThanOrEqual(Math.min(...newer.map((x) => Date.parse(x.requested_datetime!))));
    expect(older[1]!.text).toContain('\n'); // the quoted newline survives
    const bad = await civitas(['triage', 'split', fixture('test.csv'), '--train-out', train, '--test-out', test, '--test-share', '2']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--test-share must be a fraction between 0 and 1/);
  });
});
