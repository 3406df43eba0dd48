import { describe, expect, it } from 'vitest';
import { coverageAtPrecision, macroF1, perClass, precisionCoverage } from './triage.metrics.js';

describe('triage metrics', () => {
  // Ten suggestions, most confident first; two share 0.8, so no threshold can split them.
  const scored = [
    { confidence: 0.99, correct: true },
    { confidence: 0.95, correct: true },
    { confidence: 0.9, correct: true },
    { confidence: 0.8, correct: false },
    { confidence: 0.8, correct: true },
    { confidence: 0.7, correct: true },
    { confidence: 0.6, correct: true },
    { confidence: 0.5, correct: false },
    { confidence: 0.4, correct: true },
    { confidence: 0.3, correct: false },
  ];

  it('draws the precision/coverage curve with ties taken together', () => {
    const curve = precisionCoverage([...scored].reverse());
    expect(curve.map((p) => [p.threshold, p.count, p.coverage, Number(p.precision.toFixed(4))])).toEqual([
      [0.99, 1, 0.1, 1],
      [0.95, 2, 0.2, 1],
      [0.9, 3, 0.3, 1],
      [0.8, 5, 0.5, 0.8],
      [0.7, 6, 0.6, 0.8333],
      [0.6, 7, 0.7, 0.8571],
      [0.5, 8, 0.8, 0.75],
      [0.4, 9, 0.9, 0.7778],
      [0.3, 10, 1, 0.7],
    ]);
  });

  it('finds the largest coverage at a precision and the threshold that gives it', () => {
    const curve = precisionCoverage(scored);
    expect(coverageAtPrecision(curve, 0.95)).toEqual({ coverage: 0.3, threshold: 0.9 });
    // 0.85 is first lost at 0.8 but regained at 0.6: the larger share counts.
    expect(coverageAtPrecision(curve, 0.85)).toEqual({ coverage: 0.7, threshold: 0.6 });
    expect(coverageAtPrecision(curve, 0.7)).toEqual({ coverage: 1, threshold: 0.3 });
    expect(coverageAtPrecision(precisionCoverage([{ confidence: 0.9, correct: false }]), 0.9)).toEqual({ coverage: 0, threshold: null });
    expect(coverageAtPrecision(precisionCoverage([]), 0.9)).toEqual({ coverage: 0, threshold: null });
  });

  it('computes per-class precision, recall, F1 and their macro mean', () => {
    const stats = perClass([
      { actual: 'a', predicted: 'a' },
      { actual: 'a', predicted: 'a' },
      { actual: 'a', predicted: 'b' },
      { actual: 'b', predicted: 'b' },
      { actual: 'c', predicted: 'a' },
    ]);
    expect(stats.map((s) => [s.label, s.support, s.predicted, Number(s.precision.toFixed(4)), Number(s.recall.toFixed(4)), Number(s.f1.toFixed(4))])).toEqual([
      ['a', 3, 3, 0.6667, 0.6667, 0.6667],
      ['b', 1, 2, 0.5, 1, 0.6667],
      ['c', 1, 0, 0, 0, 0],
    ]);
    expect(macroF1(stats)).toBeCloseTo(4 / 9, 10);
  });
});
