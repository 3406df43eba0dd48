// triage: the category classifier on real reports (FixMyStreet Lewisham, ../shared/data
// beside the checkout), split by time: trained on the older 80%, then the newest 20%
// classified one message at a time, as intake would. Reports training time, per-message
// latency, and the quality figures of `civitas triage eval`. The raw primitive is feature
// extraction alone (tokenising and vectorising the same messages), the floor under any
// model on these features. Needs no database; "scale" is the number of training messages.
import fs from 'node:fs';
import path from 'node:path';
import { readExamples } from '../../server/modules/triage/triage.csv.js';
import { assess } from '../../server/modules/triage/triage.eval.js';
import { vectorise } from '../../server/modules/triage/triage.features.js';
import { train } from '../../server/modules/triage/triage.model.js';
import { splitExamples } from '../../server/modules/triage/triage.split.js';
import { ownPeakRssMb } from '../lib/proc.js';
import { ROOT } from '../lib/server.js';
import { Samples, summarise } from '../lib/stats.js';
import type { Context, Result, Scenario } from '../lib/types.js';

const DATA = path.resolve(ROOT, '../shared/data/fixmystreet-lewisham/train.csv');

export const scenario: Scenario = {
  name: 'triage',
  description: 'category classifier: train on older FixMyStreet reports, classify the newest 20% one at a time',
  async run(ctx: Context): Promise<Result[]> {
    if (!fs.existsSync(DATA)) throw new Error(`the real data set is missing: ${DATA}`);
    const split = splitExamples(readExamples(DATA, { requireTime: true }), 0.2);
    const t0 = performance.now();
    const model = train(split.train);
    const trainMs = performance.now() - t0;
    ctx.log(`triage: trained on ${split.train.length} messages in ${(trainMs / 1000).toFixed(1)} s`);
    const report = assess(model, split.test, { examples: split.train.length, ms: trainMs });

    const raw = new Samples();
    for (const e of split.test) {
      const t = performance.now();
      vectorise(model.space, e);
      raw.add(performance.now() - t);
    }
    const rawLatency = summarise(raw.values());
    const rawSeconds = (rawLatency.mean * raw.length) / 1000;
    const seconds = (report.classify_ms.mean * report.n_test) / 1000;
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    return [{
      scenario: 'triage',
      engine: ctx.bench.engine,
      scale: split.train.length,
      operations: report.n_test,
      unit: 'messages',
      seconds,
      throughput: report.n_test / seconds,
      p50: report.classify_ms.p50, p95: report.classify_ms.p95, p99: report.classify_ms.p99,
      latencyOf: 'one predict() call (features, scores, calibrated ranking), one message at a time, warm',
      peakRssMb: ownPeakRssMb(),
      rssOf: 'bench process (training included)',
      raw: { what: 'feature extraction alone (vectorise) of the same messages', operations: raw.length, seconds: rawSeconds, throughput: raw.length / rawSeconds, p50: rawLatency.p50, p95: rawLatency.p95, p99: rawLatency.p99 },
      ratio: report.n_test / seconds / (raw.length / rawSeconds),
      errors: 0,
      notes: `train ${(trainMs / 1000).toFixed(1)} s; accuracy ${pct(report.accuracy)}, macro-F1 ${report.macro_f1.toFixed(3)}, ${pct(report.coverage_at_90)} at 90% precision (>= ${report.threshold_at_90?.toFixed(3) ?? '-'}), ${pct(report.coverage_at_95)} at 95%; model ${(report.model_bytes / 1024).toFixed(0)} KiB`,
      extra: { ...report, per_class: undefined },
    }];
  },
};
