// `civitas triage eval`: trains on one set of labelled messages, classifies another one
// message at a time, and reports what an office needs to decide whether to trust it:
// accuracy, macro-F1, per-class precision and recall, how much could be auto-applied at
// 90% and 95% precision (and from which confidence), and how long it all takes.
import { coverageAtPrecision, macroF1, perClass, precisionCoverage, type ClassStats } from './triage.metrics.js';
import { predict, train, type Example, type Model, type TrainOptions } from './triage.model.js';
import { serialize } from './triage.serialize.js';

export type EvalReport = {
  n_train: number;
  n_test: number;
  classes: number;
  accuracy: number;
  macro_f1: number;
  coverage_at_90: number;
  threshold_at_90: number | null;
  coverage_at_95: number;
  threshold_at_95: number | null;
  /** Mean confidence of the suggestions: close to accuracy when the confidence is calibrated. */
  mean_confidence: number;
  temperature: number;
  /** Test messages whose label never occurs in training (always counted wrong). */
  unseen_labels: number;
  train_ms: number;
  classify_ms: { p50: number; p95: number; p99: number; mean: number };
  features: number;
  model_bytes: number;
  per_class: ClassStats[];
};

/** Nearest-rank percentile of an ascending array. */
const percentile = (sorted: Float64Array, p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
const round = (x: number, digits = 4) => Number(x.toFixed(digits));
const WARM_UP = 500;

export function evaluate(trainSet: Example[], testSet: Example[], options: Partial<TrainOptions> = {}): EvalReport {
  const t0 = performance.now();
  const model = train(trainSet, options);
  return assess(model, testSet, { examples: trainSet.length, ms: performance.now() - t0 });
}

/** The report of a trained model on test messages, classified one at a time. */
export function assess(model: Model, testSet: Example[], training: { examples: number; ms: number }): EvalReport {
  // A server classifies with a warm model: compile the hot paths before timing them.
  for (const e of testSet.slice(0, WARM_UP)) predict(model, e);
  const ms = new Float64Array(testSet.length);
  const results = testSet.map((e, i) => {
    const t = performance.now();
    const p = predict(model, e);
    ms[i] = performance.now() - t;
    return { actual: e.label, predicted: p.label, confidence: p.confidence };
  });
  ms.sort();
  const scored = results.map((r) => ({ confidence: r.confidence, correct: r.actual === r.predicted }));
  const curve = precisionCoverage(scored);
  const at90 = coverageAtPrecision(curve, 0.9);
  const at95 = coverageAtPrecision(curve, 0.95);
  const stats = perClass(results);
  const known = new Set(model.classes);
  const n = Math.max(1, testSet.length);
  return {
    n_train: training.examples,
    n_test: testSet.length,
    classes: model.classes.length,
    accuracy: round(scored.filter((s) => s.correct).length / n),
    macro_f1: round(macroF1(stats)),
    coverage_at_90: round(at90.coverage),
    threshold_at_90: at90.threshold === null ? null : round(at90.threshold),
    coverage_at_95: round(at95.coverage),
    threshold_at_95: at95.threshold === null ? null : round(at95.threshold),
    mean_confidence: round(scored.reduce((s, x) => s + x.confidence, 0) / n),
    temperature: round(model.temperature),
    unseen_labels: testSet.filter((e) => !known.has(e.label)).length,
    train_ms: Math.round(training.ms),
    classify_ms: { p50: round(percentile(ms, 50), 3), p95: round(percentile(ms, 95), 3), p99: round(percentile(ms, 99), 3), mean: round(ms.reduce((s, x) => s + x, 0) / n, 3) },
    features: model.space.size,
    model_bytes: JSON.stringify(serialize(model)).length,
    per_class: stats.map((c) => ({ ...c, precision: round(c.precision), recall: round(c.recall), f1: round(c.f1) })),
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const auto = (coverage: number, threshold: number | null, p: string) =>
  threshold === null ? `auto-apply at ${p} precision: no threshold reaches it` : `auto-apply at ${p} precision: ${pct(coverage)} of messages (confidence >= ${threshold.toFixed(3)})`;

/** The report as text for a terminal. */
export function formatReport(r: EvalReport): string {
  const width = Math.max(8, ...r.per_class.map((c) => c.label.length));
  const lines = [
    `trained on ${r.n_train.toLocaleString('en-GB')} messages (${r.classes} categories) in ${(r.train_ms / 1000).toFixed(1)} s; tested on ${r.n_test.toLocaleString('en-GB')}${r.unseen_labels ? ` (${r.unseen_labels} with a category never seen in training)` : ''}`,
    `top-1 accuracy: ${pct(r.accuracy)}`,
    `macro-F1: ${r.macro_f1.toFixed(3)}`,
    auto(r.coverage_at_90, r.threshold_at_90, '90%'),
    auto(r.coverage_at_95, r.threshold_at_95, '95%'),
    `mean confidence: ${pct(r.mean_confidence)} (temperature ${r.temperature.toFixed(3)})`,
    `classify one message: p50 ${r.classify_ms.p50.toFixed(3)} ms, p99 ${r.classify_ms.p99.toFixed(3)} ms`,
    `model: ${r.features.toLocaleString('en-GB')} features, ${(r.model_bytes / 1024).toFixed(0)} KiB serialised`,
    '',
    `${'category'.padEnd(width)}  precision  recall     f1  support`,
    ...r.per_class.map((c) => `${c.label.padEnd(width)}  ${pct(c.precision).padStart(9)}  ${pct(c.recall).padStart(6)}  ${c.f1.toFixed(3).padStart(5)}  ${String(c.support).padStart(7)}`),
  ];
  return lines.join('\n');
}
