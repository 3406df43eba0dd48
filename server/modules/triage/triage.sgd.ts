// Multinomial logistic regression (softmax) trained by averaged stochastic gradient descent
// with L2 regularisation, on sparse rows. Each step touches only the example's features:
// the L2 shrinkage of every weight is one scalar (w = scale · v, Bottou's trick), and the
// running average of the iterates is kept as u + c · v (Xu 2011), so neither needs a pass
// over all weights. Weights are feature-major (w[j·K + k]) so scoring a sparse row reads
// contiguous memory. Deterministic: the shuffle comes from a seeded PRNG.
import { mulberry32 } from '../demo/demo.geometry.js';
import type { SparseRow } from './triage.features.js';

export type SgdOptions = {
  epochs: number;
  /** L2 strength (per example, as in scikit-learn's `alpha`). */
  lambda: number;
  /** Initial step; the step decays as eta0 / (1 + eta0 · lambda · t). */
  eta0: number;
  /** Averaging starts with this epoch (0-based); earlier iterates are still far from the optimum. */
  averageFrom: number;
  seed: number;
};

/** Below this |p - y| a class is left out of an update: its step would be noise, and skipping it takes about a third off training. */
const MIN_GRADIENT = 1e-2;

export type LinearModel = { classes: number; features: number; weights: Float32Array; bias: Float32Array };

/** Raw scores (logits) of one row, into `out`. */
export function scoresOf(m: LinearModel, row: SparseRow, out: Float64Array): Float64Array {
  const K = m.classes;
  for (let k = 0; k < K; k++) out[k] = m.bias[k]!;
  for (let j = 0; j < row.idx.length; j++) {
    const base = row.idx[j]! * K;
    const x = row.val[j]!;
    for (let k = 0; k < K; k++) out[k]! += x * m.weights[base + k]!;
  }
  return out;
}

/** In-place softmax of scores divided by a temperature; returns the vector. */
export function softmax(scores: Float64Array, temperature = 1): Float64Array {
  let max = -Infinity;
  for (const s of scores) max = Math.max(max, s);
  let sum = 0;
  for (let k = 0; k < scores.length; k++) {
    scores[k] = Math.exp((scores[k]! - max) / temperature);
    sum += scores[k]!;
  }
  for (let k = 0; k < scores.length; k++) scores[k]! /= sum;
  return scores;
}

/** Seeded Fisher-Yates shuffle of 0..n-1. */
export function permutation(n: number, rand: () => number): Int32Array {
  const p = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [p[i], p[j]] = [p[j]!, p[i]!];
  }
  return p;
}

/**
 * Trains on rows with labels 0..classes-1; `weightOf[i]` scales example i's loss (class
 * weights times recency, say).
 */
export function trainSoftmax(rows: SparseRow[], labels: Int32Array, weightOf: Float64Array, classes: number, features: number, opts: SgdOptions): LinearModel {
  const K = classes;
  const v = new Float64Array(features * K);
  const u = new Float64Array(features * K);
  const bias = new Float64Array(K);
  const biasSum = new Float64Array(K);
  const p = new Float64Array(K);
  const active = new Int32Array(K);
  let scale = 1;
  let c = 0;
  let averaged = 0;
  let t = 0;
  const rand = mulberry32(opts.seed);

  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    const isAveraging = epoch >= opts.averageFrom;
    for (const i of permutation(rows.length, rand)) {
      const { idx, val } = rows[i]!;
      const nnz = idx.length;
      const eta = opts.eta0 / (1 + opts.eta0 * opts.lambda * t++);
      // Forward pass with the current (scaled) weights.
      p.fill(0);
      for (let j = 0; j < nnz; j++) {
        const base = idx[j]! * K;
        const x = val[j]!;
        for (let k = 0; k < K; k++) p[k]! += x * v[base + k]!;
      }
      for (let k = 0; k < K; k++) p[k] = p[k]! * scale + bias[k]!;
      softmax(p);
      const w = weightOf[i]!;
      p[labels[i]!]! -= 1; // p is now the gradient of the loss with respect to the scores
      // Classes whose gradient is negligible are skipped: after the first epoch most of
      // them are, and the update is where the time goes.
      let nActive = 0;
      for (let k = 0; k < K; k++) if (Math.abs(p[k]!) >= MIN_GRADIENT) active[nActive++] = k;
      // Shrink every weight at once, then step on the touched ones.
      scale *= 1 - eta * opts.lambda;
      const step = (eta * w) / scale;
      for (let j = 0; j < nnz; j++) {
        const base = idx[j]! * K;
        const x = val[j]! * step;
        const cx = isAveraging ? c * x : 0;
        for (let a = 0; a < nActive; a++) {
          const k = active[a]!;
          v[base + k]! -= x * p[k]!;
          u[base + k]! += cx * p[k]!;
        }
      }
      for (let k = 0; k < K; k++) bias[k]! -= eta * w * p[k]!;
      if (isAveraging) {
        c += scale;
        averaged++;
        for (let k = 0; k < K; k++) biasSum[k]! += bias[k]!;
      }
      if (scale < 1e-9) {
        // Fold the scale into v before it underflows (the average's c follows).
        for (let j = 0; j < v.length; j++) v[j]! *= scale;
        c /= scale;
        scale = 1;
      }
    }
  }

  const weights = new Float32Array(features * K);
  const outBias = new Float32Array(K);
  for (let j = 0; j < weights.length; j++) weights[j] = averaged ? (u[j]! + c * v[j]!) / averaged : scale * v[j]!;
  for (let k = 0; k < K; k++) outBias[k] = averaged ? biasSum[k]! / averaged : bias[k]!;
  return { classes: K, features, weights, bias: outBias };
}
