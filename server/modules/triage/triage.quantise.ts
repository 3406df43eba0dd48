// Weights stored as one signed byte each, with one scale per feature (its largest weight
// over the classes maps to ±127). A trained model is quantised before it is used, so the
// model that classifies in memory is exactly the one stored and read back.
import type { LinearModel } from './triage.sgd.js';

export type Quantised = { q: Int8Array; scale: Float32Array };

export function quantise(m: LinearModel): Quantised {
  const K = m.classes;
  const q = new Int8Array(m.weights.length);
  const scale = new Float32Array(m.features);
  for (let j = 0; j < m.features; j++) {
    let max = 0;
    for (let k = 0; k < K; k++) max = Math.max(max, Math.abs(m.weights[j * K + k]!));
    scale[j] = max / 127;
    if (max === 0) continue;
    for (let k = 0; k < K; k++) q[j * K + k] = Math.round(m.weights[j * K + k]! / scale[j]!);
  }
  return { q, scale };
}

/** The weights the quantised form stands for (float32, identical wherever it is computed). */
export function dequantise({ q, scale }: Quantised, classes: number): Float32Array {
  const w = new Float32Array(q.length);
  for (let i = 0; i < q.length; i++) w[i] = q[i]! * scale[Math.floor(i / classes)]!;
  return w;
}

/** The model with its weights rounded to what the quantised form keeps. */
export function roundTrip(m: LinearModel): LinearModel {
  return { ...m, weights: dequantise(quantise(m), m.classes) };
}
