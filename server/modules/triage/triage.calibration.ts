// Confidence calibration by temperature scaling (Guo et al. 2017): one scalar T divides
// the scores before the softmax, chosen to minimise the log loss on messages the model
// did not learn from. It keeps the ranking of classes, and makes "confidence 0.9" mean
// "right about 9 times in 10" instead of the overconfident raw softmax.
import { softmax } from './triage.sgd.js';

export type Scored = { scores: Float64Array; label: number };

/** Mean negative log-likelihood of the true labels at temperature t. */
export function logLoss(items: Scored[], t: number): number {
  let sum = 0;
  for (const it of items) {
    if (!(it.label >= 0 && it.label < it.scores.length)) throw new RangeError(`label ${it.label} is not one of the ${it.scores.length} classes`);
    const p = softmax(Float64Array.from(it.scores), t);
    sum -= Math.log(Math.max(p[it.label]!, 1e-12));
  }
  return sum / Math.max(1, items.length);
}

/** The temperature with the least log loss, by golden-section search over log T (the loss is unimodal in T). */
export function fitTemperature(items: Scored[], range: [number, number] = [0.05, 20]): number {
  if (items.length === 0) return 1;
  const g = (Math.sqrt(5) - 1) / 2;
  let lo = Math.log(range[0]);
  let hi = Math.log(range[1]);
  let a = hi - g * (hi - lo);
  let b = lo + g * (hi - lo);
  let fa = logLoss(items, Math.exp(a));
  let fb = logLoss(items, Math.exp(b));
  for (let i = 0; i < 40; i++) {
    if (fa < fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - g * (hi - lo);
      fa = logLoss(items, Math.exp(a));
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + g * (hi - lo);
      fb = logLoss(items, Math.exp(b));
    }
  }
  return Math.exp((lo + hi) / 2);
}
