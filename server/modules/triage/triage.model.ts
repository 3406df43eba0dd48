// The triage classifier: suggests the category of a resident's message, with a confidence
// that is calibrated on the office's own recent history. `train` learns from resolved
// cases (text, and place when known), `predict` ranks the categories for one message.
// Everything is in-process and deterministic: the same rows and options give the same model.
import { DomainError } from '../../platform/errors.js';
import { mulberry32 } from '../demo/demo.geometry.js';
import { fitTemperature, type Scored } from './triage.calibration.js';
import { buildSpace, vectorise, type FeatureInput, type FeatureOptions, type FeatureSpace } from './triage.features.js';
import { roundTrip } from './triage.quantise.js';
import { permutation, scoresOf, softmax, trainSoftmax, type LinearModel, type SgdOptions } from './triage.sgd.js';
import { words } from './triage.tokens.js';

export type Example = FeatureInput & { label: string; time?: Date | null | undefined };

export type TrainOptions = {
  features: FeatureOptions;
  sgd: SgdOptions;
  /** Class weight = (share a balanced class would have / class share) ^ power: 0 ignores imbalance, 1 fully balances. */
  classWeightPower: number;
  /** Older examples count less, halving every this many days (null: all count the same). */
  recencyHalfLifeDays: number | null;
  /** Share of the examples (the newest when times are known) held out to calibrate the confidence. */
  calibrationShare: number;
};

export type Model = {
  classes: string[];
  space: FeatureSpace;
  linear: LinearModel;
  /** Scores are divided by this before the softmax (see triage.calibration.ts). */
  temperature: number;
  /** Training examples per class, in `classes` order: the base rates. */
  classCounts: number[];
  trainedOn: { examples: number; from: string | null; to: string | null };
};

export type Prediction = { label: string; confidence: number; ranking: { label: string; p: number }[] };

// Tuned on a time split inside the older 80% of the FixMyStreet Lewisham reports (docs/PERFORMANCE.md).
export const DEFAULT_OPTIONS: TrainOptions = {
  features: {
    charMin: 2,
    charMax: 4,
    gridDegrees: [0.01, 0.0025],
    minDf: 2,
    maxFeatures: { word: 10_000, char: 12_000, place: 2_000 },
    blockWeights: { word: 1, char: 1, place: 0.3 },
  },
  sgd: { epochs: 5, lambda: 1e-5, eta0: 0.5, averageFrom: 1, seed: 1 },
  classWeightPower: 0,
  recencyHalfLifeDays: null,
  calibrationShare: 0.15,
};

/** Fewer examples than this are not worth holding any out: the confidence stays uncalibrated. */
const MIN_CALIBRATION_ROWS = 50;
const TOP = 5;

const invalid = (message: string, field = 'examples') => new DomainError('validation_failed', { field, message });

function validate(examples: Example[]): void {
  if (!Array.isArray(examples) || examples.length === 0) throw invalid('No training examples: the classifier needs resolved cases to learn from');
  examples.forEach((e, i) => {
    if (typeof e?.label !== 'string' || !e.label.trim()) throw invalid(`Example ${i} has no label`, `examples.${i}.label`);
  });
  const labels = new Set(examples.map((e) => e.label));
  if (labels.size < 2) throw invalid(`All ${examples.length} examples have the same label ("${[...labels][0]}"): at least two categories are needed`);
  if (!examples.some((e) => typeof e.text === 'string' && words(e.text).length > 0)) throw invalid('Every example has an empty text: there is nothing to learn from');
}

const timeOf = (e: Example) => (e.time instanceof Date && Number.isFinite(e.time.getTime()) ? e.time.getTime() : null);

/** Loss weight per example: class balance and recency (mean 1 over the examples). */
function exampleWeights(examples: Example[], labels: Int32Array, classes: number, opts: TrainOptions): Float64Array {
  const counts = new Float64Array(classes);
  for (const y of labels) counts[y]!++;
  const times = examples.map(timeOf);
  const newest = timeRange(examples)?.to ?? 0;
  const halfLife = opts.recencyHalfLifeDays ? opts.recencyHalfLifeDays * 86_400_000 : null;
  const w = Float64Array.from(examples, (_, i) => {
    const balance = (examples.length / (classes * counts[labels[i]!]!)) ** opts.classWeightPower;
    const t = times[i];
    return balance * (halfLife && t != null ? 0.5 ** ((newest - t) / halfLife) : 1);
  });
  const mean = w.reduce((s, x) => s + x, 0) / w.length;
  return w.map((x) => x / mean);
}

