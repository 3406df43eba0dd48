// The quality bar on real data: FixMyStreet reports to Lewisham (../shared/data beside the
// checkout), split by time as the classifier meets them: trained on the older 80%, tested
// on the newest 20%. The file is required: without it this test fails, it never skips.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../platform/paths.js';
import { readExamples } from './triage.csv.js';
import { evaluate } from './triage.eval.js';
import { splitExamples } from './triage.split.js';

const DATA = path.resolve(projectRoot, '../shared/data/fixmystreet-lewisham/train.csv');

describe('triage on FixMyStreet Lewisham', () => {
  it('reaches 78% accuracy and auto-applies 70% of messages at 90% precision on the newest fifth', { timeout: 60_000 }, () => {
    if (!fs.existsSync(DATA)) throw new Error(`the real data set is missing: ${DATA} (the shared data folder beside the checkout)`);
    const { train, test } = splitExamples(readExamples(DATA, { requireTime: true }), 0.2);
    const r = evaluate(train, test);
    expect(r.n_test).toBe(1848);
    expect(r.accuracy).toBeGreaterThanOrEqual(0.78);
    expect(r.coverage_at_90).toBeGreaterThanOrEqual(0.7);
    // Calibrated: the mean confidence is near the accuracy.
    expect(Math.abs(r.mean_confidence - r.accuracy)).toBeLessThan(0.05);
  });
});