function fit(examples: Example[], classes: string[], opts: TrainOptions): { space: FeatureSpace; linear: LinearModel } {
  const classIndex = new Map(classes.map((c, i) => [c, i]));
  const labels = Int32Array.from(examples, (e) => classIndex.get(e.label)!);
  const { space, rows } = buildSpace(examples, opts.features);
  const weights = exampleWeights(examples, labels, classes.length, opts);
  return { space, linear: roundTrip(trainSoftmax(rows, labels, weights, classes.length, space.size, opts.sgd)) };
}

/** Which examples calibrate: the newest share when every example has a time (that is what the model will face), else a seeded sample. */
function calibrationSplit(examples: Example[], share: number, seed: number): { fitOn: Example[]; calibrateOn: Example[] } {
  const n = Math.round(examples.length * share);
  const times = examples.map(timeOf);
  const order = times.every((t) => t !== null)
    ? examples.map((_, i) => i).sort((a, b) => times[a]! - times[b]! || a - b)
    : Array.from(permutation(examples.length, mulberry32(seed)));
  return { fitOn: order.slice(0, order.length - n).map((i) => examples[i]!), calibrateOn: order.slice(order.length - n).map((i) => examples[i]!) };
}

/** Earliest and latest of the known times (a loop: spreading 100,000 arguments overflows the stack). */
function timeRange(examples: Example[]): { from: number; to: number } | null {
  let range: { from: number; to: number } | null = null;
  for (const e of examples) {
    const t = timeOf(e);
    if (t !== null) range = range ? { from: Math.min(range.from, t), to: Math.max(range.to, t) } : { from: t, to: t };
  }
  return range;
}

export function train(examples: Example[], options: Partial<TrainOptions> = {}): Model {
  validate(examples);
  const opts: TrainOptions = { ...DEFAULT_OPTIONS, ...options };
  const classes = [...new Set(examples.map((e) => e.label))].sort();

  let temperature = 1;
  const { fitOn, calibrateOn } = calibrationSplit(examples, opts.calibrationShare, opts.sgd.seed);
  const probeClasses = new Set(fitOn.map((e) => e.label));
  if (calibrateOn.length >= MIN_CALIBRATION_ROWS && probeClasses.size >= 2) {
    const probe = fit(fitOn, classes, opts);
    const scored: Scored[] = calibrateOn.map((e) => ({ scores: rawScores(probe, e), label: classes.indexOf(e.label) }));
    temperature = fitTemperature(scored);
  }

  const range = timeRange(examples);
  const classCounts = classes.map(() => 0);
  for (const e of examples) classCounts[classes.indexOf(e.label)]!++;
  return {
    classes,
    ...fit(examples, classes, opts),
    temperature,
    classCounts,
    trainedOn: { examples: examples.length, from: range ? new Date(range.from).toISOString() : null, to: range ? new Date(range.to).toISOString() : null },
  };
}

function rawScores(m: Pick<Model, 'space' | 'linear'>, input: FeatureInput): Float64Array {
  return scoresOf(m.linear, vectorise(m.space, input), new Float64Array(m.linear.classes));
}

/**
 * Calibrated probabilities of every class, in `model.classes` order. A message with no
 * word or n-gram the model knows (empty, or in a script it never saw) gets the base rates:
 * the scores would otherwise be the biases alone, which the softmax turns into an
 * unearned confidence in the commonest class.
 */
export function probabilities(model: Model, input: FeatureInput): Float64Array {
  const row = vectorise(model.space, input);
  const textEnd = model.space.blocks.place.offset;
  if (!row.idx.some((i) => i < textEnd)) {
    const total = model.classCounts.reduce((s, c) => s + c, 0);
    return Float64Array.from(model.classCounts, (c) => c / total);
  }
  return softmax(scoresOf(model.linear, row, new Float64Array(model.linear.classes)), model.temperature);
}

export function predict(model: Model, input: FeatureInput): Prediction {
  const p = probabilities(model, input);
  const ranking = Array.from(p, (x, k) => ({ label: model.classes[k]!, p: x }))
    .sort((a, b) => b.p - a.p || a.label.localeCompare(b.label))
    .slice(0, TOP);
  return { label: ranking[0]!.label, confidence: ranking[0]!.p, ranking };
}
